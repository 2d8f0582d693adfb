"""One clock for every deadline and retention rule.

Dates are Europe/Amsterdam calendar dates; timestamps are stored in UTC. `--as-of DATE` on the
date-driven commands and `time-machine` in tests move this clock, nothing else.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from waarborg.core.errors import ValidationError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_as_of: dt.date | None = None


def now() -> dt.datetime:
    if _as_of is not None:
        return dt.datetime.combine(_as_of, dt.time(12, 0), tzinfo=AMSTERDAM).astimezone(dt.UTC)
    return timezone.now()


def today() -> dt.date:
    if _as_of is not None:
        return _as_of
    return timezone.now().astimezone(AMSTERDAM).date()


class as_of:
    """Context manager: run date-driven work as if today were `date`."""

    def __init__(self, date: dt.date | None):
        self.date = date
        self._previous: dt.date | None = None

    def __enter__(self):
        global _as_of
        self._previous = _as_of
        _as_of = self.date
        return self

    def __exit__(self, *exc):
        global _as_of
        _as_of = self._previous
        return False


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError("calendar.not_a_date", {"value": value}) from None
