"""Is this installation healthy? Four facts, each cheap enough to ask every few seconds.

- the database answers;
- every migration is applied (the code and the tables agree);
- the last daily run finished without failure less than 26 hours ago;
- the last check of the audit trail's hash chain passed — its stored result
  (`waarborg audit verify`, or the scheduler), not a walk of the chain on every call.

The report holds states, times and counts only: no personal data, no ids of people.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from waarborg.operations.selectors import last_audit_check, last_daily_run

RECHECK_SECONDS = 30  # while migrations are missing, look again at most this often


@dataclass
class Report:
    checks: dict[str, dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(check["ok"] for check in self.checks.values())

    def as_json(self) -> dict:
        return {"status": "ok" if self.ok else "failing", "checks": self.checks}


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds") if moment else None


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


class _Migrations:
    """Once every migration is applied it stays so for the life of the process (new migrations
    come with new code, and new code with a restart); until then it is looked at again."""

    applied = False
    checked_at = 0.0
    missing = 0

    def check(self) -> dict:
        due = not self.checked_at or (not self.applied and time.monotonic() - self.checked_at >= RECHECK_SECONDS)
        if due:
            executor = MigrationExecutor(connection)
            self.missing = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
            self.applied = self.missing == 0
            self.checked_at = time.monotonic()
        return {"ok": self.applied, "unapplied": self.missing}

    def forget(self) -> None:
        self.applied, self.checked_at, self.missing = False, 0.0, 0


_migrations = _Migrations()


def check_migrations() -> dict:
    try:
        return _migrations.check()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}


def check_daily_run(now: dt.datetime) -> dict:
    limit = dt.timedelta(hours=settings.WAARBORG_DAILY_RUN_MAX_AGE_HOURS)
    run = last_daily_run(finished=True)
    if run is None:
        return {"ok": False, "last_finished_at": None, "result": None, "max_age_hours": limit.total_seconds() / 3600}
    age = now - run.finished_at
    return {
        "ok": run.status == run.Status.OK and age < limit,
        "last_finished_at": _iso(run.finished_at),
        "age_hours": round(age.total_seconds() / 3600, 2),
        "max_age_hours": limit.total_seconds() / 3600,
        "result": run.status,
        "day": run.day.isoformat(),
    }


def check_audit_chain() -> dict:
    check = last_audit_check()
    if check is None:
        return {"ok": False, "last_checked_at": None}
    return {"ok": check.ok, "last_checked_at": _iso(check.checked_at), "events": check.events}


def health_report(now: dt.datetime | None = None) -> Report:
    report = Report()
    report.checks["database"] = check_database()
    if not report.checks["database"]["ok"]:
        for name in ("migrations", "daily_run", "audit_chain"):
            report.checks[name] = {"ok": False, "error": "database unavailable"}
        return report
    report.checks["migrations"] = check_migrations()
    try:
        report.checks["daily_run"] = check_daily_run(now or timezone.now())
        report.checks["audit_chain"] = check_audit_chain()
    except DatabaseError as exc:  # the tables are missing: migrations not applied
        report.checks.setdefault("daily_run", {"ok": False, "error": type(exc).__name__})
        report.checks.setdefault("audit_chain", {"ok": False, "error": type(exc).__name__})
    return report
