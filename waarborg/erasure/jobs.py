"""The daily erasure job: run the cases that wait (termination, holds), retry stored files that
could not be deleted, and write ledger entries still missing from the ledger file."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from waarborg.core.daily import daily_job
from waarborg.erasure.cases import erasure_cases_run
from waarborg.erasure.hygiene import files_retry, forget, vacuum_due
from waarborg.erasure.ledger import ledger_export

# After the retention sweep (which opens the cases of ended relationships).
ORDER = 810


@daily_job("erasure", order=ORDER)
def erasure_daily(day: dt.date) -> dict[str, int]:
    counts = erasure_cases_run(day)
    counts.update(files_retry())
    counts["ledger_written"] = ledger_export()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        forget([])
    counts["tables_vacuumed"] = vacuum_due()
    return counts
