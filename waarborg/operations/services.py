"""Recording daily runs and audit-chain checks (the facts behind /healthz and the metrics)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from waarborg.core.daily import run_daily
from waarborg.operations.models import AuditCheck, DailyRun


def run_daily_recorded(day: dt.date, *, only: list[str] | None = None, trigger: str = "command"):
    """Run the daily jobs for `day` and record the run: started, finished, counts, failure."""
    run = DailyRun.objects.create(day=day, trigger=trigger, started_at=timezone.now())
    try:
        results = run_daily(day, only=only)
    except Exception as exc:
        run.status = DailyRun.Status.FAILED
        run.failures = {"run": type(exc).__name__}
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "failures", "finished_at"])
        raise
    run.status = DailyRun.Status.OK
    run.counts = results
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "counts", "finished_at"])
    return results


def record_audit_check(result) -> AuditCheck:
    """Store the outcome of `audit_verify()` so that health checks need not walk the chain."""
    return AuditCheck.objects.create(
        checked_at=timezone.now(),
        ok=result.ok,
        events=result.checked,
        problem=(result.problem or "")[:200],
    )
