"""Reporting, registering and handling incidents through the services (B6, X6)."""

import datetime as dt

import pytest

from waarborg.core import clock
from waarborg.core.actors import CLI, SYSTEM
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.incidents.handling import incident_assess, incident_close
from waarborg.incidents.intake import incident_register, incident_report
from waarborg.incidents.models import Incident
from waarborg.incidents.notifications import incident_inform_subjects, incident_notify_authority
from waarborg.incidents.tests.conftest import at
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

pytestmark = pytest.mark.django_db

REPORT = "Ik kreeg een factuur van iemand anders in mijn mailbox, met naam en adres van Jan Smit."


def _breach(incident, erin, risk="risk", **kw):
    values = {
        "is_breach": True,
        "risk": risk,
        "categories": ["D2", "D3"],
        "subjects_count": 40,
        "consequences": "Namen en adressen van klanten konden door derden worden gelezen.",
        "measures": "Toegang ingetrokken, wachtwoorden vervangen.",
        "reasons": "Onversleutelde gegevens bij een onbevoegde; kans op phishing.",
    }
    return incident_assess(actor=erin, incident=incident, **(values | kw))


@pytest.mark.promise("B6")
def test_it_records_a_public_report_as_an_incident_and_confirms_it_to_the_reporter(personas, mail):
    with clock.as_of(dt.date(2026, 3, 2)):
        reported = incident_report(description=REPORT, reporter_email=" Melder@Example.NL ", language="nl")
    incident = reported.incident
    assert reported.confirmed
    assert incident.number == "I00001" and incident.channel == "form" and incident.status == "new"
    assert incident.reporter_email == "melder@example.nl"
    assert incident.received_at == at(2026, 3, 2) and incident.kind == ""  # untriaged: no clock yet
    assert incident.aware_at is None and incident.due_at is None
    assert incident.triage_due_at == at(2026, 3, 2) + dt.timedelta(hours=24)  # triage within 24 hours
    message = mail.wait_for(1)[0]
    assert message["To"] == "melder@example.nl" and "I00001" in message["Subject"]
    body = mail.body(message)
    assert "I00001" in body and "Jan Smit" not in body  # the number, never what was reported
    assert_clean_event(last_event(), action="incidents.incident.report", values=["melder@example.nl", "Jan Smit"])
    second = incident_report(description="Verdachte inlogpogingen op mijn account.").incident
    assert second.number == "I00002" and second.reporter_email == ""
    assert len(mail.settle()) == 1  # no address, no mail


@pytest.mark.promise("B6")
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"description": "   "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"description": "Mijn BSN 111222333 staat online."}, "description"),
        ({"description": REPORT, "reporter_email": "geen-adres"}, "reporter_email"),
        ({"description": REPORT, "channel": "staff"}, "channel"),
    ],
)
def test_it_refuses_a_bad_report_naming_the_field_and_writes_nothing(personas, mail, kwargs, field):
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        incident_report(**kwargs)
    assert refused.value.field == field
    assert_nothing_changed(before)
    assert mail.settle() == []


@pytest.mark.promise("B6")
def test_it_keeps_the_report_when_the_confirmation_cannot_be_sent(personas, settings):
    settings.EMAIL_PORT = 9  # nothing listens there
    reported = incident_report(description=REPORT, reporter_email="melder@example.nl")
    assert not reported.confirmed
    assert Incident.objects.filter(pk=reported.incident.pk).exists()


@pytest.mark.promise("B6", "X6")
def test_it_registers_an_incident_by_staff_with_the_moment_of_awareness(personas, carol):
    incident = incident_register(
        actor=carol,
        description="Monitoring: ongebruikelijke export van de klantentabel.",
        channel="system",
        received_at=at(2026, 3, 2, 10),
        aware_at="2026-03-02 09:15",
    )
    assert incident.registered_by == carol and incident.channel == "system"
    assert incident.aware_at == at(2026, 3, 2, 9, 15)
    assert incident.due_at == at(2026, 3, 5, 9, 15)  # 72 calendar hours, weekends included
    assert_clean_event(last_event(), action="incidents.incident.report", values=["klantentabel"])


