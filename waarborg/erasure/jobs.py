"""The daily erasure job: run the cases that wait (termination, holds), retry stored files that
could not be deleted, and write ledger entries still missing from the ledger file."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from waarborg.core.daily import daily_job
from waarborg.erasure.ledger import ledger_export

# After the retention sweep (which opens the cases of ended relationships).
ORDER = 810


@daily_job("erasure", order=ORDER)
def erasure_daily(day: dt.date) -> dict[str, int]:
    from waarborg.erasure import services

    counts = services.erasure_cases_run(day)
    counts.update(services.files_retry())
    counts["ledger_written"] = ledger_export()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        services.forget([])
    counts["tables_vacuumed"] = services.vacuum_due()
    return counts
