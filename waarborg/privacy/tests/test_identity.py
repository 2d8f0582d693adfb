"""Identity checks (G8): the lightest means that suffices; ID copies encrypted and destroyed."""

import datetime as dt
import re

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.core.daily import run_daily
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.privacy import storage
from waarborg.privacy.identity import (
    LINK_MAX_ATTEMPTS,
    id_document_read,
    id_document_review,
    id_document_upload,
    privacy_request_start_verification,
    privacy_request_verify_email_link,
)
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest, VerificationLink
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db
D = dt.date
LINK = re.compile(r"/privacyverzoek/(bevestigen|identiteit)/([0-9a-f-]{36})/([A-Za-z0-9_-]+)/")
PDF = b"%PDF-1.7\n% a redacted identity card of Alice de Vries\n"


def _link_from(mail, smtp_server):
    match = LINK.search(smtp_server.body(mail))
    assert match, "the mail holds no one-time link"
    return match.group(2), match.group(3)


def _request(actor, email="alice.devries@example.nl", **kw):
    return privacy_request_create(
        actor=actor,
        type=kw.pop("type", "access"),
        channel=kw.pop("channel", "email"),
        received_at=kw.pop("received_at", clock.today()),
        email=email,
        **kw,
    )


@pytest.mark.promise("G8", "B4")
def test_it_sends_a_one_time_link_to_an_address_on_file_and_verifies_once(personas, erin, mail, on):
    with on(D(2026, 3, 2)):
        request = _request(erin)
        started = privacy_request_start_verification(actor=erin, request=request)
        assert started.kind == "email_link" and started.emailed and started.url == ""
        assert request.status == PrivacyRequest.Status.AWAITING_ID
        [message] = mail.wait_for(1)
        assert message["To"] == "alice.devries@example.nl"
        assert "Bevestig uw privacyverzoek" in message["Subject"]
        body = mail.body(message)
        assert "72 uur" in body and "één keer" in body and "kopie" not in body.lower()
        link_id, token = _link_from(message, mail)
        stored = VerificationLink.objects.get()
        assert token not in stored.token_hash and len(stored.token_hash) == 64  # only a keyed hash is kept
        verified = privacy_request_verify_email_link(link_id=link_id, token=token)
    assert verified.verification_method == "email_link" and verified.is_verified
    assert verified.status == PrivacyRequest.Status.IN_PROGRESS
    assert_clean_event(last_event(), action="privacy.verification.email_link", values=[token, "alice"])
    before = database_snapshot()
    with pytest.raises(ValidationError, match="used already"):
        privacy_request_verify_email_link(link_id=link_id, token=token)
    assert_nothing_changed(before)


@pytest.mark.promise("G8")
def test_it_refuses_an_expired_link_and_writes_nothing(personas, erin, mail, on):
    with on(D(2026, 3, 2)):
        request = _request(erin)
        privacy_request_start_verification(actor=erin, request=request)
        link_id, token = _link_from(mail.wait_for(1)[0], mail)
    before = database_snapshot()
    with on(D(2026, 3, 5)), pytest.raises(ValidationError, match="expired"):  # 72 hours later
        privacy_request_verify_email_link(link_id=link_id, token=token)
    assert_nothing_changed(before)
    assert not PrivacyRequest.objects.get().is_verified


@pytest.mark.promise("G8")
def test_it_locks_a_link_after_too_many_wrong_tokens(personas, erin, mail):
    request = _request(erin)
    privacy_request_start_verification(actor=erin, request=request)
    link_id, token = _link_from(mail.wait_for(1)[0], mail)
    counted = {"privacy.VerificationLink.failed_attempts": "a wrong token is counted: the link locks after too many"}
    for _ in range(LINK_MAX_ATTEMPTS - 1):
        with unchanged(except_for=counted), pytest.raises(ValidationError, match="not valid"):
            privacy_request_verify_email_link(link_id=link_id, token="geraden")
    with pytest.raises(ValidationError, match="not valid"):  # the last one locks the link (and says so in the trail)
        privacy_request_verify_email_link(link_id=link_id, token="geraden")
    assert VerificationLink.objects.get().failed_attempts == LINK_MAX_ATTEMPTS
    assert last_event().action == "privacy.link.locked"
    with unchanged(), pytest.raises(ValidationError, match="too many tries"):
        privacy_request_verify_email_link(link_id=link_id, token=token)  # even the right token now
    assert not PrivacyRequest.objects.get().is_verified
    with unchanged(), pytest.raises(NotFound):
        privacy_request_verify_email_link(link_id="not-a-link", token=token)


