"""Due dates shown and warned about (G9); an extension only with reasons, in time (X5)."""

import datetime as dt

import pytest
from django.core.management import call_command

from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.core.errors import ValidationError
from waarborg.privacy.answers import privacy_request_complete, privacy_request_extend
from waarborg.privacy.identity import privacy_request_start_verification
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import DeadlineWarning, PrivacyRequest
from waarborg.privacy.selectors import privacy_queue
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged
from waarborg.testing.smtp import free_port

pytestmark = pytest.mark.django_db
D = dt.date
LEAD = "teamleider@duinhost.example"


@pytest.fixture(autouse=True)
def team_lead(settings):
    settings.WAARBORG_PRIVACY_TEAM_LEAD_EMAIL = LEAD


def _received_on(day, actor, **kw):
    with clock.as_of(day):
        return privacy_request_create(
            actor=actor,
            type=kw.pop("type", "access"),
            channel="email",
            received_at=day,
            email=kw.pop("email", "alice.devries@example.nl"),
            **kw,
        )


def _run(day):
    return run_daily(day, only=["privacy-deadlines"])["privacy-deadlines"]


@pytest.mark.promise("G9")
def test_it_warns_the_handler_the_lead_and_the_privacy_officers_once_each(personas, erin, mail):
    other_officer = f.StaffAccountFactory(email="privacy2@duinhost.example", role="privacy")
    request = _received_on(D(2026, 3, 2), erin)  # handled by erin
    assert _run(D(2026, 3, 15)) == {"warnings": 0, "failed": 0}
    expected = [
        (D(2026, 3, 16), "handler_14", {"erin@duinhost.example"}),
        (D(2026, 3, 23), "lead_21", {LEAD}),
        (D(2026, 3, 28), "privacy_26", {"erin@duinhost.example", other_officer.email}),
        (D(2026, 3, 30), "overdue_28", {"erin@duinhost.example", other_officer.email, LEAD}),
    ]
    for n, (day, stage, to) in enumerate(expected, start=1):
        assert _run(day) == {"warnings": 1, "failed": 0}
        assert _run(day) == {"warnings": 0, "failed": 0}  # the second run sends nothing
        messages = mail.wait_for(n)
        assert len(messages) == n
        message = messages[-1]
        assert {a.strip() for a in message["To"].split(",")} == to
        body = mail.body(message)
        assert request.number in message["Subject"] and request.number in body
        assert "alice" not in body.lower() and "alice" not in message["Subject"].lower()  # numbers and dates only
        assert DeadlineWarning.objects.filter(request=request, stage=stage).count() == 1
    assert "over de termijn" in mail.body(mail.messages[-1])
    assert _run(D(2026, 4, 10)) == {"warnings": 0, "failed": 0}
    assert len(mail.settle()) == 4
    assert_clean_event(last_event(), action="privacy.deadline.warn", values=["alice"])


@pytest.mark.promise("G9")
def test_it_sends_all_stages_reached_when_a_request_is_registered_late(personas, carol, mail):
    _received_on(D(2026, 3, 2), carol)  # registered by support: no handler yet
    with clock.as_of(D(2026, 3, 24)):
        call_command("daily", "--as-of", "2026-03-24", "--only", "privacy-deadlines")
    messages = mail.wait_for(2)
    assert len(messages) == 2
    assert messages[0]["To"] == "erin@duinhost.example"  # no handler: the privacy officers
    assert messages[1]["To"] == LEAD


@pytest.mark.promise("G9")
def test_it_keeps_warning_while_the_identity_check_is_awaited_but_not_after_closing(personas, erin, mail):
    waiting = _received_on(D(2026, 3, 2), erin)
    privacy_request_start_verification(actor=erin, request=waiting)
    assert waiting.status == PrivacyRequest.Status.AWAITING_ID
    with clock.as_of(D(2026, 3, 3)):
        closed = privacy_request_create(actor=personas.bob, type="access", channel="portal")
        privacy_request_complete(actor=erin, request=closed)
    mail.wait_for(2)
    before = len(mail.settle())
    assert _run(D(2026, 3, 17)) == {"warnings": 1, "failed": 0}
    assert len(mail.wait_for(before + 1)) == before + 1
    assert DeadlineWarning.objects.get().request == waiting


