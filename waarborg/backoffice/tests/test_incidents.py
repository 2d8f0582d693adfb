"""The incident register in the back office (B6, X6): the privacy officer's list with the clock,
the page with its timeline and actions; every other role gets a 403 and nothing changes."""

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.auth_web.testing import sign_in
from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.incidents.handling import incident_assess
from waarborg.incidents.intake import incident_register
from waarborg.incidents.models import Incident
from waarborg.incidents.tests.conftest import at
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail(smtp_server):
    """Every mail of these tests goes through a real local SMTP server."""
    return smtp_server


@pytest.fixture
def registered(personas):
    """register(aware=..., **kw): an incident registered at the shell, aware at a moment."""

    def make(*, aware=None, description="Laptop met klantexport gestolen uit de auto", **kw):
        return incident_register(
            actor=CLI, description=description, received_at=aware, aware_at=aware, channel="staff", **kw
        )

    return make


INDEX = "/backoffice/incidenten/"
SECRET = "Laptop met klantexport gestolen uit de auto"


def _detail(incident) -> str:
    return f"{INDEX}{incident.pk}/"


def _action(incident, action) -> str:
    return f"{INDEX}{incident.pk}/{action}/"


ASSESS = {
    "beoordelen-is_breach": "yes",
    "beoordelen-risk": "risk",
    "beoordelen-categories": ["D3", "D7"],
    "beoordelen-subjects_count": "120",
    "beoordelen-consequences": "Betaalgegevens konden door een onbevoegde worden gelezen.",
    "beoordelen-measures": "Apparaat op afstand gewist, wachtwoorden vervangen.",
    "beoordelen-reasons": "Onversleuteld en betaalgegevens: een risico.",
}


@pytest.mark.promise("X6", "B6")
def test_it_shows_the_register_with_the_clock_to_the_privacy_officer(client, personas, erin, registered):
    overdue = registered(aware=at(2026, 3, 2, 9))
    soon = registered(aware=at(2026, 3, 3, 9))
    later = registered(aware=at(2026, 3, 4, 11))
    done = registered(aware=at(2026, 3, 1, 9))
    incident_assess(actor=erin, incident=done, is_breach=False, reasons="Geen lek.")
    sign_in(client, erin)
    with clock.as_of(clock.parse_date("2026-03-05")):  # noon
        page = client.get(INDEX)
        assert page.status_code == 200
        body = page.content.decode()
        rows = page.context["rows"]
        assert [r.incident for r in rows] == [overdue, soon, later, done]  # running clocks first, first due first
        assert [r.hours_left for r in rows[:3]] == [-3, 21, 47]
        assert f'data-number="{overdue.number}" data-status="new" data-overdue="true"' in body
        assert 'data-hours-left="21"' in body and "Te laat" in body
        filtered = client.get(INDEX, {"due": "overdue"}).context["rows"]
        assert [r.incident for r in filtered] == [overdue]
        assert [r.incident for r in client.get(INDEX, {"breach": "no"}).context["rows"]] == [done]
    landing = client.get("/backoffice/").content.decode()
    assert f'href="{INDEX}"' in landing and "Incidenten en datalekken" in landing


@pytest.mark.promise("X6", "B6")
def test_the_privacy_officer_assesses_notifies_and_closes_through_the_forms(client, personas, erin, registered):
    incident = registered(aware=at(2026, 3, 2, 9), description=SECRET)
    sign_in(client, erin)
    page = client.get(_detail(incident))
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert_clean_event(last_event(), action="incidents.incident.view")
    response = client.post(_action(incident, "beoordelen"), ASSESS)
    assert response.status_code == 302 and response["Location"] == _detail(incident)
    current = Incident.objects.get(pk=incident.pk)
    assert current.reportable and current.categories == ["D3", "D7"] and current.subjects_count == 120
    response = client.post(
        _action(incident, "melden-ap"),
        {"melden_ap-notified_at": "2026-03-04T16:00", "melden_ap-reference": "M-2026-17"},
    )
    assert response.status_code == 302
    assert Incident.objects.get(pk=incident.pk).authority_notified_at == at(2026, 3, 4, 16)
    response = client.post(_action(incident, "sluiten"), {"sluiten-conclusion": "Schijfversleuteling verplicht."})
    assert response.status_code == 302 and Incident.objects.get(pk=incident.pk).status == "closed"
    body = client.get(_detail(incident)).content.decode()
    timeline = body[body.index('id="timeline"') :]
    for step in ("Ontvangen", "Beoordeeld", "Autoriteit gemeld", "Gesloten"):
        assert step in timeline
    assert "Erin" in timeline


