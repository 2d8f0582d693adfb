"""Privacy requests in the portal: every type, verified by the session, no upload; own requests only."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from waarborg.auth_web import testing
from waarborg.core import clock
from waarborg.privacy.answers import privacy_request_complete, privacy_request_refuse
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest, RectificationProposal
from waarborg.privacy.selectors import objectable_purposes
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

LIST = "/portaal/privacyverzoeken/"
SLUGS = {
    "access": "inzage",
    "rectification": "correctie",
    "erasure": "verwijdering",
    "withdrawal": "intrekking",
    "objection": "bezwaar",
    "portability": "overdracht",
    "restriction": "beperking",
}
PRIVACY_MODELS = ("privacy.PrivacyRequest", "privacy.RectificationProposal", "privacy.VerificationLink")


def _new(type_: str) -> str:
    return f"/portaal/privacyverzoeken/nieuw/{SLUGS[type_]}/"


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


@pytest.mark.promise("G7", "G8")
@pytest.mark.parametrize("type_", list(SLUGS))
def test_it_offers_every_type_without_an_upload_field(as_alice, type_):
    response = as_alice.get(_new(type_))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="file"' not in body and "multipart/form-data" not in body
    assert "identiteitsbewijs" not in body.lower() or "geen identiteitsbewijs" in body.lower()
    assert f'action="{_new(type_)}"' in body


@pytest.mark.promise("G7", "G8")
def test_it_lists_every_type_on_the_requests_page_without_an_upload_field(as_alice):
    body = as_alice.get(LIST).content.decode()
    for type_ in SLUGS:
        assert f'href="{_new(type_)}"' in body
    assert 'type="file"' not in body


@pytest.mark.promise("G1", "G7", "G8", "G9")
def test_it_files_an_access_request_verified_by_the_session(as_alice, alice, mail):
    with clock.as_of(dt.date(2026, 3, 2)):
        response = as_alice.post(_new("access"), {"details": "Welke gegevens hebt u van mij?"})
    made = PrivacyRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portaal/privacyverzoeken/{made.pk}/"
    assert made.type == "access" and made.channel == "portal" and made.account == alice
    assert made.verification_method == "session" and made.is_verified and made.status == "in_progress"
    assert made.promise_due == dt.date(2026, 3, 30) and made.language == "nl"
    assert not made.links.exists() and not made.id_documents.exists()
    assert mail.settle() == []  # no link, no check: the session is the check
    body = as_alice.get(response["Location"]).content.decode()
    assert made.number in body and "30 maart 2026" in body and "Ingelogd in het portaal" in body
    assert 'type="file"' not in body


@pytest.mark.promise("G2")
def test_it_files_a_rectification_with_field_level_changes(as_alice, alice):
    response = as_alice.post(
        _new("rectification"),
        {"town": "Amersfoort", "phone": "06-87654321", "postcode": "3521 AB", "details": "Verhuisd."},
    )
    assert response.status_code == 302
    made = PrivacyRequest.objects.get()
    proposals = dict(RectificationProposal.objects.filter(request=made).values_list("field", "value"))
    assert proposals == {"town": "Amersfoort", "phone": "+31687654321"}  # the unchanged postcode left out
    assert alice.contact.town == "Utrecht"  # a proposal, decided by the privacy officer


@pytest.mark.promise("G2")
def test_it_refuses_a_rectification_that_changes_nothing_and_stores_nothing(as_alice):
    before = database_snapshot()
    response = as_alice.post(_new("rectification"), {"town": "Utrecht", "phone": ""})
    assert response.status_code == 200
    assert "Vul ten minste één gegeven in dat afwijkt" in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("G2")
def test_it_shows_a_malformed_correction_at_its_field(as_alice):
    before = database_snapshot()
    response = as_alice.post(_new("rectification"), {"phone": "06-1234", "email": "geen-adres"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit is geen geldig telefoonnummer." in body and "Dit is geen geldig e-mailadres" in body
    assert_nothing_changed(before)


@pytest.mark.promise("G3")
def test_it_files_an_erasure_request(as_alice):
    as_alice.post(_new("erasure"), {"details": ""})
    made = PrivacyRequest.objects.get()
    assert made.type == "erasure" and made.is_verified


@pytest.mark.promise("G4")
def test_it_files_a_withdrawal_of_the_consents_chosen(as_alice):
    response = as_alice.post(_new("withdrawal"), {"details": ""})
    assert "Kies ten minste één toestemming." in response.content.decode()
    as_alice.post(_new("withdrawal"), {"consent_kinds": ["cookies_analytics"]})
    assert PrivacyRequest.objects.get().consent_kinds == ["cookies_analytics"]


@pytest.mark.promise("G5")
def test_it_offers_exactly_the_objectable_purposes_and_files_an_objection(as_alice):
    body = as_alice.get(_new("objection")).content.decode()
    offered = re.findall(r'name="purposes" value="(U\d+)"', body)
    assert offered == list(objectable_purposes())
    assert "U1" not in offered and "U3" not in offered  # a contract or a legal duty cannot be objected to
    as_alice.post(_new("objection"), {"purposes": ["U10", "U12"], "details": "Geen profilering."})
    made = PrivacyRequest.objects.get()
    assert made.type == "objection" and made.purposes == ["U10", "U12"]


@pytest.mark.promise("G5")
def test_it_refuses_a_purpose_that_cannot_be_objected_to(as_alice):
    before = database_snapshot()
    response = as_alice.post(_new("objection"), {"purposes": ["U3"]})
    assert response.status_code == 200 and "purposes" in response.context["form"].errors
    assert_nothing_changed(before)


@pytest.mark.promise("G6")
@pytest.mark.parametrize(
    ("data", "transmit_to"),
    [
        ({"destination": "me", "organisation_address": "dpo@nieuwehost.example"}, ""),
        ({"destination": "organisation", "organisation_address": "DPO@NieuweHost.example"}, "dpo@nieuwehost.example"),
        (
            {"destination": "organisation", "organisation_address": "https://nieuwehost.example/import"},
            "https://nieuwehost.example/import",
        ),
    ],
)
def test_it_files_portability_to_me_or_to_an_organisation(as_alice, data, transmit_to):
    response = as_alice.post(_new("portability"), data)
    assert response.status_code == 302
    assert PrivacyRequest.objects.get().transmit_to == transmit_to


@pytest.mark.promise("G6", "B5")
@pytest.mark.parametrize(
    "address",
    ["http://nieuwehost.example/import", "https://user:secret@nieuwehost.example/import", "Nieuwe Host B.V.", ""],
)
def test_it_refuses_an_insecure_or_incomplete_destination(as_alice, address):
    before = database_snapshot()
    response = as_alice.post(_new("portability"), {"destination": "organisation", "organisation_address": address})
    assert response.status_code == 200 and "organisation_address" in response.context["form"].errors
    assert_nothing_changed(before)


@pytest.mark.promise("X2")
def test_it_files_a_restriction_with_its_reason(as_alice):
    response = as_alice.post(_new("restriction"), {"details": ""})
    assert response.status_code == 200 and "details" in response.context["form"].errors
    as_alice.post(_new("restriction"), {"details": "Mijn adres klopt niet; zoek dat eerst uit."})
    assert PrivacyRequest.objects.get().type == "restriction"


@pytest.mark.promise("G8")
def test_it_refuses_a_bsn_in_the_details_and_stores_nothing(as_alice):
    before = database_snapshot()
    response = as_alice.post(_new("access"), {"details": "Mijn BSN is 111222333."})
    body = response.content.decode()
    assert response.status_code == 200 and "burgerservicenummer (BSN)" in body
    assert "111222333" in body  # the form keeps what was typed, so it can be corrected
    assert_nothing_changed(before)


@pytest.mark.promise("G8")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", "Toelichting bevat een nummer dat op een burgerservicenummer (BSN) lijkt"),
        ("en", "Details contains a number that looks like a BSN (citizen service number)"),
    ],
)
def test_it_shows_the_services_refusal_at_its_field_in_the_visitors_language(as_alice, language, words):
    before = database_snapshot()
    as_alice.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the language switch sets
    response = as_alice.post(_new("access"), {"details": "Mijn BSN is 111222333."})
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].errors["details"]][0].startswith(words)
    assert words in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("G1", "G9", "G10", "X5")
def test_it_lists_own_requests_with_status_due_date_and_answers(as_alice, alice, bob, erin, mail):
    with clock.as_of(dt.date(2026, 3, 2)):
        answered = privacy_request_create(actor=alice, type="access", channel="portal")
        refused = privacy_request_create(actor=alice, type="erasure", channel="portal")
        privacy_request_create(actor=bob, type="access", channel="portal", details="Bob's vraag")
    with clock.as_of(dt.date(2026, 3, 10)):
        privacy_request_complete(actor=erin, request=answered, note="Het overzicht zit in de bijlage.")
        privacy_request_refuse(
            actor=erin, request=refused, reason="U hebt nog een lopend contract.", ground="exemption"
        )
    with clock.as_of(dt.date(2026, 3, 12)):
        open_one = privacy_request_create(actor=alice, type="objection", channel="portal", purposes=["U10"])
        body = as_alice.get(LIST).content.decode()
    assert "Bob" not in body and body.count("data-number=") == 3
    assert f'data-number="{open_one.number}" data-status="in_progress"' in body
    assert "9 april 2026" in body  # answer due: received + 28 days
    assert "Beantwoord op 10 maart 2026" in body and "Geweigerd op 10 maart 2026" in body
    detail = as_alice.get(f"/portaal/privacyverzoeken/{refused.pk}/").content.decode()
    assert "U hebt nog een lopend contract." in detail and "Autoriteit Persoonsgegevens" in detail
    assert "rechtbank" in detail and "zes weken" in detail
    detail = as_alice.get(f"/portaal/privacyverzoeken/{answered.pk}/").content.decode()
    assert "Het overzicht zit in de bijlage." in detail


@pytest.mark.promise("B2")
def test_it_answers_404_for_another_customers_request(as_alice, bob):
    others = privacy_request_create(actor=bob, type="access", channel="portal", details="Bob's vraag")
    with unchanged():
        response = as_alice.get(f"/portaal/privacyverzoeken/{others.pk}/")
        assert as_alice.get("/portaal/privacyverzoeken/999999/").status_code == 404
    assert response.status_code == 404
    assert "Bob's vraag" not in response.content.decode()


@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["carol", "erin"])
def test_it_keeps_staff_out_of_the_portals_request_pages(client, personas, who):
    testing.sign_in(client, getattr(personas, who))
    with unchanged():
        assert client.get(LIST).status_code == 403
        assert client.post(_new("access"), {}).status_code == 403


def test_it_sends_a_visitor_to_sign_in(client, db):
    with unchanged():
        response = client.get(_new("access"))
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")


@pytest.mark.promise("B1")
def test_it_refuses_a_post_without_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    testing.sign_in(client, alice)
    with unchanged():
        response = client.post(_new("access"), {"details": ""})
    assert response.status_code == 403


def test_it_fills_the_landing_section_with_the_latest_requests(as_alice, alice):
    body = as_alice.get("/portaal/").content.decode()
    assert 'id="privacy-requests"' in body and f'href="{LIST}"' in body
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    body = as_alice.get("/portaal/").content.decode()
    assert f'data-number="{made.number}"' in body and "1 verzoek in behandeling." in body
