"""The actions on a privacy request in the back office: each one done through its service, and
each refusal shown again with its form, nothing changed (G2–G10, X2, X3, X5, B4)."""

import datetime as dt

import pytest
from django.conf import settings

from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.erasure.rules import AlreadyErased
from waarborg.privacy import storage
from waarborg.privacy.answers import privacy_request_complete
from waarborg.privacy.identity import id_document_upload, privacy_request_start_verification
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import IdDocument, PrivacyRequest, RecipientNotice, RectificationProposal
from waarborg.privacy.rectification import rectification_proposal_approve
from waarborg.privacy.selectors import is_restricted
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged
from waarborg.testing.receiver import PushReceiver

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.7\n% a redacted identity card of Alice de Vries\n"
PRIVACY_MODELS = (
    "privacy.PrivacyRequest",
    "privacy.VerificationLink",
    "privacy.IdDocument",
    "privacy.RectificationProposal",
    "privacy.RecipientNotice",
    "privacy.ProcessingStop",
    "privacy.Restriction",
)


def _url(request, action, item=None) -> str:
    return f"/backoffice/verzoeken/{request.pk}/{action}/" + (f"{item}/" if item is not None else "")


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


@pytest.fixture
def as_erin(office, personas):
    return office(personas.erin)


@pytest.fixture
def recipients(db):
    return {
        "datacenter": f.RecipientFactory(
            key="datacenter", name="Rekencentrum Noord B.V.", data_categories=["D1", "D2", "D3"]
        ),
        "registry": f.RecipientFactory(
            key="registry", name="Registrar B.V.", category="registry", data_categories=["D2", "D4"]
        ),
    }


def _refused_again(client, request, url, data, *, field, words):
    """Post a refused action: the request's page again, the error at its field, nothing changed."""
    before = database_snapshot()
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code
    bound = response.context["bound"]
    assert bound is not None and field in bound.errors, bound.errors if bound is not None else None
    body = response.content.decode()
    assert words in body, words
    assert "Er is niets gewijzigd." in body
    assert_nothing_changed(before)
    return response


# --- Identity (G8) -------------------------------------------------------------------------------


@pytest.mark.promise("G8")
def test_it_sends_and_resends_the_identity_check(as_erin, personas, carol, mail):
    made = privacy_request_create(
        actor=carol, type="access", channel="email", received_at=clock.today(), email="alice.devries@example.nl"
    )
    response = as_erin.post(_url(made, "identiteitscontrole"))
    assert response.status_code == 302
    assert PrivacyRequest.objects.get().status == "awaiting_id"
    as_erin.post(_url(made, "identiteitscontrole"))
    assert len(mail.wait_for(2)) == 2
    assert made.links.filter(revoked_at__isnull=True).count() == 1  # the newer link replaces the older
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert 'data-link-state="replaced"' in page and 'data-link-state="open"' in page


@pytest.mark.promise("G8")
def test_it_refuses_a_check_for_a_request_verified_by_the_session(as_erin, alice):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    _refused_again(
        as_erin,
        made,
        _url(made, "identiteitscontrole"),
        {},
        field="__all__",
        words="De identiteit van de verzoeker is al vastgesteld",
    )