@pytest.mark.promise("G9")
def test_it_shows_the_queue_with_due_dates_overdue_flagged_and_the_sla_paused(personas, erin, mail):
    early = _received_on(D(2026, 2, 2), erin)
    late = _received_on(D(2026, 3, 2), erin, email="bob@bakkerijjansen.example")
    with clock.as_of(D(2026, 3, 4)):
        privacy_request_start_verification(actor=erin, request=late)
    rows = privacy_queue(viewer=erin, today=D(2026, 3, 10))
    assert [r.request for r in rows] == [early, late]
    first, second = rows
    assert (first.day, first.promise_due, first.legal_due, first.overdue, first.late) == (
        36,
        D(2026, 3, 2),
        D(2026, 3, 2),
        True,
        True,
    )
    # 30 March + the 6 days it waited for the identity check, but never past the legal date (2 April)
    assert second.sla_paused and second.paused_days == 6 and second.sla_due == D(2026, 4, 2)
    assert second.legal_due == D(2026, 4, 2) and second.due == D(2026, 4, 2) and not second.overdue


# --- Extension (X5) ---------------------------------------------------------------------------


@pytest.mark.promise("X5", "G9", "B4")
def test_it_extends_with_reasons_told_to_the_requester_within_four_weeks(personas, erin, mail):
    request = _received_on(D(2026, 1, 27), erin)
    with clock.as_of(D(2026, 2, 24)):  # day 28: the last day it may be told
        notice = privacy_request_extend(
            actor=erin, request=request, reason="Uw gegevens staan in drie systemen die wij apart moeten doorzoeken."
        )
    assert notice.emailed and request.extended_due == D(2026, 4, 28)  # 27 April 2026 is Koningsdag
    assert request.extension_notice_sent_at is not None
    [message] = mail.wait_for(1)
    assert message["To"] == "alice.devries@example.nl"
    body = mail.body(message)
    assert "drie systemen" in body and "28 april 2026" in body and "artikel 12, lid 3" in body
    assert_clean_event(last_event(), action="privacy.request.extend", values=["drie systemen", "alice"])
    rows = privacy_queue(viewer=erin, today=D(2026, 3, 10))
    assert rows[0].due == D(2026, 4, 28) and not rows[0].overdue


@pytest.mark.promise("X5")
@pytest.mark.parametrize(
    ("today", "reason", "match"),
    [
        (D(2026, 2, 24), "", "reason is required"),
        (D(2026, 2, 24), "   ", "reason is required"),
        (D(2026, 2, 25), "Het is druk.", "too late"),  # day 29
        (D(2026, 2, 24), "Zie BSN 123456782", "BSN"),
    ],
)
def test_it_refuses_an_extension_without_reason_or_after_the_promised_date(personas, erin, mail, today, reason, match):
    request = _received_on(D(2026, 1, 27), erin)
    before = database_snapshot()
    with clock.as_of(today), pytest.raises(ValidationError, match=match):
        privacy_request_extend(actor=erin, request=request, reason=reason)
    assert_nothing_changed(before)
    request.refresh_from_db()
    assert request.extended_due is None and mail.settle() == []


@pytest.mark.promise("X5")
def test_it_extends_only_once(personas, erin, mail):
    request = _received_on(D(2026, 1, 27), erin)
    with clock.as_of(D(2026, 2, 1)):
        privacy_request_extend(actor=erin, request=request, reason="Complex verzoek.")
        with unchanged(), pytest.raises(ValidationError, match="extended already"):
            privacy_request_extend(actor=erin, request=request, reason="Nog complexer.")


@pytest.mark.promise("X5")
def test_it_extends_by_post_when_there_is_no_e_mail_address(personas, erin, mail):
    with clock.as_of(D(2026, 1, 27)):
        request = privacy_request_create(
            actor=erin,
            type="access",
            channel="post",
            received_at=D(2026, 1, 26),
            name="Alice de Vries",
            postcode="3521 AB",
        )
        with unchanged(), pytest.raises(ValidationError, match="by post"):
            privacy_request_extend(actor=erin, request=request, reason="Complex verzoek.")
        notice = privacy_request_extend(actor=erin, request=request, reason="Complex verzoek.", by_post=True)
    assert not notice.emailed and "Complex verzoek." in notice.body and mail.settle() == []


@pytest.mark.promise("G9")
def test_it_records_a_warning_only_when_it_went_out_and_retries_the_next_run(personas, erin, mail, settings):
    _received_on(D(2026, 3, 2), erin)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens: the mail server is down
    assert _run(D(2026, 3, 16)) == {"warnings": 0, "failed": 1}
    assert not DeadlineWarning.objects.exists()
    settings.EMAIL_PORT = port
    assert _run(D(2026, 3, 17)) == {"warnings": 1, "failed": 0}
    assert len(mail.wait_for(1)) == 1
