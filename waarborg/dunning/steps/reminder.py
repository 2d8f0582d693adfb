"""The payment reminder: a notice of what is overdue, and nothing more."""

from __future__ import annotations

import datetime as dt

from waarborg.dunning.steps import StepResult


def take(case, version, invoices, *, day: dt.date, key: str, agreement=None) -> StepResult:
    """Send the reminder; the next step waits until it has gone out."""
    return StepResult("reminder_sent", {}, True)
