"""Portability delivery (art. 20, G6): a one-time download link, or straight to another organisation."""

import datetime as dt
import hashlib
import re

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.privacy.delivery import LINK_DAYS, LINK_MAX_ATTEMPTS, portability_deliver, portability_push
from waarborg.privacy.fulfil import package_path
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import DownloadLink, PackagePush, PrivacyRequest
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, unchanged
from waarborg.testing.receiver import PushReceiver

pytestmark = pytest.mark.django_db
URL = re.compile(r"https?://\S+/privacyverzoek/download/([0-9a-f-]+)/([A-Za-z0-9_-]+)/")


def _portability(alice, transmit_to=""):
    return privacy_request_create(actor=alice, type="portability", channel="portal", transmit_to=transmit_to)


def _link(mail, message):
    found = URL.search(mail.body(message))
    assert found, "the mail carries the download link"
    return found.group(1), found.group(2), found.group(0)


def _path(link_id, token):
    return f"/privacyverzoek/download/{link_id}/{token}/"


# --- To the subject: a one-time, expiring link -------------------------------------------------


@pytest.mark.promise("G6")
def test_it_mails_the_subject_a_one_time_link_that_serves_the_zip_once(personas, alice, erin, mail):
    request = _portability(alice)
    delivery = portability_deliver(actor=erin, request=request)
    assert delivery.emailed and delivery.url == "" and delivery.push is None
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.COMPLETED and request.package_ref
    answer, link_mail = mail.wait_for(2)
    assert answer["To"] == link_mail["To"] == personas.alice.email
    assert "beveiligde link" in mail.body(answer)
    link_id, token, _ = _link(mail, link_mail)
    link = DownloadLink.objects.get()
    assert str(link.public_id) == link_id and link.recipient == "subject"
    assert token not in link.token_hash and len(link.token_hash) == 64  # only a keyed hash is kept
    assert link.expires_at - link.created_at == dt.timedelta(days=LINK_DAYS)
    stored = package_path(request).read_bytes()

    client = Client()
    with unchanged():
        page = client.get(_path(link_id, token))  # opening the link (or a mail scanner) spends nothing
    assert page.status_code == 200 and b"<form" in page.content
    served = client.post(_path(link_id, token))
    assert served.status_code == 200 and served["Content-Type"] == "application/zip"
    assert served.content == stored and served.content.startswith(b"PK")
    assert "attachment" in served["Content-Disposition"]
    before = database_snapshot()
    again = client.post(_path(link_id, token))
    assert again.status_code == 410 and again["Content-Type"].startswith("text/html")
    assert not again.content.startswith(b"PK") and stored not in again.content  # no package, not even inside the page
    assert b'data-problem="used"' in again.content
    assert client.get(_path(link_id, token)).status_code == 410
    assert_nothing_changed(before)
    download = AuditEvent.objects.filter(action="privacy.package.download").get()
    assert_clean_event(download, action="privacy.package.download", values=[token, personas.alice.email])
    deliver = AuditEvent.objects.filter(action="privacy.package.deliver").get()
    assert_clean_event(deliver, action="privacy.package.deliver", values=[token, personas.alice.email])


@pytest.mark.promise("G6")
def test_an_expired_link_serves_nothing(personas, alice, erin, mail):
    portability_deliver(actor=erin, request=_portability(alice))
    link_id, token, _ = _link(mail, mail.wait_for(2)[1])
    with clock.as_of(clock.today() + dt.timedelta(days=LINK_DAYS + 1)), unchanged():
        for response in (Client().get(_path(link_id, token)), Client().post(_path(link_id, token))):
            assert response.status_code == 410 and b'data-problem="expired"' in response.content
            assert response["Content-Type"].startswith("text/html")


