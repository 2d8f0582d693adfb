"""Recording daily runs and audit-chain checks (the facts behind /healthz and the metrics)."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.utils import timezone

from waarborg.core.daily import run_jobs
from waarborg.operations.alerts import mail_administrators
from waarborg.operations.locks import daily_lock
from waarborg.operations.models import AuditCheck, DailyRun


class DailyJobsFailed(Exception):
    """One or more jobs of a recorded run failed (the others ran); `run` is its record."""

    def __init__(self, run: DailyRun):
        self.run = run
        names = ", ".join(f"{job} ({error})" for job, error in sorted(run.failures.items()))
        super().__init__(f"daily run {run.pk} for {run.day.isoformat()} failed: {names}")


def run_daily_recorded(
    day: dt.date,
    *,
    only: list[str] | None = None,
    trigger: str = "command",
    live: bool = False,
    wait: float | None = None,
):
    """Run the daily jobs for `day` under the daily lock and record the run; counts per job.

    Every job runs even when one fails; then DailyJobsFailed is raised (the administrators have
    been mailed). Another run holding the lock longer than `wait` raises locks.DailyRunBusy.
    """
    with daily_lock(wait):
        close_interrupted_runs()
        run = record_daily_run(day, only=only, trigger=trigger, live=live)
    if run.failures:
        raise DailyJobsFailed(run)
    return run.counts


def close_interrupted_runs() -> int:
    """Runs still marked running when the lock is free were interrupted (the process died).

    They stay unfinished (so the scheduler runs their day again) and are marked failed.
    """
    return DailyRun.objects.filter(status=DailyRun.Status.RUNNING).update(
        status=DailyRun.Status.FAILED, failures={"run": "Interrupted"}
    )


def record_daily_run(
    day: dt.date, *, only: list[str] | None = None, trigger: str = "command", live: bool = False
) -> DailyRun:
    """Run the jobs for `day` and record start, end, counts and failures per job.

    The caller holds the daily lock. A failed run mails the administrators.
    """
    run = DailyRun.objects.create(
        day=day,
        trigger=trigger,
        started_at=timezone.now(),
        partial=bool(only),
        host=socket.gethostname()[:100],
        pid=os.getpid(),
    )
    try:
        result = run_jobs(day, only=only, live=live)
    except Exception as exc:
        run.status = DailyRun.Status.FAILED
        run.failures = {"run": type(exc).__name__}
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "failures", "finished_at"])
        mail_administrators(run)
        raise
    run.counts = result.counts
    run.failures = {job: type(exc).__name__ for job, exc in result.failures.items()}
    run.status = DailyRun.Status.FAILED if run.failures else DailyRun.Status.OK
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "counts", "failures", "finished_at"])
    if run.failures:
        mail_administrators(run)
    return run


def record_audit_check(result) -> AuditCheck:
    """Store the outcome of `audit_verify()` so that health checks need not walk the chain."""
    return AuditCheck.objects.create(
        checked_at=timezone.now(),
        ok=result.ok,
        events=result.checked,
        problem=(result.problem or "")[:200],
    )
