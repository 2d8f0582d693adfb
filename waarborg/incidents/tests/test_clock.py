"""The 72-hour clock (X6, GDPR art. 33(1)): due = aware + 72 hours; warnings to the privacy
officers 24 hours after awareness, when 24 hours are left and when it has passed, each once,
through a real SMTP server."""

import datetime as dt

import pytest

from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.incidents.deadline import incident_warnings_send
from waarborg.incidents.handling import incident_assess
from waarborg.incidents.models import IncidentWarning
from waarborg.incidents.notifications import incident_notify_authority
from waarborg.incidents.selectors import clock_row, incident_list_for
from waarborg.incidents.tests.conftest import at
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, last_event

pytestmark = pytest.mark.django_db
D = dt.date
SECRET = "Laptop met klantexport gestolen uit de auto"


def _run(day):
    return run_daily(day, only=["incident-deadlines"])["incident-deadlines"]


def _assess(incident, erin, **kw):
    values = {
        "is_breach": True,
        "risk": "risk",
        "categories": ["D3"],
        "subjects_count": 12,
        "consequences": "Adressen konden voor phishing gebruikt worden.",
        "measures": "Apparaat op afstand gewist.",
        "reasons": "Onversleuteld; risico op phishing.",
    }
    return incident_assess(actor=erin, incident=incident, **(values | kw))


@pytest.mark.promise("X6")
def test_it_counts_72_calendar_hours_from_awareness_with_hours_left_and_overdue(personas, erin, registered):
    incident = registered(aware=at(2026, 3, 6, 17, 30))  # a Friday evening: the weekend counts
    assert incident.due_at == at(2026, 3, 9, 17, 30)
    row = clock_row(incident, at(2026, 3, 7, 17, 30))
    assert row.running and row.hours_left == 48 and not row.overdue and not row.soon
    row = clock_row(incident, at(2026, 3, 9, 8, 0))
    assert row.hours_left == 9 and row.soon and not row.overdue
    row = clock_row(incident, at(2026, 3, 9, 20, 0))
    assert row.overdue and row.hours_left == -3 and row.hours_past == 3
    with clock.as_of(D(2026, 3, 8)):  # noon: 29.5 hours left
        rows = incident_list_for(viewer=erin)
    assert [(r.incident.number, r.hours_left, r.overdue) for r in rows] == [(incident.number, 29, False)]


@pytest.mark.promise("X6")
def test_the_clock_stops_when_notified_or_when_assessed_as_needing_no_notification(personas, erin, registered):
    notified = _assess(registered(aware=at(2026, 3, 2, 9)), erin)
    assert clock_row(notified, at(2026, 3, 4, 9)).running
    notified = incident_notify_authority(actor=erin, incident=notified, reference="M-1", notified_at=at(2026, 3, 4))
    row = clock_row(notified, at(2026, 3, 10))
    assert not row.running and not row.overdue and row.hours_left is None and not row.late_notice
    no_risk = _assess(registered(aware=at(2026, 3, 2, 9)), erin, risk="none")
    assert not clock_row(no_risk, at(2026, 3, 10)).running
    no_breach = incident_assess(
        actor=erin, incident=registered(aware=at(2026, 3, 2, 9)), is_breach=False, reasons="Geen lek."
    )
    assert not clock_row(no_breach, at(2026, 3, 10)).running
    late = _assess(registered(aware=at(2026, 3, 2, 9)), erin)
    late = incident_notify_authority(
        actor=erin, incident=late, reference="M-2", notified_at=at(2026, 3, 6), delay_reasons="Pas later ontdekt."
    )
    assert clock_row(late, at(2026, 3, 10)).late_notice
    with clock.as_of(D(2026, 3, 10)):
        assert [r.incident.pk for r in incident_list_for(viewer=erin, status="all", due="late")] == [late.pk]
        assert incident_list_for(viewer=erin, due="overdue") == []