@pytest.mark.promise("B6")
def test_it_refuses_registering_by_a_customer_or_with_a_moment_ahead(personas, alice):
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        incident_register(actor=alice, description=REPORT)
    with pytest.raises(ValidationError) as refused:
        incident_register(actor=CLI, description=REPORT, aware_at=clock.now() + dt.timedelta(days=1))
    assert refused.value.field == "aware_at"
    with pytest.raises(ValidationError) as refused:
        incident_register(actor=CLI, description=REPORT, aware_at="gisteren")
    assert refused.value.field == "aware_at"
    assert_nothing_changed(before)


@pytest.mark.promise("X6")
def test_it_records_the_assessment_of_a_breach_with_its_facts(personas, erin, registered):
    incident = registered(aware=at(2026, 3, 2, 9))
    assessed = _breach(incident, erin, risk="high")
    assert assessed.status == "assessed" and assessed.is_breach and assessed.reportable and assessed.high_risk
    assert assessed.categories == ["D2", "D3"] and assessed.subjects_count == 40
    assert assessed.assessed_by == erin
    event = last_event()
    assert_clean_event(event, action="incidents.incident.assess", values=["Namen en adressen", "phishing"])
    assert event.data["reportable"] is True and event.data["risk"] == "high"


@pytest.mark.promise("X6")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"risk": ""}, "risk"),
        ({"risk": "catastrophic"}, "risk"),
        ({"categories": []}, "categories"),
        ({"categories": ["D12"]}, "categories"),
        ({"subjects_count": None}, "subjects_count"),
        ({"subjects_count": -3}, "subjects_count"),
        ({"consequences": ""}, "consequences"),
        ({"measures": ""}, "measures"),
        ({"reasons": ""}, "reasons"),
        ({"measures": "Klant jan@example.nl gebeld."}, "measures"),
        ({"consequences": "Zijn nummer 06 12345678 is uitgelekt."}, "consequences"),
        ({"reasons": "BSN 111222333 gelekt."}, "reasons"),
    ],
)
def test_it_refuses_an_incomplete_assessment_naming_the_field_and_changes_nothing(
    personas, erin, registered, changes, field
):
    incident = registered(aware=at(2026, 3, 2, 9))
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        _breach(incident, erin, **changes)
    assert refused.value.field == field
    assert_nothing_changed(before)


@pytest.mark.promise("X6")
def test_only_the_privacy_officer_handles_an_incident(personas, registered, carol, dave, frank, alice, erin):
    incident = registered(aware=at(2026, 3, 2, 9))
    before = database_snapshot()
    for actor in (carol, dave, frank, alice, CLI, SYSTEM):
        with pytest.raises(PermissionDenied):
            _breach(incident, actor)
        with pytest.raises(PermissionDenied):
            incident_close(actor=actor, incident=incident)
    assert_nothing_changed(before)


@pytest.mark.promise("X6")
def test_it_records_the_notification_within_72_hours_without_reasons(personas, erin, registered):
    incident = _breach(registered(aware=at(2026, 3, 2, 9)), erin)
    notified = incident_notify_authority(
        actor=erin, incident=incident, reference="M-2026-0042", notified_at=at(2026, 3, 5, 8, 59)
    )
    assert notified.authority_notified_at == at(2026, 3, 5, 8, 59) and notified.delay_reasons == ""
    event = last_event()
    assert_clean_event(event, action="incidents.incident.notify_authority")
    assert event.data["late"] is False


@pytest.mark.promise("X6")
def test_it_demands_the_reasons_for_a_notification_after_72_hours(personas, erin, registered):
    incident = _breach(registered(aware=at(2026, 3, 2, 9)), erin)
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        incident_notify_authority(actor=erin, incident=incident, reference="M-1", notified_at=at(2026, 3, 5, 9, 1))
    assert refused.value.field == "delay_reasons"
    for kwargs, field in (
        ({"reference": ""}, "reference"),
        ({"reference": "M-1", "notified_at": at(2026, 3, 1)}, "notified_at"),
        ({"reference": "M-1", "notified_at": clock.now() + dt.timedelta(days=2)}, "notified_at"),
    ):
        with pytest.raises(ValidationError) as refused:
            incident_notify_authority(actor=erin, incident=incident, **kwargs)
        assert refused.value.field == field
    assert_nothing_changed(before)
    late = incident_notify_authority(
        actor=erin,
        incident=incident,
        reference="M-1",
        notified_at=at(2026, 3, 6, 10),
        delay_reasons="De omvang was pas na forensisch onderzoek duidelijk; eerst in fasen gemeld.",
    )
    assert late.delay_reasons.startswith("De omvang") and last_event().data["late"] is True


