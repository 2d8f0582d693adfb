"""The legal and the extended due date of every day received from 2023 to 2028, against an oracle
written here from the rules themselves — it calls nothing of waarborg.privacy.deadlines or
waarborg.core.holidays (G9, X5).

Regulation (EEC, Euratom) No 1182/71, article 3:
  (1) the day of the event from which a period runs is not counted in it;
  (2)(c) a period expressed in months ends with the last hour of the day in the last month that
         has the same date as the day from which the period runs; when that month has no such
         date, with the last hour of the last day of that month;
  (3) periods include public holidays, Saturdays and Sundays;
  (4) a period whose last day is a public holiday, a Saturday or a Sunday ends with the last
      hour of the following working day.
GDPR art. 12(3): within one month of receipt; that period "may be extended by two further
months": the two months run from the end of the first month (the date (2)(c) gives, before (4)
moves it), and only the end of the extended period is moved by (4).
Dutch public holidays: Nieuwjaarsdag, Goede Vrijdag, Eerste en Tweede Paasdag, Koningsdag
(27 April; 26 April when the 27th is a Sunday), Bevrijdingsdag (5 May, every year), Hemelvaartsdag
(Easter + 39 days), Eerste en Tweede Pinksterdag (Easter + 49 and + 50), Eerste en Tweede Kerstdag.
"""

import datetime as dt

import pytest

from waarborg.privacy import deadlines

D = dt.date
FIRST, LAST = D(2023, 1, 1), D(2028, 12, 31)

# Easter Sunday as published (kerkelijke kalender), to check the oracle's own computation.
PUBLISHED_EASTER = {
    2023: D(2023, 4, 9),
    2024: D(2024, 3, 31),
    2025: D(2025, 4, 20),
    2026: D(2026, 4, 5),
    2027: D(2027, 3, 28),
    2028: D(2028, 4, 16),
    2029: D(2029, 4, 1),
}


def gauss_easter(year: int) -> dt.date:
    """Gauss's Easter formula for the Gregorian calendar, 1900–2099 (M = 24, N = 5)."""
    a, b, c = year % 19, year % 4, year % 7
    d = (19 * a + 24) % 30
    e = (2 * b + 4 * c + 6 * d + 5) % 7
    if d == 29 and e == 6:
        return D(year, 4, 19)
    if d == 28 and e == 6 and a > 10:
        return D(year, 4, 18)
    day = 22 + d + e
    return D(year, 3, day) if day <= 31 else D(year, 4, day - 31)


def holidays(year: int) -> set[dt.date]:
    easter = gauss_easter(year)
    kings = D(year, 4, 27) if D(year, 4, 27).isoweekday() != 7 else D(year, 4, 26)
    return {
        D(year, 1, 1),
        easter - dt.timedelta(days=2),
        easter,
        easter + dt.timedelta(days=1),
        kings,
        D(year, 5, 5),
        easter + dt.timedelta(days=39),
        easter + dt.timedelta(days=49),
        easter + dt.timedelta(days=50),
        D(year, 12, 25),
        D(year, 12, 26),
    }


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def month_period_end(start: dt.date, months: int) -> dt.date:
    """Art. 3(1) and 3(2)(c): the same date `months` later, else the last day of that month."""
    year, month = start.year, start.month + months
    while month > 12:
        year, month = year + 1, month - 12
    return D(year, month, min(start.day, days_in_month(year, month)))


def art_3_4(day: dt.date) -> dt.date:
    """Art. 3(4): a last day on a Saturday, Sunday or public holiday runs on to the next working day."""
    while day.isoweekday() >= 6 or day in holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def oracle_legal_due(received: dt.date) -> dt.date:
    return art_3_4(month_period_end(received, 1))


def oracle_extended_due(received: dt.date) -> dt.date:
    return art_3_4(month_period_end(month_period_end(received, 1), 2))


def every_day():
    day = FIRST
    while day <= LAST:
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.promise("G9")
def test_the_oracle_knows_easter_and_the_holidays():
    assert {year: gauss_easter(year) for year in PUBLISHED_EASTER} == PUBLISHED_EASTER
    assert holidays(2026) == {
        D(2026, 1, 1),
        D(2026, 4, 3),  # Goede Vrijdag
        D(2026, 4, 5),
        D(2026, 4, 6),
        D(2026, 4, 27),
        D(2026, 5, 5),
        D(2026, 5, 14),
        D(2026, 5, 24),
        D(2026, 5, 25),
        D(2026, 12, 25),
        D(2026, 12, 26),
    }
    assert D(2025, 4, 26) in holidays(2025)  # 27 April 2025 is a Sunday
    assert all(D(year, 5, 5) in holidays(year) for year in range(2023, 2029))


@pytest.mark.promise("G9")
def test_the_legal_due_date_of_every_day_from_2023_to_2028_follows_regulation_1182_71():
    wrong = [(day, deadlines.legal_due(day), oracle_legal_due(day)) for day in every_day()]
    wrong = [w for w in wrong if w[1] != w[2]]
    assert wrong == []


@pytest.mark.promise("G9", "X5")
def test_the_extended_due_date_of_every_day_from_2023_to_2028_is_two_further_months():
    wrong = [(day, deadlines.extended_due(day), oracle_extended_due(day)) for day in every_day()]
    wrong = [w for w in wrong if w[1] != w[2]]
    assert wrong == []


@pytest.mark.promise("G9", "X5")
@pytest.mark.parametrize(
    ("received", "extended", "why"),
    [
        (D(2025, 10, 31), D(2026, 1, 30), "one month ends 30 November; two more end 30 January, not 31"),
        (D(2026, 1, 31), D(2026, 4, 28), "one month ends 28 February; two more end 28 April, not 30"),
        (D(2027, 1, 29), D(2027, 4, 28), "one month ends 28 February 2027; two more end 28 April, not 29"),
        (D(2026, 1, 27), D(2026, 4, 28), "27 April 2026 is Koningsdag"),
        (D(2026, 6, 10), D(2026, 9, 10), "a plain working day stays"),
    ],
)
def test_the_extension_runs_from_the_end_of_the_first_month(received, extended, why):
    assert oracle_extended_due(received) == extended, why
    assert deadlines.extended_due(received) == extended, why


@pytest.mark.promise("G9", "X5")
def test_the_extension_never_ends_later_than_three_months_from_receipt_and_sometimes_earlier():
    earlier = []
    for day in every_day():
        three_months = art_3_4(month_period_end(day, 3))
        assert oracle_extended_due(day) <= three_months, day
        if oracle_extended_due(day) < three_months:
            earlier.append(day)
    assert earlier and all(day.day >= 29 for day in earlier)
    assert D(2025, 10, 31) in earlier
