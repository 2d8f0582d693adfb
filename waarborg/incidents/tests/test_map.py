"""The app's personal data is in the map, with retention that keeps the breach record (X6)."""

import datetime as dt

import pytest
from django.apps import apps

from waarborg.core import datamap
from waarborg.core.checks import check_personal_data_map
from waarborg.core.daily import run_daily
from waarborg.incidents.handling import incident_assess, incident_close
from waarborg.incidents.models import Incident
from waarborg.incidents.tests.conftest import at
from waarborg.subjects.finder import Query, subject_find

pytestmark = pytest.mark.django_db


@pytest.mark.promise("X6", "B4")
def test_every_model_of_the_app_is_declared_and_passes_the_check():
    models = list(apps.get_app_config("incidents").get_models())
    assert check_personal_data_map(models=models) == []
    entry = datamap.entry_for("incidents.Incident")
    assert entry.fields["reporter_email"].identifier == "email"
    assert entry.fields["reporter_email"].retention.key == "complaint_2y"
    assert entry.fields["reporter_email"].erasure == "delete"
    assert entry.fields["description"].retention.key == "incident_record_5y"
    assert entry.fields["description"].erasure == "retain"  # the register of art. 33(5) stays
    assert "incidents.IncidentWarning" in datamap.EXEMPT


@pytest.mark.promise("X6", "B6")
def test_the_reporter_is_found_by_their_address_and_the_sweep_keeps_the_record_longer_than_the_address(
    personas, erin, registered
):
    incident = registered(aware=at(2026, 3, 2, 9), reporter_email="melder@example.nl")
    assert any(hit.model == "incidents.Incident" for hit in subject_find(Query(email="melder@example.nl")))
    incident = incident_assess(actor=erin, incident=incident, is_breach=False, reasons="Geen lek.")
    incident_close(actor=erin, incident=incident)
    Incident.objects.filter(pk=incident.pk).update(closed_at=at(2026, 3, 10))
    run_daily(dt.date(2028, 3, 11), only=["retention"])
    kept = Incident.objects.get(pk=incident.pk)
    assert kept.reporter_email == "" and kept.description  # the address went after 2 years, the record stays
    run_daily(dt.date(2031, 3, 11), only=["retention"])
    assert not Incident.objects.filter(pk=incident.pk).exists()  # 5 years after closing