@pytest.mark.promise("X6")
def test_it_refuses_to_close_a_reportable_breach_that_was_not_notified(personas, erin, registered):
    incident = registered(aware=at(2026, 3, 2, 9))
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        incident_close(actor=erin, incident=incident)  # not assessed yet
    assert refused.value.field == "status"
    assert_nothing_changed(before)
    incident = _breach(incident, erin, risk="risk")
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        incident_close(actor=erin, incident=incident)
    assert refused.value.field == "status"
    assert_nothing_changed(before)
    incident = incident_notify_authority(actor=erin, incident=incident, reference="M-7", notified_at=at(2026, 3, 3))
    closed = incident_close(actor=erin, incident=incident, conclusion="Procedure voor verzending aangepast.")
    assert closed.status == "closed" and closed.closed_by == erin
    assert_clean_event(last_event(), action="incidents.incident.close")


@pytest.mark.promise("X6")
def test_it_refuses_to_close_a_high_risk_breach_until_the_people_are_informed_or_a_ground_is_recorded(
    personas, erin, registered
):
    incident = _breach(registered(aware=at(2026, 3, 2, 9)), erin, risk="high")
    incident = incident_notify_authority(actor=erin, incident=incident, reference="M-8", notified_at=at(2026, 3, 3))
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        incident_close(actor=erin, incident=incident)
    assert refused.value.field == "status"
    for kwargs, field in (
        ({}, "how"),
        ({"how": "email", "ground": "risk_removed"}, "how"),
        ({"how": "pigeon"}, "how"),
        ({"ground": "unintelligible"}, "explanation"),
        ({"ground": "because"}, "ground"),
    ):
        with pytest.raises(ValidationError) as refused:
            incident_inform_subjects(actor=erin, incident=incident, **kwargs)
        assert refused.value.field == field, kwargs
    assert_nothing_changed(before)
    informed = incident_inform_subjects(actor=erin, incident=incident, how="email", informed_at=at(2026, 3, 4))
    assert informed.subjects_informed_how == "email" and informed.subjects_informed_at == at(2026, 3, 4)
    assert incident_close(actor=erin, incident=informed).status == "closed"


@pytest.mark.promise("X6")
def test_a_high_risk_breach_closes_with_an_art_34_3_ground_instead(personas, erin, registered):
    incident = _breach(registered(aware=at(2026, 3, 2, 9)), erin, risk="high")
    incident = incident_notify_authority(actor=erin, incident=incident, reference="M-9", notified_at=at(2026, 3, 3))
    incident = incident_inform_subjects(
        actor=erin,
        incident=incident,
        ground="unintelligible",
        explanation="De gestolen schijf was volledig versleuteld; de sleutel is niet meegenomen.",
    )
    assert incident.no_notice_ground == "unintelligible" and incident.subjects_informed_at is None
    assert incident_close(actor=erin, incident=incident).status == "closed"


@pytest.mark.promise("X6")
def test_every_breach_stays_in_the_register_also_when_it_is_not_reported(personas, erin, registered):
    incident = _breach(
        registered(aware=at(2026, 3, 2, 9)),
        erin,
        risk="none",
        reasons="Versleutelde back-up kwijt; de sleutel is veilig, dus geen risico.",
    )
    assert incident.is_breach and not incident.reportable
    closed = incident_close(actor=erin, incident=incident)
    assert closed.status == "closed" and closed.authority_notified_at is None
    kept = Incident.objects.get(pk=incident.pk)
    assert kept.is_breach and kept.risk == "none" and kept.assessment_reasons.startswith("Versleutelde")
    assert kept.categories == ["D2", "D3"] and kept.measures and kept.consequences  # facts, effects, remedy


@pytest.mark.promise("X6")
def test_no_breach_is_closed_after_its_assessment_and_then_nothing_changes(personas, erin, registered):
    incident = registered(aware=at(2026, 3, 2, 9))
    incident = incident_assess(
        actor=erin, incident=incident, is_breach=False, reasons="Een phishingmail, geen gegevens van ons gelekt."
    )
    assert incident.status == "assessed" and incident.risk == "" and incident.categories == []
    with pytest.raises(ValidationError):
        incident_notify_authority(actor=erin, incident=incident, reference="M-1")
    closed = incident_close(actor=erin, incident=incident)
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        _breach(closed, erin)
    assert refused.value.field == "status"
    assert_nothing_changed(before)