@pytest.mark.promise("X6")
def test_it_warns_the_privacy_officers_after_24_hours_when_24_are_left_and_when_overdue(
    personas, erin, registered, mail
):
    other = f.StaffAccountFactory(email="privacy2@duinhost.example", role="privacy")
    f.StaffAccountFactory(email="retired@duinhost.example", role="privacy", is_active=False)
    incident = registered(aware=at(2026, 3, 2, 9), description=SECRET, reporter_email="melder@example.nl")
    assert _run(D(2026, 3, 2)) == {"warnings": 0, "failed": 0}  # noon: 3 hours after awareness
    assert _run(D(2026, 3, 3)) == {"warnings": 1, "failed": 0}  # 27 hours after: 45 hours left
    assert "45 uur" in mail.wait_for(1)[0]["Subject"]
    assert _run(D(2026, 3, 4)) == {"warnings": 1, "failed": 0}  # 21 hours left
    assert _run(D(2026, 3, 4)) == {"warnings": 0, "failed": 0}  # a rerun sends nothing
    message = mail.wait_for(2)[1]
    assert {a.strip() for a in message["To"].split(",")} == {erin.email, other.email}
    assert incident.number in message["Subject"] and "21 uur" in message["Subject"]
    body = mail.body(message)
    assert "5 maart 2026, 09:00" in body and "niet beoordeeld" in body
    for secret in (SECRET, "melder@example.nl"):
        assert secret not in body and secret not in message["Subject"]
    assert_clean_event(last_event(), action="incidents.incident.warn", values=[SECRET, "melder@example.nl"])
    assert _run(D(2026, 3, 5)) == {"warnings": 1, "failed": 0}  # noon: past 09:00
    assert _run(D(2026, 3, 6)) == {"warnings": 0, "failed": 0}
    messages = mail.wait_for(3)
    assert len(messages) == 3 and "verstreken" in messages[2]["Subject"]
    assert "redenen voor de vertraging" in mail.body(messages[2])
    assert sorted(IncidentWarning.objects.filter(incident=incident).values_list("stage", flat=True)) == [
        "day_one",
        "due_soon",
        "overdue",
    ]


@pytest.mark.promise("X6")
def test_an_incident_first_seen_past_its_deadline_gets_only_the_overdue_warning(personas, erin, registered, mail):
    incident = _assess(registered(aware=at(2026, 3, 2, 9)), erin)  # a breach to notify, not notified
    assert _run(D(2026, 3, 9)) == {"warnings": 1, "failed": 0}
    message = mail.wait_for(1)[0]
    assert "verstreken" in message["Subject"] and "nog niet vastgelegd" in mail.body(message)
    assert list(IncidentWarning.objects.filter(incident=incident).values_list("stage", flat=True)) == ["overdue"]
    assert _run(D(2026, 3, 10)) == {"warnings": 0, "failed": 0}


@pytest.mark.promise("X6")
def test_it_does_not_warn_about_a_notified_breach_or_one_that_needs_no_notification(personas, erin, registered, mail):
    notified = _assess(registered(aware=at(2026, 3, 2, 9)), erin)
    incident_notify_authority(actor=erin, incident=notified, reference="M-3", notified_at=at(2026, 3, 3))
    _assess(registered(aware=at(2026, 3, 2, 9)), erin, risk="none")
    incident_assess(actor=erin, incident=registered(aware=at(2026, 3, 2, 9)), is_breach=False, reasons="Geen lek.")
    assert _run(D(2026, 3, 4)) == {"warnings": 0, "failed": 0}
    assert _run(D(2026, 3, 9)) == {"warnings": 0, "failed": 0}
    assert mail.settle() == []


@pytest.mark.promise("X6")
def test_a_warning_that_cannot_be_mailed_is_not_recorded_and_goes_on_the_next_run(
    personas, erin, registered, mail, settings
):
    incident = registered(aware=at(2026, 3, 2, 9))
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens there
    assert incident_warnings_send(now=at(2026, 3, 4, 10)) == {"warnings": 0, "failed": 1}
    assert not IncidentWarning.objects.filter(incident=incident).exists()
    settings.EMAIL_PORT = port
    assert incident_warnings_send(now=at(2026, 3, 4, 11)) == {"warnings": 1, "failed": 0}
    assert len(mail.wait_for(1)) == 1
