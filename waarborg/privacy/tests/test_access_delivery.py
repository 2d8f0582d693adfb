"""Delivering an access package (art. 15, G1): built, answered and handed over in one step — a
one-time link in the answer and the portal for a customer, a letter for post — or refused with
nothing changed."""

import datetime as dt
import re
from pathlib import Path

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.privacy.access_delivery import access_deliver, access_package_read
from waarborg.privacy.delivery import LINK_DAYS, download_link_take, portability_deliver, portal_package_take
from waarborg.privacy.fulfil import package_path
from waarborg.privacy.identity import privacy_request_verify_by_staff
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import DownloadLink, PrivacyRequest
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db
URL = re.compile(r"https?://\S+/privacyverzoek/download/([0-9a-f-]+)/([A-Za-z0-9_-]+)/")


def _packages(files) -> dict[str, bytes]:
    directory = Path(files) / "packages"
    return {p.name: p.read_bytes() for p in directory.iterdir()} if directory.exists() else {}


def _nothing_changed(request, files, call, code):
    packages = _packages(files)
    with unchanged(), pytest.raises((ValidationError, PermissionDenied, NotFound)) as refused:
        call()
    assert refused.value.code == code
    assert _packages(files) == packages


def _by_post(erin):
    made = privacy_request_create(
        actor=erin, type="access", channel="post", received_at=clock.today(), name="Alice de Vries", postcode="3521 AB"
    )
    privacy_request_verify_by_staff(actor=erin, request=made, note="Klantnummer en factuurbedrag klopten.")
    return made


@pytest.mark.promise("G1")
def test_the_answer_carries_a_one_time_link_and_the_portal_offers_the_same_download(personas, alice, erin, mail):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    done = access_deliver(actor=erin, request=made, note="")
    assert done.in_portal and done.notice.emailed and done.link.sent_to == personas.alice.email
    assert done.request.status == "completed" and done.request.package_ref == package_path(made).name
    [answer] = mail.wait_for(1)
    assert mail.body(answer).replace("\r\n", "\n") == done.notice.body  # the returned answer is the one sent
    link_id, token = URL.search(done.notice.body).groups()
    assert str(done.link.public_id) == link_id and token not in done.link.token_hash
    assert done.link.expires_at == done.link.created_at + dt.timedelta(days=LINK_DAYS)
    data, name = download_link_take(link_id=link_id, token=token)
    assert data == package_path(made).read_bytes() and data.startswith(b"PK") and name == done.request.package_ref
    with unchanged(), pytest.raises(ValidationError) as again:
        download_link_take(link_id=link_id, token=token)
    assert again.value.code == "privacy.link_used"
    with unchanged(), pytest.raises(ValidationError) as portal:
        portal_package_take(actor=alice, request=made)  # one download in all
    assert portal.value.code == "privacy.link_used"


@pytest.mark.promise("G1")
def test_the_portal_download_is_the_customers_own_and_spends_the_link(personas, alice, bob, erin, mail, files):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    done = access_deliver(actor=erin, request=made)
    _nothing_changed(made, files, lambda: portal_package_take(actor=bob, request=made), "privacy.request_not_found")
    _nothing_changed(made, files, lambda: portal_package_take(actor=erin, request=made), "privacy.portal_download_own")
    data, _name = portal_package_take(actor=alice, request=made)
    assert data == package_path(made).read_bytes()
    assert DownloadLink.objects.get(pk=done.link.pk).used_at is not None
    link_id, token = URL.search(done.notice.body).groups()
    with unchanged(), pytest.raises(ValidationError) as spent:
        download_link_take(link_id=link_id, token=token)
    assert spent.value.code == "privacy.link_used"


@pytest.mark.promise("G1", "G7")
def test_by_post_there_is_no_link_and_the_officer_reads_the_package(personas, erin, mail):
    made = _by_post(erin)
    done = access_deliver(actor=erin, request=made, by_post=True)
    assert done.link is None and not done.in_portal and not done.notice.emailed
    assert "Bij deze brief ontvangt u het overzicht" in done.notice.body and made.package_ref in done.notice.body
    assert "/privacyverzoek/download/" not in done.notice.body
    assert mail.settle() == [] and not DownloadLink.objects.exists()
    data, name = access_package_read(actor=erin, request=made)
    assert data == package_path(made).read_bytes() and name == made.package_ref
    assert AuditEvent.objects.filter(action="privacy.package.read").count() == 1


@pytest.mark.promise("G1")
def test_refusals_change_nothing(personas, alice, carol, erin, files):
    portability = privacy_request_create(actor=alice, type="portability", channel="portal")
    _nothing_changed(portability, files, lambda: access_deliver(actor=erin, request=portability), "privacy.wrong_type")
    unverified = privacy_request_create(
        actor=carol, type="access", channel="email", received_at=clock.today(), email="alice.devries@example.nl"
    )
    _nothing_changed(unverified, files, lambda: access_deliver(actor=erin, request=unverified), "privacy.not_verified")


@pytest.mark.promise("G1", "G10")
def test_refusals_of_a_verified_request_change_nothing(personas, bob, erin, mail, files, settings):
    made = privacy_request_create(actor=bob, type="access", channel="portal")
    _nothing_changed(made, files, lambda: access_deliver(actor=bob, request=made), "privacy.handler_only")
    _nothing_changed(made, files, lambda: access_package_read(actor=erin, request=made), "privacy.package_not_by_post")
    post = _by_post(erin)
    PrivacyRequest.objects.filter(pk=post.pk).update(email="")
    _nothing_changed(post, files, lambda: access_deliver(actor=erin, request=post), "privacy.no_email_send_by_post")

    settings.EMAIL_PORT = 1  # nothing listens there
    _nothing_changed(made, files, lambda: access_deliver(actor=erin, request=made), "privacy.delivery_mail_failed")
    assert _packages(files) == {}
    settings.EMAIL_PORT = mail.port
    access_deliver(actor=erin, request=made)
    mail.wait_for(1)
    _nothing_changed(made, files, lambda: access_deliver(actor=erin, request=made), "privacy.request_closed")
    assert len(mail.messages) == 1


@pytest.mark.promise("G6")
def test_a_closed_request_keeps_its_stored_package(personas, alice, erin, mail, files):
    """Asking again for an answered request is refused before the stored package is touched."""
    made = privacy_request_create(actor=alice, type="portability", channel="portal")
    portability_deliver(actor=erin, request=made)
    mail.wait_for(2)
    _nothing_changed(made, files, lambda: portability_deliver(actor=erin, request=made), "privacy.request_closed")
    assert package_path(made).exists()
