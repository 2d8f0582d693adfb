"""Dutch public holidays and the day arithmetic of legal terms; pure functions, no database.

- `easter_sunday(year)`: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
- `public_holidays(year)`: the generally recognised holidays of the Algemene termijnenwet (Atw),
  art. 3(1)–(2), with Dutch and English names: Nieuwjaarsdag, Goede Vrijdag (art. 3(2) equates
  it with the holidays of art. 3(1)), Eerste en Tweede Paasdag, Koningsdag (27 April, 26 April
  when the 27th is a Sunday), Bevrijdingsdag (5 May, every year), Hemelvaartsdag, Eerste en
  Tweede Pinksterdag, Eerste en Tweede Kerstdag.
- `is_public_holiday`, `is_working_day`, `next_working_day`, `add_working_days`: these holidays
  only. They serve the terms of EU law — the GDPR's one month (privacy.deadlines, Regulation
  1182/71 art. 2(1) and 3(4)) — where the Member State's public holidays count and the days
  equated by decree do not.
- `is_statutory_holiday`, `is_statutory_working_day`, `next_statutory_working_day`: the same plus
  the days the Crown equates with holidays "for the application of this act" (Atw art. 3(3),
  core.decreed_days). They serve the terms set by Dutch statute:
- `letter_deemed_received(posted)`: a letter counts as received on the second day after posting,
  Sundays, Mondays and (statutory) holidays not counted (HR 25 November 2016,
  ECLI:NL:HR:2016:2704).
- `term_end(start, days)`: the last day of a term of `days` days that starts the day after
  `start`, moved to the next day that is no Saturday, Sunday, holiday or decreed day (Atw art. 1).
- `wik_term(posted)` / `wik_term_end(posted)`: the term of the fourteen-day letter (art. 6:96(6)
  BW): fourteen days from the day after the letter counts as received. When a year the term runs
  through has no list of decreed days held, the term gets one extra working day of margin: a day
  decreed later could only have moved the end later, and naming too early a day costs the
  creditor every collection cost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from waarborg.core import decreed_days

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


# --- Terms set by Dutch statute: the holidays plus the days equated by decree --------------------


def is_statutory_holiday(day: dt.date) -> bool:
    """A public holiday, or a day the Crown equated with one (Atw art. 3(3))."""
    return is_public_holiday(day) or decreed_days.is_decreed_day(day)


def is_statutory_working_day(day: dt.date) -> bool:
    """Monday to Friday, no public holiday and no decreed day."""
    return day.weekday() < SATURDAY and not is_statutory_holiday(day)


def next_statutory_working_day(day: dt.date) -> dt.date:
    """`day` itself when a term may end on it (Atw art. 1), else the first such day after it."""
    while not is_statutory_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _counts_for_delivery(day: dt.date) -> bool:
    return day.weekday() not in (SUNDAY, MONDAY) and not is_statutory_holiday(day)


def letter_deemed_received(posted: dt.date) -> dt.date:
    """The day a letter posted on `posted` counts as received: the second day after posting,
    Sundays, Mondays, public holidays and decreed days not counted (HR 25-11-2016)."""
    day, counted = posted, 0
    while counted < 2:
        day += dt.timedelta(days=1)
        if _counts_for_delivery(day):
            counted += 1
    return day


def term_end(start: dt.date, days: int) -> dt.date:
    """The last day of a term of `days` days counted from the day after `start`.

    A term that would end on a Saturday, Sunday, public holiday or decreed day runs on to the
    next day that is none of these (Algemene termijnenwet, art. 1 and 3).
    """
    if days < 1:
        raise ValueError("a term is at least one day")
    return next_statutory_working_day(start + dt.timedelta(days=days))


MARGIN_NO_DECREE_LIST = "no_decree_list"


@dataclass(frozen=True)
class WikTerm:
    """The fourteen-day letter's term: when it counts as received, its last day, and the margin
    in working days added because no list of decreed days is held for `unheld_years`."""

    posted: dt.date
    received: dt.date
    end: dt.date
    margin_days: int = 0
    unheld_years: tuple[int, ...] = ()

    @property
    def margin_reason(self) -> str:
        return MARGIN_NO_DECREE_LIST if self.margin_days else ""

    def margin_data(self) -> dict:
        """The margin as data for a dunning decision ({} without a margin)."""
        if not self.margin_days:
            return {}
        return {
            "term_margin": {
                "days": self.margin_days,
                "reason": self.margin_reason,
                "years": list(self.unheld_years),
                "from": self.posted.isoformat(),
                "end": self.end.isoformat(),
            }
        }


def wik_term(posted: dt.date, days: int = 14) -> WikTerm:
    """The term of a fourteen-day letter posted (or sent) on `posted`, with its margin."""
    received = letter_deemed_received(posted)
    end = term_end(received, days)
    unheld = tuple(y for y in range(posted.year, end.year + 1) if not decreed_days.is_held(y))
    if not unheld:
        return WikTerm(posted=posted, received=received, end=end)
    end = next_statutory_working_day(end + dt.timedelta(days=1))
    return WikTerm(posted=posted, received=received, end=end, margin_days=1, unheld_years=unheld)


def wik_term_end(posted: dt.date, days: int = 14) -> dt.date:
    """The last day to pay without collection costs after a "14-dagenbrief" posted on `posted`:
    fourteen days from the day after the letter counts as received (with `wik_term`'s margin
    when no list of decreed days is held for a year the term runs through)."""
    return wik_term(posted, days).end
