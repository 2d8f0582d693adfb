"""An access request answered from the back office (G1): the package built and delivered — a
one-time link in the answer mail and a download in the portal for a customer, a letter with the
package to print or copy for a request by post — and every refusal with nothing changed."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.auth_web import testing
from waarborg.core import clock
from waarborg.privacy import deadlines
from waarborg.privacy.delivery import LINK_DAYS
from waarborg.privacy.fulfil import package_path
from waarborg.privacy.identity import privacy_request_verify_by_staff
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import DownloadLink
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db
D = dt.date
LINK = re.compile(r"https?://\S+(/privacyverzoek/download/[0-9a-f-]+/[A-Za-z0-9_-]+/)")


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


@pytest.fixture(autouse=True)
def files(files_in_a_fresh_directory):
    return files_in_a_fresh_directory / "files"


@pytest.fixture
def as_erin(office, personas):
    return office(personas.erin)


def _url(made, action="afronden") -> str:
    return f"/backoffice/verzoeken/{made.pk}/{action}/"


def _packages(files) -> dict[str, bytes]:
    directory = Path(files) / "packages"
    return {p.name: p.read_bytes() for p in directory.iterdir()} if directory.exists() else {}


def _until(moment, lang) -> str:
    months = {
        "nl": "januari februari maart april mei juni juli augustus september oktober november december",
        "en": "January February March April May June July August September October November December",
    }[lang].split()
    local = moment.astimezone(clock.AMSTERDAM)
    word = "om" if lang == "nl" else "at"
    return f"{local.day} {months[local.month - 1]} {local.year} {word} {local:%H:%M}"


def _refused(client, made, files, data, *, field, words, url=None):
    """The request's page again with the error at its field, and nothing changed at all."""
    before, packages = database_snapshot(), _packages(files)
    response = client.post(url or _url(made), data)
    assert response.status_code == 200
    bound = response.context["bound"]
    assert field in bound.errors, bound.errors
    body = response.content.decode()
    assert words in body, words
    assert_nothing_changed(before)
    assert _packages(files) == packages
    return response


# --- For a customer: a one-time link in the answer, and the portal -------------------------------


@pytest.mark.promise("G1", "G9")
def test_it_builds_the_package_and_mails_the_answer_with_a_one_time_link(as_erin, personas, alice, mail, files):
    received = D(2026, 3, 2)
    with clock.as_of(received):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    answered = received + dt.timedelta(days=20)
    with clock.as_of(answered):
        page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
        assert 'name="afronden-package_ref"' not in page  # the package is built, never only named
        assert 'data-delivery-plan="access"' in page
        response = as_erin.post(_url(made), {"afronden-note": "Vragen? Bel ons gerust."}, follow=True)
    made.refresh_from_db()
    assert made.status == "completed" and made.answered_by == "email"
    assert made.package_ref == package_path(made).name and package_path(made).exists()
    link = DownloadLink.objects.get(request=made)
    assert link.recipient == "subject" and link.sent_to == personas.alice.email
    assert link.expires_at - link.created_at == dt.timedelta(days=LINK_DAYS)
    until = _until(link.expires_at, "nl")
    shown = response.content.decode()
    assert "het pakket staat klaar" in shown and "eenmalige downloadlink" in shown

    [answer] = mail.wait_for(1)
    assert answer["To"] == personas.alice.email and made.number in answer["Subject"]
    body = mail.body(answer)
    assert "staat klaar als ZIP-bestand" in body and made.package_ref in body
    assert f"De link werkt één keer en is geldig tot {until}." in body
    assert f"/portaal/privacyverzoeken/{made.pk}/" in body and "via de link óf in het klantportaal" in body
    assert "Vragen? Bel ons gerust." in body
    assert "apart bericht" not in body  # it says what happened, and nothing that did not
    path = LINK.search(body).group(1)

    # answered in time: on or before the promise (received + 28 days) and the legal month
    assert made.answered_at.astimezone(clock.AMSTERDAM).date() == answered
    assert answered <= received + dt.timedelta(days=deadlines.PROMISE_DAYS) == made.promise_due
    assert answered <= D(2026, 4, 2) == made.legal_due  # one month after 2 March, a Thursday
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert 'data-within-promise="true" data-within-legal="true"' in page
    assert f'data-download="{link.pk}"' in page

    stranger = Client()
    with clock.as_of(answered + dt.timedelta(days=LINK_DAYS - 1)):  # still valid
        with unchanged():
            assert stranger.get(path).status_code == 200  # opening spends nothing
        served = stranger.post(path)
        assert served.status_code == 200 and served.content == package_path(made).read_bytes()
        with unchanged():
            again = stranger.post(path)
    assert again.status_code == 410 and b'data-problem="used"' in again.content and not again.content.startswith(b"PK")
    token = path.rstrip("/").rsplit("/", 1)[1]
    for action in ("privacy.package.deliver", "privacy.package.download"):
        event = AuditEvent.objects.filter(action=action).get()
        assert_clean_event(event, action=action, values=[token, personas.alice.email])


