"""Every daily run and every audit-chain check leaves a record an operator can watch."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from waarborg.audit.models import AuditHead
from waarborg.audit.services import audit_record
from waarborg.core import daily
from waarborg.core.actors import System
from waarborg.operations.models import AuditCheck, DailyRun
from waarborg.operations.selectors import last_audit_check, last_daily_run

pytestmark = pytest.mark.django_db


def test_daily_command_records_the_run_with_its_counts():
    call_command("daily", "--as-of", "2026-03-02", "--only", "retention", stdout=StringIO())
    run = last_daily_run()
    assert run is not None
    assert run.day == dt.date(2026, 3, 2)
    assert run.status == DailyRun.Status.OK
    assert set(run.counts) == {"retention"}
    assert run.finished_at >= run.started_at
    assert run.duration_seconds >= 0


def test_a_failing_run_is_recorded_as_failed(monkeypatch):
    def broken(day):
        raise RuntimeError("boom")

    monkeypatch.setitem(daily._JOBS, "broken-test-job", daily.DailyJob("broken-test-job", 0, broken))
    with pytest.raises(CommandError) as failed:
        call_command("daily", "--as-of", "2026-03-02", "--only", "broken-test-job", stdout=StringIO())
    assert failed.value.returncode == 1
    run = DailyRun.objects.get()
    assert run.status == DailyRun.Status.FAILED
    assert run.failures == {"broken-test-job": "RuntimeError"}
    assert run.partial is True
    assert run.finished_at is not None
    assert last_daily_run().pk == run.pk


def test_audit_verify_stores_its_result_intact_and_broken():
    call_command("audit", "verify", stdout=StringIO())
    check = last_audit_check()
    assert check.ok is True
    assert check.problem == ""

    with transaction.atomic():
        audit_record(actor=System("system:test"), action="test.event", object_type="x", object_ids=["1"])
    AuditHead.objects.filter(pk=1).update(hash="f" * 64)
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=StringIO())
    latest = last_audit_check()
    assert latest.ok is False
    assert "event #" in latest.problem
    assert AuditCheck.objects.count() == 2
