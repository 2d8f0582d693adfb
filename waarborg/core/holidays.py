"""Dutch public holidays and the day arithmetic of legal terms; pure functions, no database.

- `easter_sunday(year)`: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
- `public_holidays(year)`: the generally recognised holidays, with Dutch and English names:
  Nieuwjaarsdag, Goede Vrijdag, Eerste en Tweede Paasdag, Koningsdag (27 April, 26 April when
  the 27th is a Sunday), Bevrijdingsdag (5 May, every year, as in the Algemene termijnenwet),
  Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag.
- `is_public_holiday`, `is_working_day`, `next_working_day`, `add_working_days`.
- `letter_deemed_received(posted)`: a letter counts as received on the second day after posting,
  Sundays, Mondays and public holidays not counted (HR 25 November 2016, ECLI:NL:HR:2016:2704).
- `term_end(start, days)`: the last day of a term of `days` days that starts the day after
  `start`, moved to the next working day when it ends on a Saturday, Sunday or public holiday
  (Algemene termijnenwet, art. 1).

Goede Vrijdag is no holiday under the Algemene termijnenwet, but many businesses close; counting
it makes every term computed here end on the same day or later, never earlier, which is the
safe side for a creditor's letter.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

SATURDAY, SUNDAY, MONDAY = 5, 6, 0


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (anonymous algorithm)."""
    if year < 1583:
        raise ValueError("the Gregorian Easter algorithm starts in 1583")
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=256)
def _holidays(year: int) -> tuple[tuple[dt.date, str, str], ...]:
    easter = easter_sunday(year)
    kings_day = dt.date(year, 4, 27)
    if kings_day.weekday() == SUNDAY:
        kings_day = dt.date(year, 4, 26)
    days = [
        (dt.date(year, 1, 1), "Nieuwjaarsdag", "New Year's Day"),
        (easter - dt.timedelta(days=2), "Goede Vrijdag", "Good Friday"),
        (easter, "Eerste Paasdag", "Easter Sunday"),
        (easter + dt.timedelta(days=1), "Tweede Paasdag", "Easter Monday"),
        (kings_day, "Koningsdag", "King's Day"),
        (dt.date(year, 5, 5), "Bevrijdingsdag", "Liberation Day"),
        (easter + dt.timedelta(days=39), "Hemelvaartsdag", "Ascension Day"),
        (easter + dt.timedelta(days=49), "Eerste Pinksterdag", "Whit Sunday"),
        (easter + dt.timedelta(days=50), "Tweede Pinksterdag", "Whit Monday"),
        (dt.date(year, 12, 25), "Eerste Kerstdag", "Christmas Day"),
        (dt.date(year, 12, 26), "Tweede Kerstdag", "Boxing Day"),
    ]
    return tuple(sorted(days))


def public_holidays(year: int) -> dict[dt.date, tuple[str, str]]:
    """{date: (Dutch name, English name)} for one year, in date order."""
    return {day: (nl, en) for day, nl, en in _holidays(year)}


def holiday_name(day: dt.date, lang: str = "nl") -> str | None:
    names = public_holidays(day.year).get(day)
    if names is None:
        return None
    return names[0] if lang == "nl" else names[1]


def is_public_holiday(day: dt.date) -> bool:
    return day in public_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < SATURDAY and not is_public_holiday(day)


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day` (count >= 0; 0 gives `day` itself)."""
    if count < 0:
        raise ValueError("count must be zero or more")
    while count:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def _counts_for_delivery(day: dt.date) -> bool:
    return day.weekday() not in (SUNDAY, MONDAY) and not is_public_holiday(day)


def letter_deemed_received(posted: dt.date) -> dt.date:
    """The day a letter posted on `posted` counts as received: the second day after posting,
    Sundays, Mondays and public holidays not counted (HR 25-11-2016)."""
    day, counted = posted, 0
    while counted < 2:
        day += dt.timedelta(days=1)
        if _counts_for_delivery(day):
            counted += 1
    return day


def term_end(start: dt.date, days: int) -> dt.date:
    """The last day of a term of `days` days counted from the day after `start`.

    A term that would end on a Saturday, Sunday or public holiday runs on to the next working
    day (Algemene termijnenwet, art. 1).
    """
    if days < 1:
        raise ValueError("a term is at least one day")
    return next_working_day(start + dt.timedelta(days=days))


def wik_term_end(posted: dt.date, days: int = 14) -> dt.date:
    """The last day to pay without collection costs after a "14-dagenbrief" posted on `posted`:
    fourteen days from the day after the letter counts as received."""
    return term_end(letter_deemed_received(posted), days)
