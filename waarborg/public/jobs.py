"""Daily job of the public pages (run by `waarborg daily`; safe to repeat)."""

from __future__ import annotations

import datetime as dt

from waarborg.core.daily import daily_job
from waarborg.public.services import statement_publish


@daily_job("statement", order=5, outgoing=True)
def statement_versions(day: dt.date) -> dict[str, int]:
    """Keep a new version of the privacy statement when its text changed (K2)."""
    return {"published": 1 if statement_publish() else 0}
