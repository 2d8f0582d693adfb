"""The triage of a report (B6, X6): abuse, a security incident or a personal-data breach. A report
comes in untriaged, without the 72-hour clock; only a breach starts it, from the recorded moment
of awareness (between receipt and the triage). Triage is due within 24 hours of receipt, with
warnings to the privacy officers before and after; refused input changes nothing."""

import datetime as dt

import pytest

from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.incidents.deadline import clock_running
from waarborg.incidents.handling import incident_assess, incident_close
from waarborg.incidents.intake import incident_register, incident_report
from waarborg.incidents.models import NOTIFY_HOURS, TRIAGE_HOURS, IncidentWarning
from waarborg.incidents.selectors import incident_list_for
from waarborg.incidents.tests.conftest import at
from waarborg.incidents.triage import incident_triage
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

pytestmark = pytest.mark.django_db
D = dt.date
REPORT = "Phishingpagina op de site van klant Jan Smit, zie link in de mail"
REASONS = "Klantenbestand bereikbaar zonder inlog; export in de logs gezien."


def _report(day=None, **kw):
    with clock.as_of(day or D(2026, 3, 2)):  # received at noon, Amsterdam time
        return incident_report(description=REPORT, **kw).incident


def _run(day):
    return run_daily(day, only=["incident-deadlines"])["incident-deadlines"]


@pytest.mark.promise("B6", "X6")
def test_a_report_is_untriaged_without_a_clock_until_the_officer_triages_it_as_a_breach(personas, erin):
    incident = _report()
    assert incident.kind == "" and incident.aware_at is None and incident.due_at is None
    assert not clock_running(incident)
    assert incident.triage_due_at == at(2026, 3, 2, 12) + dt.timedelta(hours=TRIAGE_HOURS)
    with clock.as_of(D(2026, 3, 3)):
        triaged = incident_triage(
            actor=erin, incident=incident, kind="breach", aware_at="2026-03-02 18:30", reasons=REASONS
        )
    current = type(incident).objects.get(pk=incident.pk)
    assert current.kind == "breach" and current.triaged_by == erin and current.triaged_at == at(2026, 3, 3, 12)
    assert current.aware_at == at(2026, 3, 2, 18, 30) and current.triage_reasons == REASONS
    # the 72 hours count from the moment of awareness, not from receipt nor from the triage
    assert triaged.due_at == at(2026, 3, 2, 18, 30) + dt.timedelta(hours=NOTIFY_HOURS)
    assert clock_running(current)
    assert_clean_event(last_event(), action="incidents.incident.triage", values=["Jan Smit", "export in de logs"])
    assert last_event().data["kind"] == "breach" and last_event().data["late"] is False


@pytest.mark.promise("B6", "X6")
def test_awareness_defaults_to_the_triage_and_may_be_receipt_itself(personas, erin):
    first, second = _report(), _report()
    with clock.as_of(D(2026, 3, 2)):  # triaged at the moment of receipt (noon)
        incident_triage(actor=erin, incident=first, kind="breach", aware_at=at(2026, 3, 2, 12), reasons=REASONS)
    with clock.as_of(D(2026, 3, 3)):
        incident_triage(actor=erin, incident=second, kind="breach", reasons=REASONS)
    assert first.aware_at == at(2026, 3, 2, 12) and second.aware_at == at(2026, 3, 3, 12)
    assert last_event().data["late"] is False  # exactly 24 hours after receipt: in time


@pytest.mark.promise("B6")
@pytest.mark.parametrize("kind", ["abuse", "security"])
def test_abuse_and_security_incidents_have_no_clock_no_assessment_and_close_with_a_conclusion(personas, erin, kind):
    incident = _report()
    with clock.as_of(D(2026, 3, 2)):
        incident_triage(actor=erin, incident=incident, kind=kind, reasons="Spam vanaf een klantsite, geen lek.")
    assert incident.kind == kind and incident.aware_at is None and incident.due_at is None
    assert not clock_running(incident)
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        incident_assess(actor=erin, incident=incident, is_breach=False, reasons="Geen lek.")
    assert refused.value.code == "incidents.assess_not_breach"
    assert_nothing_changed(before)
    assert _run(D(2026, 3, 9)) == {"warnings": 0, "failed": 0}  # no clock: no warnings, ever
    incident_close(actor=erin, incident=incident, conclusion="Site van de klant opgeschoond.")
    assert type(incident).objects.get(pk=incident.pk).status == "closed"


@pytest.mark.promise("B6", "X6")
@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"kind": "spam"}, "incidents.kind_unknown", "kind"),
        ({"kind": ""}, "incidents.kind_unknown", "kind"),
        ({"kind": "breach", "aware_at": "2026-03-03 12:30"}, "incidents.aware_after_triage", "aware_at"),
        ({"kind": "breach", "aware_at": "2026-03-02 11:59"}, "incidents.aware_before_receipt", "aware_at"),
        ({"kind": "breach", "aware_at": "morgen"}, "incidents.moment_form", "aware_at"),
        ({"kind": "abuse", "aware_at": "2026-03-02 13:00"}, "incidents.aware_only_breach", "aware_at"),
        ({"kind": "breach", "reasons": ""}, "input.required", "triage_reasons"),
        ({"kind": "breach", "reasons": "Gemeld door jan@example.nl"}, "incidents.personal_data", "triage_reasons"),
    ],
)
def test_bad_triage_input_is_refused_with_its_code_and_nothing_changes(personas, erin, kwargs, code, field):
    incident = _report()
    before = database_snapshot()
    with clock.as_of(D(2026, 3, 3)), pytest.raises(ValidationError) as refused:
        incident_triage(actor=erin, incident=incident, **({"reasons": REASONS} | kwargs))
    assert refused.value.code == code and refused.value.field == field
    assert_nothing_changed(before)