@pytest.mark.promise("G8")
def test_it_replaces_an_older_link_with_a_newer_one(personas, erin, mail):
    request = _request(erin)
    privacy_request_start_verification(actor=erin, request=request)
    privacy_request_start_verification(actor=erin, request=request)
    first, second = mail.wait_for(2)
    old_id, old_token = _link_from(first, mail)
    new_id, new_token = _link_from(second, mail)
    with unchanged(), pytest.raises(ValidationError, match="replaced"):
        privacy_request_verify_email_link(link_id=old_id, token=old_token)
    assert privacy_request_verify_email_link(link_id=new_id, token=new_token).is_verified


@pytest.mark.promise("G8")
def test_it_never_asks_a_signed_in_customer_for_an_id_copy(alice):
    request = privacy_request_create(actor=alice, type="access", channel="portal")
    assert request.verification_method == "session"
    with unchanged(), pytest.raises(ValidationError, match="already verified"):
        privacy_request_start_verification(actor=SYSTEM, request=request)
    with unchanged(), pytest.raises(PermissionDenied):
        privacy_request_start_verification(actor=alice, request=request)
    assert not VerificationLink.objects.exists()


@pytest.mark.promise("G8", "B4")
def test_it_asks_an_unknown_address_for_a_redacted_id_copy_stored_encrypted_and_destroyed(
    personas, erin, mail, files, on
):
    with on(D(2026, 3, 2)):
        request = _request(erin, email="alice.prive@example.org", customer_number=personas.alice_customer.number)
        assert not request.email_on_file and request.contact == personas.alice_contact
        started = privacy_request_start_verification(actor=erin, request=request)
        assert started.kind == "id_upload"
        [message] = mail.wait_for(1)
        assert message["To"] == "alice.prive@example.org"
        body = mail.body(message)
        for asked in ("pasfoto", "MRZ", "documentnummer", "burgerservicenummer (BSN)", "uiterlijk 7 dagen"):
            assert asked in body
        link_id, token = _link_from(message, mail)
        document = id_document_upload(
            link_id=link_id, token=token, content=PDF, content_type="application/pdf", redaction_confirmed=True
        )
    raw = (files / "privacy-id" / document.stored_name).read_bytes()
    assert PDF not in raw and b"Alice" not in raw and raw.startswith(b"gAAAAA")  # a Fernet token
    assert id_document_read(actor=erin, document=document) == PDF
    assert_clean_event(last_event(), action="privacy.id.read", values=["Alice"])
    with unchanged(), pytest.raises(ValidationError, match="used already"):
        id_document_upload(
            link_id=link_id, token=token, content=PDF, content_type="application/pdf", redaction_confirmed=True
        )
    with on(D(2026, 3, 3)):
        verified = id_document_review(actor=erin, document=document, verified=True)
    assert verified.verification_method == "id_document" and verified.verified_by == erin
    assert verified.status == PrivacyRequest.Status.IN_PROGRESS and verified.paused_days == 1
    document.refresh_from_db()
    assert document.stored_name == "" and document.destroyed_at is not None and document.result == "verified"
    assert not list((files / "privacy-id").iterdir())
    assert AuditEvent.objects.filter(action="privacy.id.destroy").count() == 1
    with unchanged(), pytest.raises(ValidationError, match="destroyed"):
        id_document_read(actor=erin, document=document)