@pytest.mark.promise("G8")
def test_it_records_a_lighter_check_by_the_privacy_officer(as_erin, erin, carol, personas):
    made = privacy_request_create(
        actor=carol,
        type="access",
        channel="phone",
        received_at=clock.today(),
        customer_number=personas.alice_customer.number,
    )
    _refused_again(
        as_erin,
        made,
        _url(made, "identiteit-vastgesteld"),
        {"identiteit_vastgesteld-note": ""},
        field="note",
        words="Zeg hoe de identiteit is gecontroleerd",
    )
    response = as_erin.post(
        _url(made, "identiteit-vastgesteld"),
        {"identiteit_vastgesteld-note": "Klantnummer en laatste factuurbedrag genoemd."},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.is_verified and made.verification_method == "staff_check" and made.verified_by == erin
    assert not made.id_documents.exists()
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert "Gecontroleerd door de privacy officer" in page


@pytest.fixture
def uploaded(personas, carol, mail, files):
    """Alice asked by post with name and postcode; she uploaded a redacted ID copy."""
    made = privacy_request_create(
        actor=carol,
        type="erasure",
        channel="post",
        received_at=clock.today(),
        name="Alice de Vries",
        postcode="3521 AB",
    )
    started = privacy_request_start_verification(actor=carol, request=made)
    link_id, token = started.url.rstrip("/").split("/")[-2:]
    document = id_document_upload(
        link_id=link_id, token=token, content=PDF, content_type="application/pdf", redaction_confirmed=True
    )
    return made, document


@pytest.mark.promise("G8", "B4")
def test_it_shows_the_copy_decrypted_only_on_an_explicit_recorded_click(as_erin, erin, uploaded):
    made, document = uploaded
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert PDF.decode() not in page and f'action="{_url(made, "identiteitsbewijs-bekijken", document.pk)}"' in page
    assert AuditEvent.objects.filter(action="privacy.id.read").count() == 0
    with unchanged():
        assert as_erin.get(_url(made, "identiteitsbewijs-bekijken", document.pk)).status_code == 405
    response = as_erin.post(_url(made, "identiteitsbewijs-bekijken", document.pk))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert_clean_event(last_event(), action="privacy.id.read", values=["alice"])
    assert last_event().actor == f"account:{erin.pk}"


@pytest.mark.promise("G8")
def test_it_destroys_a_verified_copy_and_verifies_the_request(as_erin, erin, uploaded, files):
    made, document = uploaded
    stored = document.stored_name
    response = as_erin.post(
        _url(made, "identiteitsbewijs-beoordelen", document.pk),
        {f"identiteitsbewijs_beoordelen_{document.pk}-verified": "yes"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.result == "verified" and document.destroyed_at is not None and not storage.exists(stored)
    made.refresh_from_db()
    assert made.is_verified and made.verification_method == "id_document" and made.verified_by == erin
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert "Identiteit vastgesteld" in page and "vernietigd" in page


@pytest.mark.promise("G8")
def test_it_destroys_a_rejected_copy_too(as_erin, uploaded):
    made, document = uploaded
    as_erin.post(
        _url(made, "identiteitsbewijs-beoordelen", document.pk),
        {f"identiteitsbewijs_beoordelen_{document.pk}-verified": "no"},
    )
    document.refresh_from_db()
    made.refresh_from_db()
    assert document.result == "rejected" and document.destroyed_at is not None and not made.is_verified


@pytest.mark.promise("G8", "B2")
def test_it_hides_the_copy_from_another_request_and_from_support(as_erin, office, personas, uploaded, alice):
    made, document = uploaded
    other = privacy_request_create(actor=alice, type="access", channel="portal")
    with unchanged():
        assert as_erin.post(_url(other, "identiteitsbewijs-bekijken", document.pk)).status_code == 404
        assert as_erin.post(_url(made, "identiteitsbewijs-bekijken")).status_code == 404  # the item is needed
    carol = office(personas.carol)
    with unchanged():
        assert carol.post(_url(made, "identiteitsbewijs-bekijken", document.pk)).status_code == 403


@pytest.mark.promise("G8")
def test_it_cannot_show_a_destroyed_copy(as_erin, uploaded):
    made, document = uploaded
    as_erin.post(
        _url(made, "identiteitsbewijs-beoordelen", document.pk),
        {f"identiteitsbewijs_beoordelen_{document.pk}-verified": "no"},
    )
    _refused_again(
        as_erin,
        made,
        _url(made, "identiteitsbewijs-bekijken", document.pk),
        {},
        field="__all__",
        words="Deze kopie van het identiteitsbewijs is vernietigd",
    )


# --- Extension (X5) ------------------------------------------------------------------------------


@pytest.mark.promise("X5", "G9")
def test_it_extends_with_reasons_told_to_the_requester(as_erin, alice, mail):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    with clock.as_of(D(2026, 3, 20)):
        response = as_erin.post(
            _url(made, "verlengen"), {"verlengen-reason": "Uw gegevens staan in drie oude systemen."}
        )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.extended_due == D(2026, 6, 2) and made.extension_reason.startswith("Uw gegevens")
    [message] = mail.wait_for(1)
    assert "drie oude systemen" in mail.body(message)


@pytest.mark.promise("X5")
def test_it_needs_a_reason_to_extend(as_erin, alice):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    _refused_again(
        as_erin, made, _url(made, "verlengen"), {"verlengen-reason": " "}, field="reason", words="Geef de reden"
    )


@pytest.mark.promise("X5")
def test_it_blocks_an_extension_after_the_promised_date(as_erin, alice, mail):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    with clock.as_of(D(2026, 3, 31)):
        page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
        assert 'data-extend="blocked"' in page and 'name="verlengen-reason"' not in page
        _refused_again(
            as_erin,
            made,
            _url(made, "verlengen"),
            {"verlengen-reason": "Te laat bedacht."},
            field="reason",
            words="Te laat om te verlengen",
        )
    assert mail.settle() == []


@pytest.mark.promise("X5")
def test_it_shows_the_letter_of_an_extension_by_post(as_erin, personas, carol):
    made = privacy_request_create(
        actor=carol, type="access", channel="post", received_at=clock.today(), name="Alice de Vries", postcode="3521 AB"
    )
    response = as_erin.post(_url(made, "verlengen"), {"verlengen-reason": "Veel gegevens.", "verlengen-by_post": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Veel gegevens." in body and '<pre class="letter">' in body
    made.refresh_from_db()
    assert made.extended_due is not None


# --- Refusal (G10) -------------------------------------------------------------------------------


@pytest.mark.promise("G10", "X5")
def test_it_refuses_with_reasons_and_the_right_to_complain(as_erin, alice, mail):
    made = privacy_request_create(actor=alice, type="erasure", channel="portal")
    response = as_erin.post(
        _url(made, "weigeren"),
        {"weigeren-ground": "exemption", "weigeren-reason": "Er loopt nog een geschil over een factuur."},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == "refused" and made.refusal_ground == "exemption"
    body = mail.body(mail.wait_for(1)[0])
    assert "geschil over een factuur" in body and "Autoriteit Persoonsgegevens" in body and "rechtbank" in body


@pytest.mark.promise("G10")
@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"weigeren-ground": "other", "weigeren-reason": ""}, "reason", "Geef de redenen"),
        ({"weigeren-ground": "excessive", "weigeren-reason": "Te vaak."}, "justification", "Onderbouw waarom"),
        (
            {"weigeren-ground": "excessive", "weigeren-reason": "Te vaak.", "weigeren-justification": "Vijf keer."},
            "__all__",
            "Vink de eerdere verzoeken",
        ),
        ({"weigeren-ground": "nonsense", "weigeren-reason": "x"}, "ground", "Selecteer een geldige keuze"),
        ({"weigeren-ground": "other", "weigeren-reason": "BSN 111222333"}, "reason", "burgerservicenummer"),
    ],
)
def test_it_changes_nothing_on_a_refusal_without_what_it_needs(as_erin, alice, mail, data, field, words):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    _refused_again(as_erin, made, _url(made, "weigeren"), data, field=field, words=words)
    assert mail.settle() == []


@pytest.mark.promise("G10")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", "Reden bevat een nummer dat op een burgerservicenummer (BSN) lijkt; dat bewaren we nooit"),
        ("en", "Reason contains a number that looks like a BSN (citizen service number); we never store one"),
    ],
)
def test_it_shows_the_services_refusal_at_its_field_in_the_chosen_language(as_erin, alice, mail, language, words):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    before = database_snapshot()
    as_erin.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the language switch sets
    response = as_erin.post(_url(made, "weigeren"), {"weigeren-ground": "other", "weigeren-reason": "BSN 111222333"})
    assert response.status_code == 200
    assert [str(e) for e in response.context["bound"].errors["reason"]][0].startswith(words)
    assert words in response.content.decode()
    assert_nothing_changed(before)
    assert mail.settle() == []


