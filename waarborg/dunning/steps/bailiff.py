"""The bailiff hand-off: never automatic. The step asks a named employee's approval; approving
it hands the case file to a registered bailiff (dunning.approvals, dunning.casefile)."""

from __future__ import annotations

import datetime as dt

from waarborg.dunning.models import Approval
from waarborg.dunning.steps import StepResult, ask_approval


def take(case, version, invoices, *, day: dt.date, key: str, agreement=None) -> StepResult:
    """The case waits for an approval of the hand-off; no notice yet."""
    return StepResult("approval_requested", {}, None, ask_approval(case, Approval.Kind.BAILIFF, day))