@pytest.mark.promise("G8")
def test_it_destroys_an_unreviewed_id_copy_seven_days_after_the_upload(personas, erin, mail, files, on):
    with on(D(2026, 3, 2)):
        request = _request(erin, email="iemand@example.org", customer_number=personas.alice_customer.number)
        privacy_request_start_verification(actor=erin, request=request)
        link_id, token = _link_from(mail.wait_for(1)[0], mail)
        document = id_document_upload(
            link_id=link_id, token=token, content=PDF, content_type="application/pdf", redaction_confirmed=True
        )
    assert storage.exists(document.stored_name)
    assert run_daily(D(2026, 3, 8), only=["privacy-id-documents"]) == {"privacy-id-documents": {"destroyed": 0}}
    assert storage.exists(document.stored_name)
    assert run_daily(D(2026, 3, 9), only=["privacy-id-documents"]) == {"privacy-id-documents": {"destroyed": 1}}
    document.refresh_from_db()
    assert document.stored_name == "" and document.destroyed_at is not None and document.result == ""
    assert not list((files / "privacy-id").iterdir())
    assert run_daily(D(2026, 3, 10), only=["privacy-id-documents"]) == {"privacy-id-documents": {"destroyed": 0}}
    assert not PrivacyRequest.objects.get().is_verified


@pytest.mark.promise("G8")
def test_it_destroys_a_rejected_copy_too_and_keeps_the_request_waiting(personas, erin, mail, files):
    request = _request(erin, email="iemand@example.org", customer_number=personas.alice_customer.number)
    privacy_request_start_verification(actor=erin, request=request)
    link_id, token = _link_from(mail.wait_for(1)[0], mail)
    document = id_document_upload(
        link_id=link_id,
        token=token,
        content=b"\x89PNG\r\n\x1a\nnot redacted",
        content_type="image/png",
        redaction_confirmed=True,
    )
    result = id_document_review(actor=erin, document=document, verified=False)
    assert not result.is_verified and result.status == PrivacyRequest.Status.AWAITING_ID
    assert not list((files / "privacy-id").iterdir())


@pytest.mark.promise("G8")
@pytest.mark.parametrize(
    ("content", "content_type", "confirmed", "match"),
    [
        (PDF, "application/pdf", False, "black out"),
        (PDF, "image/gif", True, "PDF, JPEG or PNG"),
        (b"MZ\x90\x00 an executable", "application/pdf", True, "not what its type says"),
        (b"", "application/pdf", True, "empty"),
    ],
)
def test_it_refuses_an_upload_that_is_not_a_redacted_document(
    personas, erin, mail, files, content, content_type, confirmed, match
):
    request = _request(erin, email="iemand@example.org", customer_number=personas.alice_customer.number)
    privacy_request_start_verification(actor=erin, request=request)
    link_id, token = _link_from(mail.wait_for(1)[0], mail)
    before = database_snapshot()
    with pytest.raises(ValidationError, match=match):
        id_document_upload(
            link_id=link_id, token=token, content=content, content_type=content_type, redaction_confirmed=confirmed
        )
    assert_nothing_changed(before)
    assert not (files / "privacy-id").exists() or not list((files / "privacy-id").iterdir())
    assert VerificationLink.objects.get().used_at is None  # the link still works for a proper upload


@pytest.mark.promise("G8", "B2")
def test_it_lets_only_a_privacy_officer_in_person_see_and_judge_the_copy(personas, erin, carol, mail):
    request = _request(erin, email="iemand@example.org", customer_number=personas.alice_customer.number)
    privacy_request_start_verification(actor=erin, request=request)
    link_id, token = _link_from(mail.wait_for(1)[0], mail)
    document = id_document_upload(
        link_id=link_id, token=token, content=PDF, content_type="application/pdf", redaction_confirmed=True
    )
    for actor in (carol, personas.alice, SYSTEM):
        with unchanged(), pytest.raises(PermissionDenied):
            id_document_read(actor=actor, document=document)
        with unchanged(), pytest.raises(PermissionDenied):
            id_document_review(actor=actor, document=document, verified=True)


@pytest.mark.promise("G8")
def test_it_returns_the_upload_link_for_a_letter_when_there_is_no_address(personas, erin, mail):
    request = privacy_request_create(
        actor=erin,
        type="access",
        channel="post",
        received_at=clock.today(),
        name="Alice de Vries",
        postcode="3521 AB",
    )
    started = privacy_request_start_verification(actor=erin, request=request)
    assert not started.emailed and started.kind == "id_upload" and LINK.search(started.url)
    assert mail.settle() == []