@pytest.mark.promise("G10")
def test_it_links_the_earlier_requests_to_a_refusal_as_excessive(as_erin, erin, alice, mail):
    with clock.as_of(D(2026, 3, 2)):
        earlier = privacy_request_create(actor=alice, type="access", channel="portal")
        privacy_request_complete(actor=erin, request=earlier, note="Het overzicht is verstuurd.")
    with clock.as_of(D(2026, 3, 9)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
        page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
        assert f'href="/backoffice/verzoeken/{earlier.pk}/"' in page
        as_erin.post(
            _url(made, "weigeren"),
            {
                "weigeren-ground": "excessive",
                "weigeren-reason": "U kreeg een week geleden hetzelfde overzicht.",
                "weigeren-justification": "Er is sindsdien niets veranderd.",
                "weigeren-earlier_requests": [str(earlier.pk)],
            },
        )
    made.refresh_from_db()
    assert made.status == "refused" and list(made.earlier_requests.all()) == [earlier]


# --- Rectification (G2) and recipients (X3) ----------------------------------------------------


@pytest.mark.promise("G2", "X3")
def test_it_approves_or_rejects_corrections_and_tells_the_recipients(as_erin, alice, recipients, mail):
    made = privacy_request_create(
        actor=alice, type="rectification", channel="portal", changes={"phone": "06 87654321", "town": "Amersfoort"}
    )
    phone, town = RectificationProposal.objects.filter(request=made).order_by("field")
    response = as_erin.post(
        _url(made, "correctie-beslissen", phone.pk), {f"correctie_beslissen_{phone.pk}-decision": "approve"}
    )
    assert response.status_code == 302
    alice.contact.refresh_from_db()
    assert alice.contact.phone == "+31687654321"
    _refused_again(
        as_erin,
        made,
        _url(made, "correctie-beslissen", town.pk),
        {f"correctie_beslissen_{town.pk}-decision": "reject", f"correctie_beslissen_{town.pk}-reason": ""},
        field="reason",
        words="Geef de reden",
    )
    as_erin.post(
        _url(made, "correctie-beslissen", town.pk),
        {
            f"correctie_beslissen_{town.pk}-decision": "reject",
            f"correctie_beslissen_{town.pk}-reason": "U woont nog in Utrecht.",
        },
    )
    town.refresh_from_db()
    assert town.status == "rejected"
    notice = RecipientNotice.objects.get(request=made)
    assert notice.recipient == recipients["registry"] and notice.categories == ["D4"]
    _refused_again(
        as_erin,
        made,
        _url(made, "afronden"),
        {"afronden-note": ""},
        field="__all__",
        words="Nog open meldingen aan ontvangers: 1",
    )
    _refused_again(
        as_erin,
        made,
        _url(made, "melding", notice.pk),
        {f"melding_{notice.pk}-decision": "waive", f"melding_{notice.pk}-note": ""},
        field="note",
        words="Geef de reden om deze ontvanger niet te informeren.",
    )
    as_erin.post(
        _url(made, "melding", notice.pk),
        {f"melding_{notice.pk}-decision": "done", f"melding_{notice.pk}-note": "Ticket REG-1042"},
    )
    notice.refresh_from_db()
    assert notice.status == "done" and notice.note == "Ticket REG-1042"
    response = as_erin.post(_url(made, "afronden"), {"afronden-note": "Uw telefoonnummer is aangepast."})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == "completed"
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert "Registrar B.V.: Geïnformeerd" in page and "Ticket REG-1042" in page


@pytest.mark.promise("G2")
def test_it_waits_for_every_correction_decided(as_erin, alice):
    made = privacy_request_create(actor=alice, type="rectification", channel="portal", changes={"town": "Amersfoort"})
    _refused_again(
        as_erin,
        made,
        _url(made, "afronden"),
        {},
        field="__all__",
        words="Beslis eerst over elke voorgestelde correctie",
    )


@pytest.mark.promise("G2")
def test_it_adds_a_correction_the_requester_asked_for(as_erin, alice):
    made = privacy_request_create(
        actor=alice, type="rectification", channel="portal", details="Mijn achternaam is De Vries-Smit."
    )
    as_erin.post(
        _url(made, "correctie-toevoegen"),
        {"correctie_toevoegen-field": "last_name", "correctie_toevoegen-value": "de Vries-Smit"},
    )
    assert RectificationProposal.objects.get(request=made).value == "de Vries-Smit"
    _refused_again(
        as_erin,
        made,
        _url(made, "correctie-toevoegen"),
        {"correctie_toevoegen-field": "email", "correctie_toevoegen-value": "geen-adres"},
        field="value",
        words="Dit is geen geldig e-mailadres",
    )


@pytest.mark.promise("G2", "X3")
def test_it_refuses_to_decide_a_correction_twice(as_erin, erin, alice):
    made = privacy_request_create(actor=alice, type="rectification", channel="portal", changes={"town": "Amersfoort"})
    proposal = RectificationProposal.objects.get()
    rectification_proposal_approve(actor=erin, proposal=proposal)
    _refused_again(
        as_erin,
        made,
        _url(made, "correctie-beslissen", proposal.pk),
        {f"correctie_beslissen_{proposal.pk}-decision": "approve"},
        field="__all__",
        words="Over deze correctie is al beslist",
    )


# --- Restriction (X2) and objection (G5) ----------------------------------------------------------


@pytest.mark.promise("X2", "X3")
def test_it_restricts_the_subjects_data(as_erin, alice, recipients, mail):
    made = privacy_request_create(actor=alice, type="restriction", channel="portal", details="Mijn adres klopt niet.")
    _refused_again(as_erin, made, _url(made, "afronden"), {}, field="__all__", words="Pas eerst de beperking toe")
    response = as_erin.post(_url(made, "beperken"), {"beperken-categories": ["D2", "D3"]})
    assert response.status_code == 302
    assert is_restricted(alice) and is_restricted(alice, category="D2") and not is_restricted(alice, category="D7")
    assert set(RecipientNotice.objects.filter(request=made).values_list("recipient__key", flat=True)) == {
        "datacenter",
        "registry",
    }
    _refused_again(as_erin, made, _url(made, "beperken"), {}, field="__all__", words="De beperking is al van kracht")


@pytest.mark.promise("G5")
def test_it_decides_an_objection_keeping_purposes_on_compelling_grounds(as_erin, alice, mail):
    made = privacy_request_create(actor=alice, type="objection", channel="portal", purposes=["U10", "U12"])
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert 'name="afronden-keep_U10"' in page and 'name="afronden-keep_U12"' in page
    as_erin.post(
        _url(made, "afronden"),
        {"afronden-keep_U12": "Wij blijven inlogpogingen controleren om uw account te beschermen."},
    )
    made.refresh_from_db()
    assert made.status == "completed"
    assert set(made.processing_stops.values_list("purpose", flat=True)) == {"U10"}


# --- Erasure (G3) --------------------------------------------------------------------------------


@pytest.mark.promise("G3", "X3")
def test_it_submits_and_reviews_the_erasure_plan_from_the_engine(as_erin, alice, recipients, mail):
    made = privacy_request_create(actor=alice, type="erasure", channel="portal")
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/")
    preview = page.context["preview"]
    assert preview is not None and "customers.Contact" in preview.rows and "D3" in preview.categories
    assert 'data-model="customers.Contact"' in page.content.decode()
    _refused_again(
        as_erin,
        made,
        _url(made, "verwijderplan-beoordelen"),
        {"verwijderplan_beoordelen-decision": "approve"},
        field="__all__",
        words="Er is geen voorgesteld verwijderplan om te beoordelen",
    )
    assert as_erin.post(_url(made, "verwijderplan-indienen")).status_code == 302
    made.refresh_from_db()
    assert made.erasure_plan_status == "proposed" and made.erasure_plan["rows"] == preview.rows
    assert made.erasure_plan["categories"] == preview.categories
    _refused_again(
        as_erin,
        made,
        _url(made, "verwijderplan-beoordelen"),
        {"verwijderplan_beoordelen-decision": "reject", "verwijderplan_beoordelen-note": ""},
        field="note",
        words="Zeg waarom het plan wordt afgewezen.",
    )
    as_erin.post(_url(made, "verwijderplan-beoordelen"), {"verwijderplan_beoordelen-decision": "approve"})
    made.refresh_from_db()
    assert made.erasure_plan_status == "approved"
    assert RecipientNotice.objects.filter(request=made, cause="erasure").exists()
    _refused_again(
        as_erin, made, _url(made, "afronden"), {}, field="__all__", words="Het verwijderplan is nog niet uitgevoerd"
    )
    assert "de verwijdermotor voert het plan uit" in as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()


@pytest.mark.promise("G3")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "nl",
            "Het verwijderplan is goedgekeurd, maar kon nu niet worden uitgevoerd: "
            "Van de betrokkene van dit verzoek is niets meer te verwijderen",
        ),
        (
            "en",
            "The erasure plan was approved, but could not be carried out now: "
            "There is nothing left to erase for the subject of this request",
        ),
    ],
)
def test_it_says_why_an_approved_plan_could_not_be_carried_out(as_erin, alice, mail, monkeypatch, language, words):
    def refuse(**kwargs):
        raise AlreadyErased("privacy.erasure_nothing_left")

    monkeypatch.setattr("waarborg.backoffice.requests.privacy_request_erase", refuse)
    made = privacy_request_create(actor=alice, type="erasure", channel="portal")
    assert as_erin.post(_url(made, "verwijderplan-indienen")).status_code == 302
    as_erin.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the language switch sets
    response = as_erin.post(
        _url(made, "verwijderplan-beoordelen"), {"verwijderplan_beoordelen-decision": "approve"}, follow=True
    )
    assert words in response.content.decode()
    made.refresh_from_db()
    assert made.erasure_plan_status == "approved" and made.is_open  # the approval stands, nothing erased


