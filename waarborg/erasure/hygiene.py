"""Hygiene after an erasure: what else held the erased data, and the database letting go of it.

- `derived_copy_cleaner` — register a function that drops derived copies of a subject's data
  (caches here; the app that makes other copies registers their cleaner in its
  `AppConfig.ready`, as privacy does for the packages made for a subject's requests);
  `derived_copies_clean` runs them all for a plan;
- `forget` — the database lets go of erased values (SQLite: WAL checkpoint; PostgreSQL: VACUUM,
  now or, with WAARBORG_ERASURE_VACUUM=daily, by the daily job through `vacuum_due`);
- `files_retry` — the daily job's retry of stored files that would not go, closing the cases
  they were all that held back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from waarborg.core import clock
from waarborg.erasure import ops
from waarborg.erasure.models import ErasureCase, VacuumDue
from waarborg.erasure.plan import ErasurePlan

log = logging.getLogger(__name__)

# --- Derived copies ---------------------------------------------------------------------------

DerivedCleaner = Callable[[ErasurePlan], int]
_DERIVED: dict[str, DerivedCleaner] = {}


def derived_copy_cleaner(name: str):
    """Register a function that drops derived copies of a subject's data (a stored export
    package, a search index…); it gets the plan and returns how many copies it removed."""

    def register(func: DerivedCleaner) -> DerivedCleaner:
        _DERIVED[name] = func
        return func

    return register


def registered_cleaners() -> dict[str, DerivedCleaner]:
    """Every registered cleaner by its name."""
    return dict(_DERIVED)


def derived_copies_clean(plan: ErasurePlan) -> dict[str, int]:
    """Run every cleaner for the plan: copies removed per cleaner, -1 for one that failed (the
    case is then incomplete)."""
    derived = {}
    for name, cleaner in sorted(_DERIVED.items()):
        try:
            derived[name] = cleaner(plan)
        except Exception as exc:  # a cleaner that fails makes the case incomplete
            derived[name] = -1
            log.warning("derived copy cleaner %s failed (%s)", name, type(exc).__name__)
    return derived


@derived_copy_cleaner("caches")
def _clear_caches(plan: ErasurePlan) -> int:
    # A cache holds derived copies by definition; dropping it whole is the only way to be sure.
    for alias in caches:
        caches[alias].clear()
    return len(list(caches))


# --- Forgetting -------------------------------------------------------------------------------


def forget(tables: list[str]) -> dict:
    """Make the database let go of erased values.

    SQLite (secure_delete is on, so freed space is zeroed): checkpoint the write-ahead log into
    the database file and truncate it. PostgreSQL: VACUUM the touched tables, with index
    cleanup, so dead row versions and index entries are removed (see docs/erasure.md for what
    that does not guarantee). Both need to run outside a transaction; inside one they are
    left to the daily job.
    """
    if connection.vendor == "postgresql" and getattr(settings, "WAARBORG_ERASURE_VACUUM", "now") == "daily":
        now = clock.now()
        for table in tables:
            VacuumDue.objects.get_or_create(table=table, defaults={"since": now})
        return {"vacuum": "daily", "tables": len(tables)}
    if connection.in_atomic_block:
        return {"deferred": True}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, frames, done = cursor.fetchone()
            return {"wal_checkpoint": "complete" if not busy else "busy", "frames": done}
        if connection.vendor == "postgresql":
            _vacuum(cursor, tables)
            return {"vacuum": len(tables)}
    return {}


def _vacuum(cursor, tables) -> None:
    qn = connection.ops.quote_name
    for table in tables:
        cursor.execute(f"VACUUM (INDEX_CLEANUP ON) {qn(table)}")


def vacuum_due() -> int:
    """The daily job's VACUUM of every table erasures touched since the last one (PostgreSQL,
    WAARBORG_ERASURE_VACUUM=daily); outside a transaction only."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 0
    due = list(VacuumDue.objects.order_by("table").values_list("pk", "table"))
    if not due:
        return 0
    with connection.cursor() as cursor:
        _vacuum(cursor, [table for _pk, table in due])
    VacuumDue.objects.filter(pk__in=[pk for pk, _table in due]).delete()
    return len(due)


# --- Stored files -----------------------------------------------------------------------------


def files_retry() -> dict[str, int]:
    """Try the pending file deletions again; close the cases they were all that held back."""
    removed, failed = ops.remove_pending_files()
    closed = 0
    waiting = ErasureCase.objects.filter(status=ErasureCase.Status.INCOMPLETE, executed_at__isnull=False)
    for case in waiting.exclude(files__isnull=False):
        scan = case.result.get("scan")
        if isinstance(scan, dict) and scan.get("fail") == 0 and case.result.get("files_failed"):
            data = dict(case.result)
            data["files_failed"] = 0
            scan = dict(scan)
            scan["pending_files"] = 0
            scan["ok"] = True
            data["scan"] = scan
            ErasureCase.objects.filter(pk=case.pk).update(
                status=ErasureCase.Status.COMPLETE, completed_at=clock.now(), result=data
            )
            closed += 1
    return {"files_removed": removed, "files_failed": failed, "cases_closed": closed}
