"""A refusal states its reasons and the rights to complain and to go to court (G10, X5)."""

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.privacy import notices, storage
from waarborg.privacy.answers import privacy_request_complete, privacy_request_refuse
from waarborg.privacy.identity import (
    id_document_upload,
    privacy_request_start_verification,
    privacy_request_verify_by_staff,
)
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.tests.test_identity import PDF, _link_from
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db
REASON = "Wij kunnen niet vaststellen dat het verzoek van de betrokkene zelf komt."


def _request(actor, email="alice.devries@example.nl", language="nl", **kw):
    return privacy_request_create(
        actor=actor,
        type=kw.pop("type", "erasure"),
        channel="email",
        received_at=clock.today(),
        email=email,
        language=language,
        **kw,
    )


@pytest.mark.promise("G10", "X5", "K3", "B4")
@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "nl",
            ("Autoriteit Persoonsgegevens", "rechtbank", "binnen zes weken", "artikel 35, lid 2 Uitvoeringswet AVG"),
        ),
        ("en", ("Autoriteit Persoonsgegevens", "district court (rechtbank)", "within six weeks", "art. 35(2)")),
    ],
)
def test_it_sends_a_refusal_with_reasons_and_the_rights_to_complain_and_to_go_to_court(
    personas, erin, mail, language, phrases
):
    request = _request(erin, language=language)
    notice = privacy_request_refuse(actor=erin, request=request, reason=REASON, ground="unverified")
    assert notice.emailed and request.status == PrivacyRequest.Status.REFUSED and request.closed_at
    [message] = mail.wait_for(1)
    assert message["To"] == "alice.devries@example.nl"
    body = mail.body(message)
    assert REASON in body
    for phrase in phrases:
        assert phrase in body
    assert_clean_event(last_event(), action="privacy.request.refuse", values=["vaststellen", "alice"])


@pytest.mark.promise("G10")
@pytest.mark.parametrize("reason", ["", "   \n  ", None])
def test_it_blocks_a_refusal_without_a_reason(personas, erin, mail, reason):
    request = _request(erin)
    before = database_snapshot()
    with pytest.raises(ValidationError, match="reason is required"):
        privacy_request_refuse(actor=erin, request=request, reason=reason)
    assert_nothing_changed(before)
    assert mail.settle() == []
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.RECEIVED


@pytest.mark.promise("G10", "X5")
@pytest.mark.parametrize("dropped", ["Autoriteit Persoonsgegevens", "rechtbank", "zes weken"])
def test_it_blocks_a_refusal_text_that_lacks_a_right(personas, erin, mail, monkeypatch, dropped):
    real = notices.render

    def edited(name, lang, context):
        text = real(name, lang, context)
        return notices.Text(text.subject, text.body.replace(dropped, "…"))

    monkeypatch.setattr(notices, "render", edited)
    request = _request(erin)
    before = database_snapshot()
    with pytest.raises(ValidationError, match="lacks"):
        privacy_request_refuse(actor=erin, request=request, reason=REASON)
    assert_nothing_changed(before)
    assert mail.settle() == []


def _answered(erin, request):
    privacy_request_verify_by_staff(actor=erin, request=request, note="Klantnummer en factuurbedrag klopten.")
    privacy_request_complete(actor=erin, request=request, by_post=True)
    return request


@pytest.mark.promise("G10")
def test_it_refuses_as_excessive_only_with_a_justification_and_the_earlier_requests(personas, erin, mail):
    with clock.as_of(clock.today().replace(day=1)):
        first = _answered(erin, _request(erin, type="access"))
    second = _answered(erin, _request(erin, type="access"))
    someone_else = _request(erin, type="access", email="bob@bakkerijjansen.example")
    third = _request(erin, type="access")  # the earlier ones were answered: not a duplicate
    before = database_snapshot()
    for kwargs, match in [
        ({}, "justification is required"),
        ({"justification": "Drie keer dezelfde vraag in een maand."}, "earlier requests"),
        ({"justification": "Drie keer dezelfde vraag.", "earlier_requests": [someone_else]}, "same person"),
        ({"justification": "Drie keer dezelfde vraag.", "earlier_requests": [third]}, "same person"),
    ]:
        with pytest.raises(ValidationError, match=match):
            privacy_request_refuse(actor=erin, request=third, reason=REASON, ground="excessive", **kwargs)
    assert_nothing_changed(before)
    assert mail.settle() == []
    privacy_request_refuse(
        actor=erin,
        request=third,
        reason="U vroeg drie keer om hetzelfde overzicht.",
        ground="excessive",
        justification="Er is sinds uw vorige verzoek niets veranderd.",
        earlier_requests=[first, second],
    )
    assert set(third.earlier_requests.all()) == {first, second}
    body = mail.body(mail.wait_for(1)[0])
    assert first.number in body and second.number in body and "buitensporig" in body
    assert "Er is sinds uw vorige verzoek niets veranderd." in body


@pytest.mark.promise("G10", "G8")
def test_it_destroys_an_id_copy_still_held_when_refusing(personas, erin, mail, files):
    request = _request(erin, email="iemand@example.org", customer_number=personas.alice_customer.number)
    privacy_request_start_verification(actor=erin, request=request)
    link_id, token = _link_from(mail.wait_for(1)[0], mail)
    document = id_document_upload(
        link_id=link_id, token=token, content=PDF, content_type="application/pdf", redaction_confirmed=True
    )
    privacy_request_refuse(actor=erin, request=request, reason="De kopie is niet van de klant.", ground="unverified")
    assert not storage.exists(document.stored_name)
    document.refresh_from_db()
    assert document.destroyed_at is not None and document.stored_name == ""
    assert AuditEvent.objects.filter(action="privacy.id.destroy").exists()


@pytest.mark.promise("G10")
def test_it_refuses_nothing_twice(personas, erin, mail):
    request = _request(erin)
    privacy_request_refuse(actor=erin, request=request, reason=REASON)
    with unchanged(), pytest.raises(ValidationError, match="closed"):
        privacy_request_refuse(actor=erin, request=request, reason=REASON)