@pytest.mark.promise("G3", "G8")
def test_it_makes_no_erasure_plan_before_the_identity_is_verified(as_erin, carol, personas):
    made = privacy_request_create(
        actor=carol, type="erasure", channel="email", received_at=clock.today(), email="alice.devries@example.nl"
    )
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/")
    assert page.context["preview"] is None
    _refused_again(
        as_erin,
        made,
        _url(made, "verwijderplan-indienen"),
        {},
        field="__all__",
        words="De identiteit van de verzoeker is nog niet vastgesteld",
    )


# --- Completion ----------------------------------------------------------------------------------


@pytest.mark.promise("G10")
def test_it_changes_nothing_when_the_answer_cannot_be_mailed(as_erin, alice, settings):
    made = privacy_request_create(actor=alice, type="objection", channel="portal", purposes=["U10"])
    settings.EMAIL_PORT = 1  # nothing listens there
    _refused_again(
        as_erin, made, _url(made, "afronden"), {}, field="__all__", words="De e-mail kon nu niet worden verstuurd"
    )


@pytest.mark.promise("G8")
def test_it_destroys_an_id_copy_left_when_a_request_is_refused(as_erin, uploaded):
    made, document = uploaded
    as_erin.post(
        _url(made, "weigeren"),
        {"weigeren-ground": "unverified", "weigeren-reason": "De kopie was onleesbaar.", "weigeren-by_post": "on"},
    )
    document = IdDocument.objects.get(pk=document.pk)
    assert document.destroyed_at is not None


