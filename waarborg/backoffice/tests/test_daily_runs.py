"""The administrator's page of daily runs (/backoffice/beheer/runs/): newest first, counts and
failures per job; for the admin role only (B2)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waarborg.operations.models import DailyRun
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

URL = "/backoffice/beheer/runs/"


def _runs():
    now = timezone.now()
    old = DailyRun.objects.create(
        day=dt.date(2026, 3, 1),
        trigger="scheduler",
        started_at=now - dt.timedelta(days=1),
        finished_at=now - dt.timedelta(days=1) + dt.timedelta(seconds=42),
        status=DailyRun.Status.OK,
        counts={"dunning": {"reminder": 3, "opened": 0}, "retention": {"login_6m": 0}},
        host="app1",
        pid=321,
    )
    new = DailyRun.objects.create(
        day=dt.date(2026, 3, 2),
        trigger="command",
        started_at=now,
        finished_at=now + dt.timedelta(seconds=5),
        status=DailyRun.Status.FAILED,
        counts={"dunning": {"wik_letter": 1}},
        failures={"retention": "OperationalError"},
    )
    return old, new


def test_the_url_is_the_documented_one():
    assert reverse("backoffice:operations") == URL


@pytest.mark.promise("B2")
def test_the_administrator_sees_every_run_newest_first_with_counts_and_failures(office, personas):
    old, new = _runs()
    response = office(personas.frank).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index(f'data-run="{new.pk}"') < body.index(f'data-run="{old.pk}"')
    row = body[body.index(f'data-run="{new.pk}"') : body.index(f'data-run="{old.pk}"')]
    assert 'data-status="failed"' in row and "2026-03-02" in row
    assert "<code>retention</code> (OperationalError)" in row and "wik_letter=1" in row
    old_row = body[body.index(f'data-run="{old.pk}"') :]
    assert "reminder=3" in old_row and "opened=0" not in old_row and "app1, pid 321" in old_row
    assert "42,0 s" in old_row and "mislukt" in row  # Dutch first
    landing = office(personas.frank).get(reverse("web:backoffice")).content.decode()
    assert f'href="{URL}"' in landing


@pytest.mark.promise("B2")
@pytest.mark.parametrize("role", ["support", "finance", "privacy"])
def test_other_staff_roles_are_refused(office, personas, role):
    _runs()
    client = office(personas.by_role()[role])
    with unchanged():
        response = client.get(URL)
    assert response.status_code == 403
    assert f'href="{URL}"' not in office(personas.by_role()[role]).get(reverse("web:backoffice")).content.decode()


def test_a_customer_or_a_visitor_cannot_open_it(client, office, personas):
    with unchanged():
        assert client.get(URL).status_code == 302  # to the sign-in page
    alice = office(personas.alice)
    with unchanged():
        assert alice.get(URL).status_code in (302, 403)