@pytest.mark.promise("G6")
@pytest.mark.parametrize("problem", ["used", "expired", "gone"])
def test_a_link_that_changed_after_the_check_still_gets_its_page(personas, alice, erin, mail, monkeypatch, problem):
    """The page reads the service's refusal by its code when the link changed after it was looked at."""
    request = _portability(alice)
    portability_deliver(actor=erin, request=request)
    link_id, token, _ = _link(mail, mail.wait_for(2)[1])
    monkeypatch.setattr("waarborg.public.download.download_link_problem", lambda link: None)
    client, day = Client(), clock.today()
    if problem == "used":
        assert client.post(_path(link_id, token)).status_code == 200
    elif problem == "expired":
        day += dt.timedelta(days=LINK_DAYS + 1)
    else:
        package_path(request).unlink()
    with clock.as_of(day), unchanged():
        response = client.post(_path(link_id, token))
    assert response.status_code == 410 and f'data-problem="{problem}"'.encode() in response.content
    assert not response.content.startswith(b"PK")


@pytest.mark.promise("G6")
def test_wrong_tokens_lock_the_link(personas, alice, erin, mail):
    portability_deliver(actor=erin, request=_portability(alice))
    link_id, token, _ = _link(mail, mail.wait_for(2)[1])
    with unchanged():
        assert Client().get(_path("geen-link", token)).status_code == 404
    counted = {"privacy.DownloadLink.failed_attempts": "a wrong token is counted: the link locks after too many"}
    for _ in range(LINK_MAX_ATTEMPTS - 1):
        with unchanged(except_for=counted):
            assert Client().post(_path(link_id, "geraden")).status_code == 404
    assert Client().post(_path(link_id, "geraden")).status_code == 404  # the last one locks the link
    with unchanged():
        locked = Client().post(_path(link_id, token))
    assert locked.status_code == 410 and b'data-problem="locked"' in locked.content


@pytest.mark.promise("G6", "G7")
def test_a_postal_request_gets_the_link_for_a_letter(personas, erin, mail):
    request = privacy_request_create(
        actor=erin,
        type="portability",
        channel="post",
        received_at=clock.today(),
        name="Alice de Vries",
        postcode="3521 AB",
    )
    from waarborg.privacy.identity import privacy_request_verify_by_staff

    privacy_request_verify_by_staff(actor=erin, request=request, note="Klantnummer en factuurbedrag klopten.")
    delivery = portability_deliver(actor=erin, request=request, by_post=True)
    assert not delivery.emailed and "/privacyverzoek/download/" in delivery.url
    assert DownloadLink.objects.get().sent_to == "" and mail.settle() == []


# --- To another organisation (art. 20(2)) ------------------------------------------------------


@pytest.mark.promise("G6")
def test_it_mails_the_link_to_the_organisation_the_subject_names(personas, alice, erin, mail):
    request = _portability(alice, transmit_to="Overstap@NieuweHoster.example")
    delivery = portability_deliver(actor=erin, request=request)
    messages = mail.wait_for(2)
    to_org = next(m for m in messages if m["To"] == "overstap@nieuwehoster.example")
    to_alice = next(m for m in messages if m["To"] == personas.alice.email)
    assert "overstap@nieuwehoster.example" in mail.body(to_alice).lower()  # the answer says where it went
    body = mail.body(to_org)
    assert "artikel 20" in body and request.number in body
    for value in ("Alice", "Vries", personas.alice.email):
        assert value not in body  # the data is in the package, not in the mail
    link_id, token, _ = _link(mail, to_org)
    assert delivery.link.recipient == "organisation" and delivery.link.sent_to == "overstap@nieuwehoster.example"
    assert Client().post(_path(link_id, token)).content == package_path(request).read_bytes()
    event = AuditEvent.objects.filter(action="privacy.package.deliver").get()
    assert event.data["to"] == "organisation"
    assert_clean_event(event, action="privacy.package.deliver", values=["overstap", "nieuwehoster"])


