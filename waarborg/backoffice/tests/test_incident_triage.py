"""The triage in the back office (B6, X6): untriaged reports head the register with their triage
deadline; the privacy officer triages a report on its page (Dutch and English); a refusal shows
the form again with its error and changes nothing."""

import pytest

from waarborg.auth_web.testing import sign_in
from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.incidents.intake import incident_register, incident_report
from waarborg.incidents.models import Incident
from waarborg.incidents.tests.conftest import at
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db

INDEX = "/backoffice/incidenten/"
REPORT = "Phishingpagina op de site van een klant"
TRIAGE = {
    "trieren-kind": "breach",
    "trieren-aware_at": "2026-03-02T15:00",
    "trieren-reasons": "Klantgegevens ingezien.",
}


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


def _report(day="2026-03-02"):
    with clock.as_of(clock.parse_date(day)):  # received at noon
        return incident_report(description=REPORT).incident


def _detail(incident) -> str:
    return f"{INDEX}{incident.pk}/"


def _triage(incident) -> str:
    return f"{INDEX}{incident.pk}/trieren/"


@pytest.mark.promise("X6", "B6")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ("nog niet getrieerd", "trieer uiterlijk", "Triage te laat", "binnen 24 uur na ontvangst getrieerd")),
        ("en", ("not triaged yet", "triage by", "Triage overdue", "triaged within 24 hours of receipt")),
    ],
)
def test_untriaged_reports_head_the_register_with_their_triage_deadline(
    client, settings, personas, erin, language, words
):
    breach = incident_register(
        actor=CLI, description="Laptop kwijt", received_at=at(2026, 3, 1, 9), aware_at=at(2026, 3, 1, 9)
    )
    report = _report()
    sign_in(client, erin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with clock.as_of(clock.parse_date("2026-03-03")):  # noon: the triage deadline has come
        page = client.get(INDEX)
        body = page.content.decode()
        assert [r.incident for r in page.context["rows"]] == [report, breach]
        assert f'data-number="{report.number}" data-status="new" data-untriaged="true"' in body
        assert 'data-triage-overdue="true"' in body
        for word in words:
            assert word in body
        filtered = client.get(INDEX, {"breach": "untriaged"}).context["rows"]
        assert [r.incident for r in filtered] == [report]


@pytest.mark.promise("X6", "B6")
def test_the_officer_triages_a_report_as_a_breach_and_the_clock_runs_from_awareness(client, personas, erin):
    report = _report()
    sign_in(client, erin)
    with clock.as_of(clock.parse_date("2026-03-03")):
        page = client.get(_detail(report)).content.decode()
        assert "Trieer de melding" in page and f'action="{INDEX}{report.pk}/beoordelen/"' not in page
        response = client.post(_triage(report), TRIAGE)
        assert response.status_code == 302 and response["Location"] == _detail(report)
        current = Incident.objects.get(pk=report.pk)
        assert current.kind == "breach" and current.aware_at == at(2026, 3, 2, 15) and current.triaged_by == erin
        assert current.due_at == at(2026, 3, 5, 15)  # 72 hours from awareness
        page = client.get(_detail(report)).content.decode()
    assert "Datalek: de 72-uurstermijn loopt" in page and "Klantgegevens ingezien." in page
    assert "Trieer de melding" not in page and "/beoordelen/" in page  # now it is assessed
    timeline = page[page.index('id="timeline"') :]
    assert "Getrieerd" in timeline and "Datalek" in timeline


@pytest.mark.promise("B6")
def test_abuse_is_closed_without_an_assessment_or_notification_forms(client, personas, erin):
    report = _report()
    sign_in(client, erin)
    response = client.post(_triage(report), {"trieren-kind": "abuse", "trieren-reasons": "Spam, geen lek."})
    assert response.status_code == 302
    page = client.get(_detail(report)).content.decode()
    assert "/beoordelen/" not in page and "/melden-ap/" not in page and "/sluiten/" in page
    response = client.post(f"{INDEX}{report.pk}/sluiten/", {"sluiten-conclusion": "Site opgeschoond."})
    assert response.status_code == 302 and Incident.objects.get(pk=report.pk).status == "closed"


@pytest.mark.promise("X6", "B6")
@pytest.mark.parametrize(
    ("language", "data", "field", "message"),
    [
        (
            "nl",
            {"trieren-aware_at": "2026-03-02T11:00"},
            "aware_at",
            "Het moment van bekend worden ligt vóór de ontvangst van de melding",
        ),
        (
            "en",
            {"trieren-aware_at": "2026-03-02T11:00"},
            "aware_at",
            "The moment we became aware lies before the report was received",
        ),
        (
            "nl",
            {"trieren-aware_at": "2026-03-03T13:00"},
            "aware_at",
            "Het moment van bekend worden ligt na de triage: toen wisten we het al",
        ),
        (
            "en",
            {"trieren-aware_at": "2026-03-03T13:00"},
            "aware_at",
            "The moment we became aware lies after the triage: by then we were aware",
        ),
        (
            "en",
            {"trieren-kind": "abuse"},
            "aware_at",
            "The moment we became aware is recorded only for a personal-data breach",
        ),
        ("nl", {"trieren-kind": "phishing"}, "kind", ""),
    ],
)
def test_a_refused_triage_shows_its_error_in_the_language_of_the_screen_and_changes_nothing(
    client, settings, personas, erin, language, data, field, message
):
    report = _report()
    sign_in(client, erin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = database_snapshot()
    with clock.as_of(clock.parse_date("2026-03-03")):
        response = client.post(_triage(report), TRIAGE | data)
    assert response.status_code == 200
    errors = response.context["bound"].errors[field]
    assert errors and errors[0].startswith(message)
    assert_nothing_changed(before)


@pytest.mark.promise("X6", "B6")
def test_a_second_triage_is_refused_and_changes_nothing(client, personas, erin):
    report = _report()
    sign_in(client, erin)
    with clock.as_of(clock.parse_date("2026-03-03")):
        assert client.post(_triage(report), TRIAGE).status_code == 302
        before = database_snapshot()
        response = client.post(_triage(report), {"trieren-kind": "abuse", "trieren-reasons": "Toch spam."})
    assert response.status_code == 200
    assert "is al getrieerd" in " ".join(response.context["bound"].errors["kind"])
    assert_nothing_changed(before)


@pytest.mark.promise("B2", "X6")
@pytest.mark.parametrize("role", ["customer", "support", "finance", "admin"])
def test_every_other_role_is_refused_the_triage(client, personas, role):
    report = _report()
    sign_in(client, personas.by_role()[role])
    before = database_snapshot()
    assert client.post(_triage(report), TRIAGE).status_code == 403
    assert_nothing_changed(before)
