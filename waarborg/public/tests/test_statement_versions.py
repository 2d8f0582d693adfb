"""The newest statement is always shown; earlier versions are kept with their dates (K2)."""

import datetime as dt

import pytest
from django.core.management import call_command

from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.public.models import StatementVersion
from waarborg.public.services import statement_publish
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


def _moment(y, m, d):
    return dt.datetime(y, m, d, 9, 0, tzinfo=clock.AMSTERDAM)


@pytest.mark.promise("K2")
def test_it_keeps_a_version_only_when_the_text_changes(settings):
    with clock.as_of(_moment(2025, 1, 6)):
        first = statement_publish()
        assert first is not None and first.version == "2025-01"
        assert statement_publish() is None  # nothing changed: nothing kept twice
    settings.WAARBORG_POLICY_VERSION = "2026-07"
    with clock.as_of(_moment(2026, 7, 1)):
        second = statement_publish()
    assert second is not None and second.version == "2026-07"
    assert "2026-07" in second.html_nl and "2025-01" in first.html_nl
    assert StatementVersion.objects.count() == 2
    assert AuditEvent.objects.filter(action="statement.publish").count() == 2


@pytest.mark.promise("K2")
def test_the_daily_run_keeps_the_statement_in_force(settings):
    assert run_daily(dt.date(2026, 3, 2), only=["statement"])["statement"] == {"published": 1}
    assert run_daily(dt.date(2026, 3, 3), only=["statement"])["statement"] == {"published": 0}


@pytest.mark.promise("K2", "K1")
def test_it_shows_the_newest_and_lists_the_earlier_ones_with_their_dates(client, settings):
    with clock.as_of(_moment(2025, 1, 6)):
        old = statement_publish()
    settings.WAARBORG_POLICY_VERSION = "2026-07"
    with clock.as_of(_moment(2026, 7, 1)):
        new = statement_publish()

    page = client.get("/privacy/").content.decode()
    assert "Versie 2026-07" in page and "Van kracht sinds 1 juli 2026" in page
    assert 'href="/privacy/versies/"' in page

    listing = client.get("/privacy/versies/").content.decode()
    assert f'href="/privacy/versies/{old.pk}/"' in listing and f'href="/privacy/versies/{new.pk}/"' in listing
    assert "6 januari 2025" in listing and "1 juli 2026" in listing
    assert listing.index("2026-07") < listing.index("2025-01")  # newest first

    archived = client.get(f"/privacy/versies/{old.pk}/").content.decode()
    assert "Versie 2025-01" in archived and "niet meer" in archived
    english = client.get(f"/privacy/versies/{old.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200


def test_it_answers_404_for_an_unknown_version(client):
    with unchanged():
        assert client.get("/privacy/versies/999/").status_code == 404


def test_the_demo_keeps_the_statement_in_force(settings, tmp_path):
    import io

    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    call_command("demo", "--no-serve", stdout=io.StringIO())
    assert StatementVersion.objects.count() == 1