@pytest.mark.promise("G6", "G7")
def test_it_refuses_to_push_over_plain_http_and_writes_nothing(personas, alice, erin, mail, settings):
    settings.WAARBORG_ALLOW_HTTP_PUSH = False
    with PushReceiver() as receiver:
        request = _portability(alice, transmit_to=receiver.url)
        before = database_snapshot()
        with pytest.raises(ValidationError, match="https://") as refused:
            portability_deliver(actor=erin, request=request)
        assert refused.value.field == "transmit_to"
        assert receiver.received == []
    assert_nothing_changed(before)
    assert mail.settle() == []
    assert not package_path(request).exists()
    request.refresh_from_db()
    assert request.is_open
    # Even when allowed in development, only this machine is reached over http://.
    settings.WAARBORG_ALLOW_HTTP_PUSH = True
    other = _portability(personas.bob, transmit_to="http://hoster.example/ontvang/")
    with pytest.raises(ValidationError, match="https://"):
        portability_deliver(actor=erin, request=other)


@pytest.mark.promise("G6")
def test_it_pushes_the_zip_to_the_organisation(personas, alice, erin, mail, settings):
    settings.WAARBORG_ALLOW_HTTP_PUSH = True
    with PushReceiver() as receiver:
        request = _portability(alice, transmit_to=receiver.url)
        delivery = portability_deliver(actor=erin, request=request)
    assert delivery.push.status == PackagePush.Status.SENT and delivery.push.sent_at and delivery.link is None
    ((path, headers, body),) = receiver.received
    assert path == "/ontvang/" and headers["Content-Type"] == "application/zip"
    assert hashlib.sha256(body).digest() == hashlib.sha256(package_path(request).read_bytes()).digest()
    assert headers["X-Privacy-Request"] == request.number
    (answer,) = mail.wait_for(1)
    assert answer["To"] == personas.alice.email and receiver.url in mail.body(answer)
    event = AuditEvent.objects.filter(action="privacy.package.push").get()
    assert event.data["result"] == "sent"
    assert_clean_event(event, action="privacy.package.push", values=["127.0.0.1", "ontvang"])


@pytest.mark.promise("G6")
def test_a_failed_push_is_recorded_and_can_be_retried(personas, alice, erin, mail, settings):
    settings.WAARBORG_ALLOW_HTTP_PUSH = True
    with PushReceiver(status=503) as receiver:
        request = _portability(alice, transmit_to=receiver.url)
        delivery = portability_deliver(actor=erin, request=request)
        push = delivery.push
        assert push.status == PackagePush.Status.FAILED and push.last_error == "http 503" and push.attempts == 1
        request.refresh_from_db()
        assert request.status == PrivacyRequest.Status.COMPLETED  # answered; the push is staff's to retry
        receiver.status = 200
        push = portability_push(actor=erin, push=push)
    assert push.status == PackagePush.Status.SENT and push.attempts == 2 and push.last_error == ""
    assert len(receiver.received) == 2
    with unchanged(), pytest.raises(ValidationError, match="sent already"):
        portability_push(actor=erin, push=push)
    results = list(AuditEvent.objects.filter(action="privacy.package.push").values_list("data__result", flat=True))
    assert sorted(results) == ["failed", "sent"]


@pytest.mark.promise("G6")
def test_an_unreachable_organisation_is_recorded(personas, alice, erin, mail, settings):
    settings.WAARBORG_ALLOW_HTTP_PUSH = True
    request = _portability(alice, transmit_to="http://127.0.0.1:9/ontvang/")
    push = portability_deliver(actor=erin, request=request).push
    assert push.status == PackagePush.Status.FAILED and push.last_error == "unreachable"


@pytest.mark.promise("G6", "G7")
def test_it_delivers_only_a_verified_portability_request_with_a_usable_recipient(personas, alice, erin, mail):
    access = privacy_request_create(actor=alice, type="access", channel="portal")
    vague = _portability(personas.bob, transmit_to="Mijn nieuwe hoster")
    unverified = privacy_request_create(
        actor=erin, type="portability", channel="email", received_at=clock.today(), email="alice.devries@example.nl"
    )
    before = database_snapshot()
    for request, match in [
        (access, "only a portability"),
        (vague, "without an e-mail address"),
        (unverified, "not been verified"),
    ]:
        with pytest.raises(ValidationError, match=match):
            portability_deliver(actor=erin, request=request)
    assert_nothing_changed(before)
    assert mail.settle() == []