@pytest.mark.promise("B6")
def test_triaging_twice_or_by_anyone_but_the_officer_is_refused(personas, erin, carol, alice):
    incident = _report()
    before = database_snapshot()
    for actor in (carol, alice):
        with pytest.raises(PermissionDenied):
            incident_triage(actor=actor, incident=incident, kind="abuse", reasons="Spam.")
    assert_nothing_changed(before)
    incident_triage(actor=erin, incident=incident, kind="abuse", reasons="Spam vanaf een klantsite.")
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        incident_triage(actor=erin, incident=incident, kind="breach", reasons=REASONS)
    assert refused.value.code == "incidents.triaged_already" and incident.number in str(refused.value)
    assert_nothing_changed(before)


@pytest.mark.promise("X6")
def test_an_untriaged_report_is_not_assessed_nor_closed(personas, erin):
    incident = _report()
    before = database_snapshot()
    for call in (
        lambda: incident_assess(actor=erin, incident=incident, is_breach=False, reasons="Geen lek."),
        lambda: incident_close(actor=erin, incident=incident),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.code == "incidents.triage_first"
    assert_nothing_changed(before)


@pytest.mark.promise("B6")
def test_staff_register_a_breach_by_default_or_another_kind_without_a_clock(personas, carol):
    breach = incident_register(actor=carol, description="Laptop kwijt", aware_at="2026-03-02 09:15")
    assert breach.kind == "breach" and breach.triaged_by == carol and breach.due_at == at(2026, 3, 5, 9, 15)
    abuse = incident_register(actor=carol, description="Spam vanaf een klantsite", kind="abuse")
    assert abuse.kind == "abuse" and abuse.aware_at is None and abuse.triaged_at is not None
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        incident_register(actor=carol, description="Spam", kind="phishing")
    assert refused.value.code == "incidents.kind_unknown"
    with pytest.raises(ValidationError) as refused:
        incident_register(actor=carol, description="Spam", kind="security", aware_at="2026-03-02 09:15")
    assert refused.value.code == "incidents.aware_only_breach"
    assert_nothing_changed(before)


@pytest.mark.promise("X6")
def test_untriaged_reports_head_the_register_first_triage_due_first(personas, erin, carol):
    breach = incident_register(actor=carol, description="Laptop kwijt", aware_at=at(2026, 3, 1, 9))
    later = _report(D(2026, 3, 3))
    earlier = _report(D(2026, 3, 2))
    with clock.as_of(D(2026, 3, 3)):
        rows = incident_list_for(viewer=erin, now=clock.now())
        untriaged = incident_list_for(viewer=erin, now=clock.now(), breach="untriaged")
    assert [r.incident for r in rows] == [earlier, later, breach]
    assert rows[0].untriaged and rows[0].triage_due_at == at(2026, 3, 3, 12) and rows[0].triage_overdue
    assert not rows[1].triage_overdue and rows[2].running and not rows[2].untriaged
    assert [r.incident for r in untriaged] == [earlier, later]


@pytest.mark.promise("X6")
def test_the_officers_are_warned_before_and_after_the_triage_deadline_each_once(personas, erin, mail):
    incident = _report(D(2026, 3, 2), reporter_email="melder@example.nl")  # due for triage 3 March, noon
    mail.wait_for(1)  # the reporter's confirmation
    assert _run(D(2026, 3, 2)) == {"warnings": 1, "failed": 0}  # before the deadline
    assert _run(D(2026, 3, 2)) == {"warnings": 0, "failed": 0}  # a rerun sends nothing
    before = mail.wait_for(2)[1]
    assert incident.number in before["Subject"] and "triage uiterlijk 3 maart 2026, 12:00" in before["Subject"]
    body = mail.body(before)
    assert "nog niet getrieerd" in body and "Jan Smit" not in body and "melder@example.nl" not in body
    assert _run(D(2026, 3, 3)) == {"warnings": 1, "failed": 0}  # noon: the deadline has come
    after = mail.wait_for(3)[2]
    assert "termijn voor de triage is verstreken" in after["Subject"]
    assert_clean_event(last_event(), action="incidents.incident.warn", values=["Jan Smit", "melder@example.nl"])
    assert list(IncidentWarning.objects.filter(incident=incident).order_by("pk").values_list("stage", flat=True)) == [
        "triage",
        "triage_late",
    ]
    with clock.as_of(D(2026, 3, 4)):
        incident_triage(actor=erin, incident=incident, kind="security", reasons="Geen persoonsgegevens betrokken.")
    assert last_event().data["late"] is True
    assert _run(D(2026, 3, 5)) == {"warnings": 0, "failed": 0}  # triaged, and no clock


@pytest.mark.promise("X6")
def test_a_breach_found_at_triage_gets_the_72_hour_warnings_from_awareness(personas, erin, mail):
    incident = _report(D(2026, 3, 2))
    with clock.as_of(D(2026, 3, 2)):
        incident_triage(actor=erin, incident=incident, kind="breach", aware_at="2026-03-02 12:00", reasons=REASONS)
    assert _run(D(2026, 3, 2)) == {"warnings": 0, "failed": 0}  # triaged in time: no triage warning
    assert _run(D(2026, 3, 3)) == {"warnings": 1, "failed": 0}  # 24 hours after awareness
    assert _run(D(2026, 3, 5)) == {"warnings": 1, "failed": 0}  # 72 hours after awareness: overdue
    assert sorted(IncidentWarning.objects.filter(incident=incident).values_list("stage", flat=True)) == [
        "day_one",
        "overdue",
    ]
