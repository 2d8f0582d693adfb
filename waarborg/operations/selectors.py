"""The latest daily run and audit-chain check."""

from __future__ import annotations

from waarborg.core import roles
from waarborg.operations.models import AuditCheck, DailyRun


def last_daily_run(*, finished: bool = True) -> DailyRun | None:
    runs = DailyRun.objects.all()
    if finished:
        runs = runs.exclude(finished_at=None)
    return runs.order_by("-started_at").first()


def last_audit_check() -> AuditCheck | None:
    return AuditCheck.objects.order_by("-checked_at").first()


def daily_run_list_for(*, viewer):
    """Every daily run, newest first: for the administrator (scope "operations")."""
    roles.require(viewer, "operations")
    return DailyRun.objects.order_by("-started_at", "-pk")