@pytest.mark.promise("G1")
def test_the_portal_offers_the_package_once_and_the_link_is_spent_with_it(as_erin, personas, alice, mail):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    as_erin.post(_url(made), {})
    made.refresh_from_db()
    path = LINK.search(mail.body(mail.wait_for(1)[0])).group(1)
    portal = Client()
    testing.sign_in(portal, personas.alice)
    page = portal.get(f"/portaal/privacyverzoeken/{made.pk}/").content.decode()
    assert 'data-package-state="open"' in page and f"/portaal/privacyverzoeken/{made.pk}/pakket/" in page
    served = portal.post(f"/portaal/privacyverzoeken/{made.pk}/pakket/")
    assert served.status_code == 200 and served["Content-Type"] == "application/zip"
    assert served.content == package_path(made).read_bytes()
    with unchanged():
        again = portal.post(f"/portaal/privacyverzoeken/{made.pk}/pakket/", follow=True)
        assert Client().post(path).status_code == 410  # one download in all: the mailed link is spent
    assert not again.content.startswith(b"PK") and "al gebruikt" in again.content.decode()
    assert 'data-package-state="used"' in again.content.decode()
    event = AuditEvent.objects.filter(action="privacy.package.download").get()
    assert event.data["via"] == "portal"
    # another customer sees neither the request nor its package
    bob = Client()
    testing.sign_in(bob, personas.bob)
    with unchanged():
        assert bob.post(f"/portaal/privacyverzoeken/{made.pk}/pakket/").status_code == 404


@pytest.mark.promise("G1")
def test_the_answer_says_it_in_english(as_erin, personas, alice, mail):
    made = privacy_request_create(actor=alice, type="access", channel="portal", language="en")
    as_erin.post(_url(made), {})
    link = DownloadLink.objects.get(request=made)
    [answer] = mail.wait_for(1)
    body = mail.body(answer)
    assert answer["Subject"] == f"Your privacy request {made.number} has been handled"
    assert "is ready as a ZIP file" in body and "Open report.html in it" in body
    assert f"The link works once and is valid until {_until(link.expires_at, 'en')}." in body
    assert "with the link or in the customer portal. After that, neither works any more." in body
    assert "staat klaar" not in body


# --- By post: a letter, and the package to print or copy ------------------------------------------


@pytest.mark.promise("G1", "G7")
def test_a_request_by_post_gets_a_letter_and_the_package_to_print(as_erin, erin, personas, mail, files):
    made = privacy_request_create(
        actor=erin, type="access", channel="post", received_at=clock.today(), name="Alice de Vries", postcode="3521 AB"
    )
    privacy_request_verify_by_staff(actor=erin, request=made, note="Klantnummer en factuurbedrag klopten.")
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/")
    assert page.context["forms"]["complete"]["by_post"].initial is True
    response = as_erin.post(_url(made), {"afronden-by_post": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    made.refresh_from_db()
    assert made.status == "completed" and made.answered_by == "post" and package_path(made).exists()
    assert 'data-delivery="post"' in body and "Stuur de verzoeker deze brief vandaag per post" in body
    assert "Bij deze brief ontvangt u het overzicht" in body and made.package_ref in body
    assert "/privacyverzoek/download/" not in body
    assert not DownloadLink.objects.exists() and mail.settle() == []
    served = as_erin.post(_url(made, "pakket-downloaden"))
    assert served.status_code == 200 and served.content == package_path(made).read_bytes()
    assert served.content.startswith(b"PK")
    assert AuditEvent.objects.filter(action="privacy.package.read").count() == 1
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert f'data-package="{made.package_ref}"' in page  # to print again later


# --- Refusals: nothing changed ---------------------------------------------------------------------


@pytest.mark.promise("G1", "G8")
def test_it_refuses_before_the_identity_is_verified(as_erin, carol, files):
    made = privacy_request_create(
        actor=carol, type="access", channel="email", received_at=clock.today(), email="alice.devries@example.nl"
    )
    _refused(as_erin, made, files, {}, field="__all__", words="De identiteit van de verzoeker is nog niet vastgesteld")
    assert _packages(files) == {}


@pytest.mark.promise("G1")
def test_it_refuses_a_request_answered_already(as_erin, alice, mail, files):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    as_erin.post(_url(made), {})
    mail.wait_for(1)
    stored = _packages(files)
    assert len(stored) == 1
    _refused(as_erin, made, files, {}, field="__all__", words="is afgesloten")
    assert _packages(files) == stored and len(mail.messages) == 1


@pytest.mark.promise("G1", "G10")
def test_it_changes_nothing_when_the_answer_cannot_be_mailed(as_erin, alice, settings, files):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    settings.EMAIL_PORT = 1  # nothing listens there
    _refused(as_erin, made, files, {}, field="by_post", words="kon nu niet worden gemaild")
    assert _packages(files) == {} and not DownloadLink.objects.exists()


@pytest.mark.promise("G1")
def test_it_reads_no_package_of_a_request_not_answered_by_post(as_erin, alice, mail, files):
    made = privacy_request_create(actor=alice, type="access", channel="portal")
    as_erin.post(_url(made), {})
    _refused(
        as_erin,
        made,
        files,
        {},
        field="__all__",
        words="alleen het pakket van een inzageverzoek",
        url=_url(made, "pakket-downloaden"),
    )


@pytest.mark.promise("G1", "G7")
def test_a_request_that_came_by_post_is_answered_by_post_unless_unticked(as_erin, erin):
    made = privacy_request_create(
        actor=erin, type="access", channel="post", received_at=clock.today(), email="alice.devries@example.nl"
    )
    privacy_request_verify_by_staff(actor=erin, request=made, note="Handtekening en adres kwamen overeen.")
    page = as_erin.get(f"/backoffice/verzoeken/{made.pk}/")
    assert page.context["forms"]["complete"]["by_post"].initial is True
    assert "Per post gevraagd: het antwoord en het pakket gaan per post." in page.content.decode()
