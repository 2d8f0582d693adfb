"""Was a privacy request answered in time? Pure judgments of one request's dates (G9, X5).

What the month overview and the queue report is the provider's proof that requests are answered
in time (GDPR art. 5(2), 12(3)), so every judgment is made from what was recorded, at the answer:

- answered: the day the answer or the refusal was sent (`PrivacyRequest.answered_at`, the
  Amsterdam date). Closing is not the answer; nothing here reads `closed_at`.
- first response: the answer, the refusal or the notice of extension, whichever went first.
- promise date: received + 28 days (G9), moved on by the days the request waited on the
  requester — the identity check, from `paused_since` until it was verified — but never past
  the legal due date, which does not pause: we never promise later than the law allows. The
  days are counted up to the day judged, so a wait that starts after the promise ran out
  cannot mend it.
- legal term: the legal due date; with an extension whose notice went out on or before it, the
  extended due date (art. 12(3)). The legal term never pauses.
- target: the date staff work to: the extended date once extended in time, else the promise date.

Judged on a day (`today`; an answer or notice dated later does not count yet):

- overdue: not answered, and the day is after the target. An answered request is never overdue.
- late: answered after the legal term; or not answered and the day is after it.
- within_promise: the first response on or before the promise date — None while it can still be.
- within_legal: the answer or refusal within the legal term — None while it can still be.

A request closed because its requester never confirmed it (`unconfirmed`, waarborg.privacy.
unconfirmed) lapsed: from the day it closed it is neither overdue nor late, and within_promise
and within_legal stay None — it was never a request to answer. It is closed long before any
term runs out.

Nothing here reads the clock or the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from waarborg.privacy.deadlines import day_number, received_date

ONE_DAY = dt.timedelta(days=1)
UNCONFIRMED = "unconfirmed"  # PrivacyRequest.Status.UNCONFIRMED (nothing here imports the models)


@dataclass(frozen=True)
class Facts:
    """The dates a request records, as Amsterdam calendar dates."""

    received: dt.date
    promise_due: dt.date
    legal_due: dt.date
    extended_due: dt.date | None = None
    extension_sent: dt.date | None = None
    pause_start: dt.date | None = None  # the first day the request waited on the requester
    pause_end: dt.date | None = None  # the day the wait ended; None while it lasts (or none)
    answered: dt.date | None = None
    lapsed: dt.date | None = None  # closed because the requester never confirmed it


def _date(moment) -> dt.date | None:
    return None if moment is None else received_date(moment)


def facts_of(request) -> Facts:
    """The facts of a `PrivacyRequest`.

    A request waits on the requester once: from the identity check being sent (`paused_since`)
    until it is verified, refused or answered (`paused_days` then holds the days waited). A
    verified request cannot be sent a new check, so the wait ended on the day of `verified_at`,
    or — refused or answered while waiting — on the day of the answer.
    """
    start = end = None
    if request.paused_since is not None:
        start = _date(request.paused_since) - dt.timedelta(days=request.paused_days)
    elif request.paused_days:
        ended = _date(request.verified_at or request.answered_at or request.closed_at)
        waited = dt.timedelta(days=request.paused_days)
        end = ended if ended is not None else received_date(request.received_at) + waited
        start = end - waited
    return Facts(
        received=received_date(request.received_at),
        promise_due=request.promise_due,
        legal_due=request.legal_due,
        extended_due=request.extended_due,
        extension_sent=_date(request.extension_notice_sent_at) if request.extended_due else None,
        pause_start=start,
        pause_end=end,
        answered=_date(request.answered_at),
        lapsed=_date(request.closed_at) if request.status == UNCONFIRMED else None,
    )


# --- The dates, as they stand on a day ----------------------------------------------------------


def lapsed_by(facts: Facts, day: dt.date) -> bool:
    """Closed unconfirmed on or before `day`: from then on it is judged neither overdue nor late."""
    return facts.lapsed is not None and facts.lapsed <= day


def answered_by(facts: Facts, day: dt.date) -> dt.date | None:
    """The day of the answer, when it was sent on or before `day`."""
    return facts.answered if facts.answered is not None and facts.answered <= day else None


def paused_days(facts: Facts, day: dt.date) -> int:
    """The days the request had waited on the requester by `day` (the day itself not counted)."""
    if facts.pause_start is None:
        return 0
    end = day if facts.pause_end is None else min(day, facts.pause_end)
    return max((end - facts.pause_start).days, 0)


def promise_date(facts: Facts, day: dt.date) -> dt.date:
    """The promised date as it stands on `day`: received + 28 days + the days waited so far, at
    the latest the legal due date."""
    return min(facts.promise_due + dt.timedelta(days=paused_days(facts, day)), facts.legal_due)


def extended_in_time(facts: Facts, day: dt.date) -> bool:
    """Extended, with the notice sent on or before the legal due date (and on or before `day`)."""
    sent = facts.extension_sent
    return facts.extended_due is not None and sent is not None and sent <= facts.legal_due and sent <= day


def legal_term(facts: Facts, day: dt.date) -> dt.date:
    """The last day of the legal term as it stands on `day`."""
    return facts.extended_due if extended_in_time(facts, day) else facts.legal_due


def target(facts: Facts, day: dt.date) -> dt.date:
    """The date staff work to on `day`: the extended date once extended in time, else the promise."""
    return facts.extended_due if extended_in_time(facts, day) else promise_date(facts, day)


def first_response(facts: Facts, day: dt.date) -> dt.date | None:
    """The first of the answer, the refusal and the notice of extension sent by `day`."""
    sent = [d for d in (facts.answered, facts.extension_sent) if d is not None and d <= day]
    return min(sent) if sent else None


def is_overdue(facts: Facts, day: dt.date) -> bool:
    """Not answered by `day`, and `day` is after the target (never once lapsed)."""
    return answered_by(facts, day) is None and not lapsed_by(facts, day) and day > target(facts, day)


def is_late(facts: Facts, day: dt.date) -> bool:
    """Answered after the legal term, or — not answered by `day` — `day` is after it."""
    answered = answered_by(facts, day)
    if answered is not None:
        return answered > legal_term(facts, answered)
    return not lapsed_by(facts, day) and day > legal_term(facts, day)


def within_promise(facts: Facts, day: dt.date) -> bool | None:
    """The first response on or before the promise date; None while that can still happen."""
    response = first_response(facts, day)
    if response is not None:
        return response <= promise_date(facts, response)
    if lapsed_by(facts, day):
        return None
    return False if day > promise_date(facts, day) else None


def within_legal(facts: Facts, day: dt.date) -> bool | None:
    """The answer or refusal within the legal term; None while that can still happen."""
    answered = answered_by(facts, day)
    if answered is not None:
        return answered <= legal_term(facts, answered)
    if lapsed_by(facts, day):
        return None
    return False if day > legal_term(facts, day) else None


def overdue_between(facts: Facts, first: dt.date, last: dt.date) -> bool:
    """Was the request overdue on any day from `first` to `last` (both included)?"""
    day = max(first, facts.received)
    if facts.answered is not None:
        last = min(last, facts.answered - ONE_DAY)
    if facts.lapsed is not None:
        last = min(last, facts.lapsed - ONE_DAY)
    while day <= last:
        if is_overdue(facts, day):
            return True
        day += ONE_DAY
    return False


# --- All of it at once --------------------------------------------------------------------------


@dataclass(frozen=True)
class Judgment:
    facts: Facts
    day: int  # days since receipt: until `today`, or until the answer (or the lapse) once answered
    answered: dt.date | None
    first_response: dt.date | None
    paused_days: int
    promise_date: dt.date  # the promise, moved on by the days waited
    due: dt.date  # the legal term
    target: dt.date
    overdue: bool
    late: bool
    within_promise: bool | None
    within_legal: bool | None


def judge(facts: Facts, today: dt.date) -> Judgment:
    answered = answered_by(facts, today)
    as_of = answered or (facts.lapsed if lapsed_by(facts, today) else today)
    return Judgment(
        facts=facts,
        day=day_number(facts.received, as_of),
        answered=answered,
        first_response=first_response(facts, today),
        paused_days=paused_days(facts, as_of),
        promise_date=promise_date(facts, as_of),
        due=legal_term(facts, as_of),
        target=target(facts, as_of),
        overdue=is_overdue(facts, today),
        late=is_late(facts, today),
        within_promise=within_promise(facts, today),
        within_legal=within_legal(facts, today),
    )
