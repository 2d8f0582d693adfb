"""Due dates of privacy requests (GDPR art. 12(3), Regulation 1182/71): pure functions.

- `promise_due`: the date received (Amsterdam) + 28 days — the statement's promise (G9).
- `legal_due`: one month after receipt: the same day-number in the next month, or the last day
  of that month when it has no such day; a Saturday, Sunday or Dutch public holiday moves it to
  the next working day (art. 3(2)(c) and 3(4) of Regulation 1182/71); the holidays and working
  days come from waarborg.core.holidays.
- `extended_due`: the one-month term "extended by two further months" (art. 12(3)): the end of
  the one-month term — before it is moved to a working day — plus two months by the same rule,
  then moved to the next working day. Received 31 October: one month ends 30 November, two
  further months end 30 January (not 31 January, as three months from receipt would).

The day of receipt itself is not counted (art. 3(1)), which the "same day-number" rule already
expresses. Only public holidays move a term (`is_working_day`), never a day off by decree.
Nothing here reads the clock or the database. Whether a request was answered in time is judged
in `timeliness.py`.
"""

from __future__ import annotations

import datetime as dt

from waarborg.core.datamap import AMSTERDAM, add_term
from waarborg.core.holidays import easter_sunday as easter_sunday
from waarborg.core.holidays import is_working_day as is_working_day
from waarborg.core.holidays import next_working_day, public_holidays

PROMISE_DAYS = 28
RECEIVED_MAX_DAYS = 365  # how far back an API client may date a request
GDPR_APPLIES = dt.date(2018, 5, 25)  # no request under the GDPR was received before this day
LEGAL_MONTHS = 1
MAX_EXTENSION_MONTHS = 2

# Internal warnings, in days after receipt (see jobs.py); from OVERDUE_DAY on a request is overdue.
WARN_HANDLER_DAY = 14
WARN_LEAD_DAY = 21
WARN_PRIVACY_DAY = 26
OVERDUE_DAY = PROMISE_DAYS


def dutch_holidays(year: int) -> dict[dt.date, str]:
    """The Dutch public holidays of `year` that stop a period from ending (date -> Dutch name).

    From waarborg.core.holidays: Bevrijdingsdag counts every year; Koningsdag is 27 April, or
    26 April when the 27th is a Sunday; Easter by the anonymous Gregorian algorithm.
    """
    return {day: names[0] for day, names in public_holidays(year).items()}


def received_date(received_at: dt.datetime | dt.date) -> dt.date:
    """The Amsterdam calendar date a request was received on."""
    if isinstance(received_at, dt.datetime):
        if received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")
        return received_at.astimezone(AMSTERDAM).date()
    return received_at


def promise_due(received_at: dt.datetime | dt.date) -> dt.date:
    return received_date(received_at) + dt.timedelta(days=PROMISE_DAYS)


def month_term_end(received_at: dt.datetime | dt.date) -> dt.date:
    """The last day of the one-month term (art. 3(2)(c)), before art. 3(4) moves it to a working day."""
    return add_term(received_date(received_at), months=LEGAL_MONTHS)


def legal_due(received_at: dt.datetime | dt.date) -> dt.date:
    """One month after receipt, moved to the next working day (art. 3(2)(c), 3(4))."""
    return next_working_day(month_term_end(received_at))


def extended_due(received_at: dt.datetime | dt.date) -> dt.date:
    """The one-month term extended by two further months: they run from the end of the first
    month (not from receipt), and only the end of the whole is moved to a working day."""
    return next_working_day(add_term(month_term_end(received_at), months=MAX_EXTENSION_MONTHS))


def day_number(received_at: dt.datetime | dt.date, today: dt.date) -> int:
    """Days since receipt: 0 on the day received, 28 on the promised due date."""
    return (today - received_date(received_at)).days


def is_overdue(received_at: dt.datetime | dt.date, today: dt.date, extended_due: dt.date | None = None) -> bool:
    """The warning rhythm's last stage: from day 28 on (the day the promise runs out, "handle it
    today"); with an extension, after the extended date. Whether a request is overdue in the
    queue and the month is judged by `timeliness.judge`, at the answer."""
    if extended_due is not None:
        return today > extended_due
    return day_number(received_at, today) >= OVERDUE_DAY


# Warning stages: (name, day since receipt) — or, once extended, (name, days left until the
# extended date): the same rhythm of two weeks, one week, two days, and past the term.
STAGES = (
    ("handler_14", WARN_HANDLER_DAY),
    ("lead_21", WARN_LEAD_DAY),
    ("privacy_26", WARN_PRIVACY_DAY),
    ("overdue_28", OVERDUE_DAY),
)
EXTENDED_STAGES = (
    ("extended_handler", 14),
    ("extended_lead", 7),
    ("extended_privacy", 2),
    ("extended_overdue", -1),
)


def warning_stages(
    received_at: dt.datetime | dt.date, today: dt.date, extended_due: dt.date | None = None
) -> list[str]:
    """Every warning stage reached on `today` (the job sends each one once)."""
    if extended_due is not None:
        left = (extended_due - today).days
        return [name for name, before in EXTENDED_STAGES if left <= before]
    day = day_number(received_at, today)
    return [name for name, threshold in STAGES if day >= threshold]