# --- Portability (G6) and requests about no one we know ----------------------------------------


@pytest.mark.promise("G6")
def test_it_answers_a_portability_request_with_a_one_time_download_link(as_erin, alice, mail):
    made = privacy_request_create(actor=alice, type="portability", channel="portal")
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert 'name="afronden-package_ref"' not in page  # the package is built, not named
    response = as_erin.post(_url(made, "afronden"), {"afronden-note": "Uw gegevens als JSON en CSV."})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == "completed" and made.package_ref.endswith(".zip")
    link = made.download_links.get()
    assert link.recipient == "subject" and link.sent_to == "alice.devries@example.nl"
    bodies = [mail.body(m) for m in mail.wait_for(2)]
    assert any("/privacyverzoek/download/" in body for body in bodies)
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert f'data-download="{link.pk}"' in page and "Pakket bezorgd" in page


@pytest.mark.promise("G6")
def test_it_sends_a_failed_push_to_the_organisation_again(as_erin, alice, mail, settings):
    settings.WAARBORG_ALLOW_HTTP_PUSH = True  # the receiver is on this machine, over http://
    with PushReceiver(status=503) as receiver:
        made = privacy_request_create(actor=alice, type="portability", channel="portal", transmit_to=receiver.url)
        response = as_erin.post(_url(made, "afronden"), {}, follow=True)
        push = made.package_pushes.get()
        assert push.status == "failed" and push.last_error == "http 503"
        assert f'data-push="{push.pk}" data-state="failed"' in response.content.decode()
        receiver.status = 200
        as_erin.post(_url(made, "pakket-opnieuw-versturen", push.pk))
    push.refresh_from_db()
    assert push.status == "sent" and push.attempts == 2 and len(receiver.received) == 2
    _refused_again(
        as_erin,
        made,
        _url(made, "pakket-opnieuw-versturen", push.pk),
        {},
        field="__all__",
        words="Het pakket is al verstuurd",
    )


