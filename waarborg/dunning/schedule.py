"""The schedule: the day a case's next step is due.

A step is never skipped and never compressed: the ladder counts its days from the oldest unpaid
due date (plus the days the case was paused), the time between two steps is never shorter than
the ladder says counted from the day the previous notice really went out, nothing follows a
fourteen-day letter before its term has run, and a cancellation waits out the silence period
after the last notice.
"""

from __future__ import annotations

import datetime as dt

from waarborg.dunning import ladders as L
from waarborg.dunning.models import Case, LadderVersion


def planned_on(case: Case, version: LadderVersion, index: int) -> dt.date:
    """The day the ladder puts step `index` on, counted from the anchor (plus pauses)."""
    return case.anchor_date + dt.timedelta(days=version.steps[index]["day"] + case.shift_days)


def plan_next(case: Case, version: LadderVersion, *, effective_on: dt.date | None = None) -> dt.date | None:
    """The earliest day the next step may be taken.

    The later of: the ladder's day (from the anchor, plus the days the case was paused); the
    day the previous step took effect plus the ladder's gap between the two (a late notice moves
    the following steps, a step is never compressed); once the fourteen-day letter went out (by
    e-mail, or posted), the first day after its term, when collection costs are due; for a
    cancellation, the silence period after the last notice.
    """
    steps = version.steps
    index = case.next_index
    if index >= len(steps):
        return None
    candidates = [planned_on(case, version, index)]
    last = effective_on or case.last_effective_on
    if index > 0 and last is not None:
        candidates.append(last + dt.timedelta(days=steps[index]["day"] - steps[index - 1]["day"]))
    kind = steps[index]["kind"]
    if case.costs_from is not None:
        # The fourteen-day letter went out: nothing after it before its term has run.
        candidates.append(case.costs_from)
    if kind == L.CANCEL and case.last_notice_on is not None:
        candidates.append(case.last_notice_on + dt.timedelta(days=version.settings["cancel_silence_days"]))
    return max(candidates)
