"""Requests nobody confirms (G7, G8, G9): a request made on the public form whose requester never
follows the confirmation link is closed by the daily run on the 14th day after the day it was
made, with a notice to the address given; it then leaves the queue, the warnings and every
timeliness figure, and its link no longer works."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.auth_web import testing
from waarborg.backoffice.request_selectors import month_overview_for, queue_rows_for
from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.privacy import deadlines
from waarborg.privacy.deadline_warnings import deadline_warnings_send
from waarborg.privacy.identity import privacy_request_start_verification
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import DeadlineWarning, PrivacyRequest, VerificationLink
from waarborg.privacy.selectors import privacy_queue, queue_for_system
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db

FORM = "/privacyverzoek/"
LINK = re.compile(r"(/privacyverzoek/bevestigen/[0-9a-f-]{36}/[A-Za-z0-9_-]+/)")
MADE = dt.date(2026, 3, 2)
# The rule: closed on the 14th day after the day it was made (that day itself is day 0).
CLOSE = MADE + dt.timedelta(days=14)
JOB = "privacy-unconfirmed"


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


def _run(day):
    return run_daily(day, only=[JOB])[JOB]


def _form_request(mail, *, lang="nl", email="alice.devries@example.nl", type="access") -> tuple[PrivacyRequest, str]:
    """A request on the public form from an address on file: it waits for the mailed link."""
    before = len(mail.messages)
    client = Client()
    if lang == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with clock.as_of(MADE):
        client.post(FORM, {"type": type, "email": email})
    message = mail.wait_for(before + 1)[before]
    # The confirmation mail says what happens without confirmation.
    assert ("14 dagen na ontvangst" if lang == "nl" else "14 days after we received it") in mail.body(message)
    made = PrivacyRequest.objects.get(channel="form", email=email, type=type)
    assert made.status == "awaiting_id" and made.language == lang
    assert made.links.get().kind == VerificationLink.Kind.EMAIL_LINK
    return made, LINK.search(mail.body(message)).group(1)


@pytest.mark.promise("G7", "G8")
def test_the_daily_run_closes_an_unconfirmed_form_request_on_day_14_and_tells_the_address(personas, mail):
    made, _url = _form_request(mail)
    assert deadlines.received_date(made.received_at) == MADE
    sent = len(mail.messages)

    assert _run(CLOSE - dt.timedelta(days=1)) == {"closed": 0, "failed": 0}
    assert PrivacyRequest.objects.get(pk=made.pk).status == "awaiting_id"
    assert len(mail.settle()) == sent

    assert _run(CLOSE) == {"closed": 1, "failed": 0}
    closed = PrivacyRequest.objects.get(pk=made.pk)
    assert closed.status == PrivacyRequest.Status.UNCONFIRMED and not closed.is_open
    assert deadlines.received_date(closed.closed_at) == CLOSE
    assert closed.answered_at is None and closed.verified_at is None and closed.paused_since is None
    assert not made.links.filter(revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="privacy.request.unconfirmed")
    assert event.actor == "system" and event.data["request"] == closed.number
    assert "alice" not in str(event.data).lower()

    notice = mail.wait_for(sent + 1)[sent]
    body = mail.body(notice)
    assert notice["To"] == "alice.devries@example.nl"
    assert "niet bevestigd" in notice["Subject"] and closed.number in notice["Subject"]
    assert "binnen 14 dagen niet bevestigd" in body
    assert settings.WAARBORG_SITE_URL + FORM in body  # how to ask again
    assert "bevestigen/" not in body

    # Idempotent: the same day again, and the next day, close nothing and send nothing.
    before = database_snapshot()
    assert _run(CLOSE) == {"closed": 0, "failed": 0}
    assert _run(CLOSE + dt.timedelta(days=1)) == {"closed": 0, "failed": 0}
    assert_nothing_changed(before)
    assert len(mail.settle()) == sent + 1


@pytest.mark.promise("G7")
def test_the_notice_speaks_the_language_of_the_request(personas, mail):
    made, _url = _form_request(mail, lang="en")
    sent = len(mail.messages)
    assert _run(CLOSE) == {"closed": 1, "failed": 0}
    notice = mail.wait_for(sent + 1)[sent]
    assert "was not confirmed" in notice["Subject"] and made.number in notice["Subject"]
    body = mail.body(notice)
    assert "not confirmed within 14 days" in body and settings.WAARBORG_SITE_URL + FORM in body


@pytest.mark.promise("G7", "G9")
def test_a_closed_unconfirmed_request_is_neither_open_nor_late_nor_warned(personas, mail):
    made, _url = _form_request(mail)
    _run(CLOSE)
    erin = personas.erin
    later = deadlines.legal_due(made.received_at) + dt.timedelta(days=30)
    for day in (CLOSE, made.promise_due, later):
        assert made.pk not in [r.request.pk for r in privacy_queue(viewer=erin, today=day)]
        assert made.pk not in [r.request.pk for r in queue_for_system(today=day)]
        # Listed among all requests, it is judged neither overdue nor late.
        (row,) = [r for r in queue_rows_for(viewer=erin, status="all", today=day) if r.request.pk == made.pk]
        assert not row.overdue and not row.late and row.within_promise is None and row.within_legal is None
        assert row.day == 14
        for due in ("overdue", "late", "soon"):
            assert made.pk not in [r.request.pk for r in queue_rows_for(viewer=erin, status="all", due=due, today=day)]
        assert [r.request.pk for r in queue_rows_for(viewer=erin, status="unconfirmed", today=day)] == [made.pk]
        assert deadline_warnings_send(day=day) == {"warnings": 0, "failed": 0}
    assert not DeadlineWarning.objects.filter(request=made).exists()
    for month in (MADE, made.promise_due, later):
        overview = month_overview_for(viewer=erin, month=month, today=later)
        assert overview.totals["overdue"] == 0 and overview.totals["answered"] == 0
        assert overview.open_now == 0 and overview.overdue_now == 0


@pytest.mark.promise("G8")
def test_the_link_of_a_closed_request_is_refused_with_a_clear_page(personas, mail):
    made, url = _form_request(mail)
    _run(CLOSE)
    before = database_snapshot()
    client = Client()
    with clock.as_of(CLOSE):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 410
            page = response.content.decode()
            assert 'data-problem="unconfirmed"' in page
            assert "niet binnen 14 dagen bevestigd" in page and f'href="{FORM}"' in page
    assert_nothing_changed(before)
    assert not made.links.filter(used_at__isnull=False).exists()


@pytest.mark.promise("G7", "G8")
def test_confirmed_staff_and_portal_requests_are_untouched(personas, mail):
    confirmed, url = _form_request(mail)
    with clock.as_of(MADE + dt.timedelta(days=1)):
        assert Client().post(url).status_code == 200
    # Registered by staff from an e-mail, with the same confirmation link to the address on file.
    with clock.as_of(MADE):
        by_staff = privacy_request_create(
            actor=personas.erin, type="erasure", channel="email", received_at=MADE, email="alice.devries@example.nl"
        )
        privacy_request_start_verification(actor=personas.erin, request=by_staff)
        privacy_request_create(actor=personas.bob, type="access", channel="portal")  # in the portal
    assert by_staff.status == "awaiting_id" and by_staff.links.get().kind == VerificationLink.Kind.EMAIL_LINK
    assert "dagen na ontvangst" not in mail.body(mail.wait_for(2)[1])  # staff's requests are never closed so
    sent = len(mail.settle())
    before = database_snapshot()
    assert _run(CLOSE) == {"closed": 0, "failed": 0}
    assert _run(CLOSE + dt.timedelta(days=20)) == {"closed": 0, "failed": 0}
    assert_nothing_changed(before)
    assert all(r.is_open for r in PrivacyRequest.objects.all())
    assert len(mail.settle()) == sent


@pytest.mark.promise("G7", "G9")
def test_the_screens_name_the_status_and_leave_it_out_of_the_open_queue(personas, mail):
    made, _url = _form_request(mail)
    _run(CLOSE)
    later = made.legal_due + dt.timedelta(days=30)
    office = Client()
    testing.sign_in(office, personas.erin)
    with clock.as_of(later):
        open_queue = office.get("/backoffice/verzoeken/")
        unconfirmed = office.get("/backoffice/verzoeken/?status=unconfirmed")
        late = office.get("/backoffice/verzoeken/?status=all&due=late")
        detail = office.get(f"/backoffice/verzoeken/{made.pk}/").content.decode()
    assert "Gesloten: de verzoeker heeft het niet bevestigd" in detail  # the timeline names the closing
    assert made.number not in open_queue.content.decode()
    assert made.number not in late.content.decode()
    page = unconfirmed.content.decode()
    assert f'data-number="{made.number}"' in page and 'value="unconfirmed" selected' in page
    assert "Gesloten: niet bevestigd" in page and f'data-unconfirmed="{CLOSE.isoformat()}"' in page
    assert "data-overdue" not in page and "data-late" not in page
    # Alice signs in to the portal: the request she made on the form says it was closed, and why.
    portal = Client()
    testing.sign_in(portal, personas.alice)
    listed = portal.get("/portaal/privacyverzoeken/").content.decode()
    assert "Gesloten op" in listed and "niet bevestigd" in listed
    detail = portal.get(f"/portaal/privacyverzoeken/{made.pk}/").content.decode()
    assert 'data-answer="unconfirmed"' in detail and "We are working on it" not in detail


@pytest.mark.promise("G7")
def test_asking_again_after_the_closing_makes_a_new_request(personas, mail):
    made, _url = _form_request(mail)
    _run(CLOSE)
    sent = len(mail.wait_for(2))
    with clock.as_of(CLOSE):
        Client().post(FORM, {"type": "access", "email": "alice.devries@example.nl"})
    again = PrivacyRequest.objects.exclude(pk=made.pk).get()
    assert again.status == "awaiting_id" and again.channel == "form" and again.contact == made.contact
    assert deadlines.received_date(again.received_at) == CLOSE
    assert "/privacyverzoek/bevestigen/" in mail.body(mail.wait_for(sent + 1)[sent])
    assert PrivacyRequest.objects.get(pk=made.pk).status == "unconfirmed"