@pytest.mark.promise("G1", "G7")
def test_it_answers_a_request_about_no_one_we_know_that_nothing_is_held(office, as_erin, personas, mail):
    office(personas.carol).post(
        "/backoffice/verzoeken/registreren/",
        {
            "type": "access",
            "channel": "post",
            "received": clock.today().isoformat(),
            "language": "nl",
            "name": "Jan Onbekend",
            "postcode": "9999 ZZ",
            "start_check": "on",
        },
    )
    made = PrivacyRequest.objects.get()
    assert made.is_open and not made.subject_rows
    client = office(personas.erin)
    page = client.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert 'data-known="false"' in page and 'name="afronden-note"' not in page
    response = client.post(_url(made, "geen-gegevens"), {"geen_gegevens-by_post": "on"})
    assert response.status_code == 200 and '<pre class="letter">' in response.content.decode()
    made.refresh_from_db()
    assert made.status == "completed" and made.answered_by == "post"


@pytest.mark.promise("G3", "X3")
def test_it_carries_out_an_approved_erasure_plan_at_once(
    as_erin, erin, alice, recipients, mail, django_capture_on_commit_callbacks
):
    from waarborg.customers.models import Customer
    from waarborg.erasure.models import ErasureCase

    made = privacy_request_create(actor=alice, type="erasure", channel="portal")
    as_erin.post(_url(made, "verwijderplan-indienen"))
    with django_capture_on_commit_callbacks(execute=True):
        response = as_erin.post(
            _url(made, "verwijderplan-beoordelen"), {"verwijderplan_beoordelen-decision": "approve"}, follow=True
        )
    shown = [str(m) for m in response.context["messages"]]
    assert any("goedgekeurd en uitgevoerd" in m for m in shown), shown
    case = ErasureCase.objects.get(privacy_request_id=made.pk)
    assert case.status == ErasureCase.Status.COMPLETE
    assert not Customer.objects.filter(pk=alice.contact.customer_id).exists()
    made.refresh_from_db()
    assert made.erasure_plan_status == "executed" and made.is_open  # the answer waits for the recipient notices
    from waarborg.privacy.recipient_notices import recipient_notice_done

    for notice in RecipientNotice.objects.filter(request=made):
        recipient_notice_done(actor=erin, notice=notice)
    assert as_erin.post(_url(made, "afronden"), {}).status_code == 302
    made.refresh_from_db()
    assert not made.is_open
    first_line = case.result["notice"]["nl"].strip().splitlines()[0]
    assert any(first_line in mail.body(m) for m in mail.wait_for(1)), first_line
