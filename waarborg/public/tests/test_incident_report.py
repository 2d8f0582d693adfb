"""The public form "Misbruik melden" (B6): anyone reports suspected misuse; the answer is the
same whoever reports; CSRF, length limits and a throttle keep it from being misused itself."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from waarborg.incidents.models import Incident
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail(smtp_server):
    """Every mail of these tests goes through a real local SMTP server."""
    return smtp_server


@pytest.fixture(autouse=True)
def fresh_cache():
    """The form's throttle counts in the cache: every test starts without it."""
    cache.clear()
    yield
    cache.clear()


URL = "/misbruik-melden/"
TEXT = "Op een forum staat een lijst met e-mailadressen die uit jullie klantenbestand lijkt te komen."


def _post(client, **data):
    return client.post(URL, {"description": TEXT, "reporter_email": "", **data})


@pytest.mark.promise("B6")
def test_it_takes_a_report_from_anyone_and_answers_everyone_the_same(client, personas, mail):
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Misbruik melden" in body and 'name="csrfmiddlewaretoken"' in body and 'maxlength="4000"' in body
    answers = []
    for email in ("alice.devries@example.nl", "onbekende@example.org", ""):
        response = _post(client, reporter_email=email)
        assert response.status_code == 302 and response["Location"] == "/misbruik-melden/ontvangen/"
        page = client.get(response["Location"]).content.decode()
        answers.append(re.sub(r'value="[A-Za-z0-9]{64}"', "", page))  # the masked CSRF token differs
    assert answers[0] == answers[1] == answers[2]
    assert "vastgelegd" in answers[0]
    incidents = list(Incident.objects.order_by("pk"))
    assert [i.channel for i in incidents] == ["form"] * 3 and all(i.description == TEXT for i in incidents)
    assert [i.reporter_email for i in incidents] == ["alice.devries@example.nl", "onbekende@example.org", ""]
    messages = mail.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["alice.devries@example.nl", "onbekende@example.org"]
    assert all(TEXT not in mail.body(m) for m in messages)


@pytest.mark.promise("B6")
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"description": ""}, "Beschrijf wat u opviel."),
        ({"description": "x" * 4001}, "4000"),
        ({"reporter_email": "geen-adres"}, "geldig e-mailadres"),
        ({"description": "Mijn BSN 111222333 staat op internet."}, "BSN"),
    ],
)
def test_it_shows_a_bad_report_again_with_the_error_and_keeps_nothing(client, personas, mail, data, error):
    before = database_snapshot()
    response = _post(client, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert_nothing_changed(before)
    assert mail.settle() == []


@pytest.mark.promise("B6")
@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("nl", "Het e-mailadres van de melder is geen geldig e-mailadres"),
        ("en", "The reporter's e-mail address is not a valid e-mail address"),
    ],
)
def test_a_refused_report_reads_in_the_visitors_language_at_its_field(
    client, settings, personas, mail, language, error
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = database_snapshot()
    response = _post(client, reporter_email="melder@localhost")  # a form address the register does not take
    assert response.status_code == 200
    assert response.context["form"].errors["reporter_email"] == [error]
    assert_nothing_changed(before)
    assert mail.settle() == []


@pytest.mark.promise("B6")
def test_it_refuses_a_report_without_the_csrf_token(personas, mail):
    strict = Client(enforce_csrf_checks=True)
    before = database_snapshot()
    response = strict.post(URL, {"description": TEXT})
    assert response.status_code == 403
    assert_nothing_changed(before)


@pytest.mark.promise("B6")
def test_it_throttles_many_reports_from_one_connection(client, personas, settings, mail):
    settings.WAARBORG_INCIDENT_REPORTS_PER_HOUR = 2
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    before = database_snapshot()
    response = _post(client)
    assert response.status_code == 429 and "Te veel meldingen" in response.content.decode()
    assert_nothing_changed(before)
    other = Client(REMOTE_ADDR="192.0.2.99")
    assert _post(other).status_code == 302  # another connection is not held up


@pytest.mark.promise("B6")
def test_a_robot_filling_the_hidden_field_gets_the_same_answer_and_nothing_is_kept(client, personas):
    before = database_snapshot()
    response = _post(client, website="https://spam.example")
    assert response.status_code == 302 and response["Location"] == "/misbruik-melden/ontvangen/"
    assert_nothing_changed(before)


@pytest.mark.promise("B6")
def test_the_privacy_statement_links_the_report_form_from_its_security_section(client, db):
    body = client.get("/privacy/").content.decode()
    security = body[body.index('id="security"') : body.index('id="complaints"')]
    assert 'href="/misbruik-melden/"' in security
