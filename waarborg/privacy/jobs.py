"""Daily jobs of privacy requests (run by `waarborg daily`; each is safe to repeat)."""

from __future__ import annotations

import datetime as dt

from waarborg.core.daily import daily_job
from waarborg.privacy.deadline_warnings import deadline_warnings_send
from waarborg.privacy.identity import id_documents_destroy_expired
from waarborg.privacy.unconfirmed import unconfirmed_close


@daily_job("privacy-unconfirmed", order=59)
def privacy_unconfirmed(day: dt.date) -> dict[str, int]:
    """Close the public form's requests not confirmed by the 14th day after they were made, with
    a notice to the address given (before the deadline warnings: a closed request gets none)."""
    return unconfirmed_close(day=day)


@daily_job("privacy-deadlines", order=60, outgoing=True)
def privacy_deadline_warnings(day: dt.date) -> dict[str, int]:
    """Day 14 to the handler, day 21 to the team lead, day 26 to the privacy officers, day 28
    and later: overdue — each once per request (G9)."""
    return deadline_warnings_send(day=day)


@daily_job("privacy-id-documents", order=61)
def privacy_id_documents(day: dt.date) -> dict[str, int]:
    """Destroy ID copies 7 days after the upload at the latest (G8)."""
    return {"destroyed": id_documents_destroy_expired(day=day)}