@pytest.mark.promise("X6")
def test_a_refused_action_shows_the_form_again_with_its_error_and_changes_nothing(client, personas, erin, registered):
    incident = registered(aware=at(2026, 3, 2, 9))
    sign_in(client, erin)
    client.post(_action(incident, "beoordelen"), ASSESS | {"beoordelen-risk": "high"})
    before = database_snapshot()
    response = client.post(_action(incident, "sluiten"), {"sluiten-conclusion": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is niets gewijzigd" in body and 'data-errors="sluiten"' in body and "gemeld" in body
    late = client.post(
        _action(incident, "melden-ap"),
        {"melden_ap-notified_at": "2026-03-06T10:00", "melden_ap-reference": "M-1"},
    )
    assert late.status_code == 200 and late.context["bound"].errors["delay_reasons"]
    leaking = client.post(_action(incident, "beoordelen"), ASSESS | {"beoordelen-measures": "Mail naar jan@example.nl"})
    assert leaking.context["bound"].errors["measures"]
    assert "jan@example.nl" not in str(last_event().data)
    assert_nothing_changed(before)  # a refused action writes nothing at all


@pytest.mark.promise("X6")
@pytest.mark.parametrize(
    ("language", "measures", "late"),
    [
        (
            "nl",
            "In de beschrijving van de maatregelen mogen geen persoonsgegevens staan",
            "De verklaring voor de vertraging is verplicht: de melding is later dan 72 uur na het bekend worden",
        ),
        (
            "en",
            "The description of the measures may not contain personal data",
            "The explanation of the delay is required: the notification is more than 72 hours after becoming aware",
        ),
    ],
)
def test_a_refusal_reads_in_the_language_of_the_screen_at_its_field(
    client, settings, personas, erin, registered, language, measures, late
):
    incident = registered(aware=at(2026, 3, 2, 9))
    sign_in(client, erin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.post(_action(incident, "beoordelen"), ASSESS)
    before = database_snapshot()
    leaking = client.post(_action(incident, "beoordelen"), ASSESS | {"beoordelen-measures": "Mail naar jan@example.nl"})
    assert leaking.status_code == 200 and leaking.context["bound"].errors["measures"][0].startswith(measures)
    notified = client.post(
        _action(incident, "melden-ap"),
        {"melden_ap-notified_at": "2026-03-06T10:00", "melden_ap-reference": "M-1"},
    )
    assert notified.context["bound"].errors["delay_reasons"] == [late]
    assert_nothing_changed(before)


@pytest.mark.promise("B6")
def test_the_privacy_officer_registers_an_incident_in_the_back_office(client, personas, erin):
    sign_in(client, erin)
    assert client.get(f"{INDEX}registreren/").status_code == 200
    response = client.post(
        f"{INDEX}registreren/",
        {"channel": "system", "description": SECRET, "aware_at": "2026-03-02T09:15", "received_at": ""},
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(incident)
    assert (
        incident.channel == "system" and incident.aware_at == at(2026, 3, 2, 9, 15) and incident.registered_by == erin
    )
    before = database_snapshot()
    refused = client.post(f"{INDEX}registreren/", {"channel": "staff", "description": "Mijn BSN 111222333"})
    assert refused.status_code == 200 and "BSN" in refused.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("B2", "X6")
@pytest.mark.parametrize("role", ["customer", "support", "finance", "admin", "finance_archive"])
def test_every_other_role_gets_a_403_and_nothing_changes(client, personas, erin, registered, role):
    incident = registered(aware=at(2026, 3, 2, 9), description=SECRET)
    sign_in(client, personas.by_role()[role])
    before = database_snapshot()
    for url in (INDEX, f"{INDEX}registreren/", _detail(incident)):
        response = client.get(url)
        assert response.status_code == 403, (role, url)
        assert SECRET not in response.content.decode()
    for url, data in (
        (f"{INDEX}registreren/", {"channel": "staff", "description": "Nog een"}),
        (_action(incident, "beoordelen"), ASSESS),
        (_action(incident, "sluiten"), {}),
    ):
        assert client.post(url, data).status_code == 403, (role, url)
    assert_nothing_changed(before)
    assert not AuditEvent.objects.filter(action="incidents.incident.view").exists()
    landing = client.get("/backoffice/").content.decode() if role != "customer" else ""
    assert f'href="{INDEX}"' not in landing


@pytest.mark.promise("B6")
def test_anonymous_visitors_are_sent_to_sign_in_and_actions_need_post_and_csrf(client, personas, erin, registered):
    incident = registered(aware=at(2026, 3, 2, 9))
    with unchanged():
        response = client.get(INDEX)
        assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")
        assert client.post(_action(incident, "sluiten"), {}).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    sign_in(strict, erin)
    sign_in(client, erin)
    with unchanged():
        assert strict.post(_action(incident, "beoordelen"), ASSESS).status_code == 403
        assert client.get(_action(incident, "beoordelen")).status_code == 405
        assert client.post(_action(incident, "verzinnen"), {}).status_code == 404
