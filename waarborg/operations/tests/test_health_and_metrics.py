"""/healthz and /metrics (B4): what an operator watches, without personal data."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from waarborg.core.actors import SYSTEM
from waarborg.dunning.models import Case, Decision, LadderVersion, Notice, ProvisioningMessage
from waarborg.incidents.intake import incident_register
from waarborg.operations import health
from waarborg.operations.models import AuditCheck, DailyRun
from waarborg.privacy.intake import privacy_request_create
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged
from waarborg.testing.factories import CustomerFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db
TOKEN = "m" * 40
AMS = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(autouse=True)
def fresh_migration_check():
    health._migrations.forget()
    yield
    health._migrations.forget()


def _healthz(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def _run(finished_at, status=DailyRun.Status.OK):
    return DailyRun.objects.create(
        day=finished_at.date(),
        started_at=finished_at - dt.timedelta(seconds=42),
        finished_at=finished_at,
        status=status,
    )


def _audit(ok=True):
    return AuditCheck.objects.create(checked_at=timezone.now(), ok=ok, events=10, problem="" if ok else "event #3 x")


@pytest.mark.promise("B4")
def test_a_fresh_installation_is_not_healthy_until_the_daily_run_and_the_audit_check_ran(client):
    response, body = _healthz(client)
    assert response.status_code == 503
    assert body["status"] == "failing"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert body["checks"]["daily_run"]["ok"] is False and body["checks"]["daily_run"]["last_finished_at"] is None
    assert body["checks"]["audit_chain"]["ok"] is False
    assert not response.cookies

    call_command("daily", "--only", "retention", stdout=StringIO())
    call_command("audit", "verify", stdout=StringIO())
    response, body = _healthz(client)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["daily_run"]["result"] == "ok"
    assert body["checks"]["audit_chain"]["ok"] is True


@pytest.mark.promise("B4")
def test_a_daily_run_older_than_26_hours_makes_it_unhealthy(client):
    _audit()
    finished = timezone.now()
    _run(finished)
    with time_machine.travel(finished + dt.timedelta(hours=25, minutes=59), tick=False):
        assert client.get("/healthz").status_code == 200
    with time_machine.travel(finished + dt.timedelta(hours=26, minutes=1), tick=False):
        response, body = _healthz(client)
    assert response.status_code == 503
    assert body["checks"]["daily_run"]["ok"] is False
    assert body["checks"]["daily_run"]["age_hours"] > 26
    assert body["checks"]["audit_chain"]["ok"] is True


@pytest.mark.promise("B4")
def test_a_failed_daily_run_or_a_broken_audit_chain_makes_it_unhealthy(client):
    _audit()
    _run(timezone.now() - dt.timedelta(hours=1))
    assert client.get("/healthz").status_code == 200
    _run(timezone.now(), status=DailyRun.Status.FAILED)
    response, body = _healthz(client)
    assert response.status_code == 503 and body["checks"]["daily_run"]["result"] == "failed"

    DailyRun.objects.all().delete()
    _run(timezone.now())
    _audit(ok=False)  # the stored result counts, the chain is not walked per call
    response, body = _healthz(client)
    assert response.status_code == 503
    assert body["checks"]["audit_chain"]["ok"] is False
    assert "problem" not in json.dumps(body)


@pytest.mark.promise("B4")
def test_migrations_not_applied_make_it_unhealthy(client, monkeypatch):
    _audit()
    _run(timezone.now())
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)] * 2)
    response, body = _healthz(client)
    assert response.status_code == 503
    assert body["checks"]["migrations"] == {"ok": False, "unapplied": 2}


def test_only_get_is_answered(client):
    with unchanged():
        assert client.post("/healthz").status_code == 405


# --- /metrics -------------------------------------------------------------------------------


@pytest.mark.promise("B4")
def test_metrics_need_the_token(client, settings, caplog):
    before = database_snapshot()
    settings.WAARBORG_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404  # off
    settings.WAARBORG_METRICS_TOKEN = TOKEN
    for header in ({}, {"HTTP_AUTHORIZATION": "Bearer " + "x" * 40}, {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"}):
        response = client.get("/metrics", **header)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert b"waarborg_" not in response.content
    assert_nothing_changed(before)
    assert TOKEN not in caplog.text and "x" * 40 not in caplog.text
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def _value(text: str, name: str, labels: str = "") -> float:
    pattern = "^" + re.escape(name) + (re.escape("{" + labels + "}") if labels else "") + r" (\S+)$"
    match = re.search(pattern, text, re.M)
    assert match, f"{name}{{{labels}}} not in the metrics"
    return float(match.group(1))


def _case(customer, version, *, next_index, status=Case.Status.OPEN):
    return Case.objects.create(
        customer=customer,
        ladder_version=version,
        status=status,
        opened_on=dt.date(2026, 3, 1),
        anchor_date=dt.date(2026, 2, 20),
        next_index=next_index,
    )


def _notice(case, n, *, attempts=0, status=Notice.Status.QUEUED):
    now = timezone.now()
    decision = Decision.objects.create(
        case=case,
        customer=case.customer,
        ladder_version=case.ladder_version,
        kind="reminder",
        rule="test",
        outcome="taken",
        decided_on=now.date(),
        decided_at=now,
        key=f"test-{n}",
    )
    return Notice.objects.create(
        case=case,
        customer=case.customer,
        decision=decision,
        kind="reminder",
        status=status,
        attempts=attempts,
        next_attempt_at=now,
        created_at=now,
        key=f"test-{n}",
    )


@pytest.mark.promise("B4")
def test_metrics_count_what_an_operator_must_act_on_and_name_nobody(client, settings, alice):
    settings.WAARBORG_METRICS_TOKEN = TOKEN
    # Two privacy requests by post. Received Monday 2 March 2026: legal term one month, due
    # Thursday 2 April. Received Friday 20 March: due Monday 20 April.
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=AMS), tick=False):
        for day, kind in (("2026-03-02", "access"), ("2026-03-20", "portability")):
            privacy_request_create(actor=SYSTEM, type=kind, channel="post", received_at=day, email=alice.contact.email)
    # Dunning: the business ladder's steps are reminder, reminder, final_notice, … (data of the
    # migration); a case at next_index 1 took the first reminder, one at 3 the final notice.
    business = LadderVersion.objects.get(ladder__key="business")
    kinds = [step["kind"] for step in business.steps]
    first, second, third = (CustomerFactory() for _ in range(3))
    case_a = _case(first, business, next_index=1)
    _case(second, business, next_index=3)
    _case(third, business, next_index=0, status=Case.Status.CLOSED)  # closed: not counted
    _notice(case_a, 1)
    _notice(case_a, 2, attempts=2)
    _notice(case_a, 3, status=Notice.Status.UNDELIVERABLE)
    subscription = SubscriptionFactory(customer=first)
    for n, (attempts, status) in enumerate([(0, "pending"), (3, "pending"), (1, "delivered")]):
        ProvisioningMessage.objects.create(
            key=f"k{n}",
            action="block",
            subscription=subscription,
            customer=first,
            payload={},
            status=status,
            attempts=attempts,
            next_attempt_at=timezone.now(),
            created_at=timezone.now(),
        )
    # An incident the staff learnt of 30 hours before "now": 42 of its 72 hours left.
    now = dt.datetime(2026, 4, 10, 12, tzinfo=AMS)
    with time_machine.travel(now - dt.timedelta(hours=30), tick=False):
        incident = incident_register(actor=SYSTEM, description="Laptop kwijt in de trein")
    finished = now - dt.timedelta(hours=3)
    DailyRun.objects.create(
        day=finished.date(),
        started_at=finished - dt.timedelta(seconds=90),
        finished_at=finished,
        status=DailyRun.Status.OK,
    )

    with time_machine.travel(now, tick=False):
        client.get("/privacy/")
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()

    # On Friday 10 April: the first is 8 days past its due date (overdue: day 39 ≥ 28; late), the
    # second has 10 days left (day 21: neither).
    assert _value(text, "waarborg_privacy_requests_open", 'days_left="past"') == 1
    assert _value(text, "waarborg_privacy_requests_open", 'days_left="8-14"') == 1
    assert _value(text, "waarborg_privacy_requests_open", 'days_left="29+"') == 0
    assert _value(text, "waarborg_privacy_requests_overdue") == 1
    assert _value(text, "waarborg_privacy_requests_late") == 1
    assert _value(text, "waarborg_dunning_cases", f'step="{kinds[0]}"') == 1
    assert _value(text, "waarborg_dunning_cases", f'step="{kinds[2]}"') == 1
    assert 'waarborg_dunning_cases{step="none"}' not in text
    assert _value(text, "waarborg_notices_queued") == 2
    assert _value(text, "waarborg_notices_failing") == 1
    assert _value(text, "waarborg_notices_undeliverable") == 1
    assert _value(text, "waarborg_webhook_messages_pending") == 2
    assert _value(text, "waarborg_webhook_messages_failing") == 1
    assert _value(text, "waarborg_daily_run_last_ok") == 1
    assert _value(text, "waarborg_daily_run_last_duration_seconds") == 90
    assert _value(text, "waarborg_daily_run_last_finished_timestamp_seconds") == finished.timestamp()
    assert _value(text, "waarborg_incidents_open") == 1
    assert _value(text, "waarborg_incident_hours_left", f'incident="{incident.number}"') == 42
    assert _value(text, "waarborg_http_request_duration_seconds_count", 'method="GET",view="public:privacy"') >= 1
    # no personal data: no e-mail address, no name, no customer name or number, no description
    for value in (alice.contact.email, alice.contact.last_name, "Laptop", first.name, first.number, "@"):
        assert value not in text
