"""The latest daily run and audit-chain check."""

from __future__ import annotations

from waarborg.operations.models import AuditCheck, DailyRun


def last_daily_run(*, finished: bool = True) -> DailyRun | None:
    runs = DailyRun.objects.all()
    if finished:
        runs = runs.exclude(finished_at=None)
    return runs.order_by("-started_at").first()


def last_audit_check() -> AuditCheck | None:
    return AuditCheck.objects.order_by("-checked_at").first()
