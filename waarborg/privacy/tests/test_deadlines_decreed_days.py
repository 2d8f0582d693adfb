"""The GDPR's one month (Regulation 1182/71) counts the public holidays of art. 3(1)–(2) Atw only:
the days equated with holidays by decree (art. 3(3) Atw, "for the application of this act")
do not extend it, so the earlier, safe date stays the due date.

The oracle is written here from the rules: its own holidays and its own day-walk."""

import datetime as dt

import pytest

from waarborg.privacy.deadlines import extended_due, legal_due

D = dt.date
ONE = dt.timedelta(days=1)

EASTER = {y: e for y, e in zip(range(2023, 2030), (D(2023, 4, 9), D(2024, 3, 31), D(2025, 4, 20), D(2026, 4, 5), D(2027, 3, 28), D(2028, 4, 16), D(2029, 4, 1)), strict=True)}  # fmt: skip
DECREED = {
    D(2023, 4, 28), D(2023, 5, 19), D(2024, 5, 10), D(2024, 12, 27), D(2025, 5, 30),
    D(2026, 1, 2), D(2026, 5, 15), D(2027, 5, 7), D(2028, 4, 28), D(2028, 5, 26),
}  # fmt: skip


def public_holidays(year: int) -> set[dt.date]:
    """Atw art. 3(1)–(2): New Year, Good Friday, Easter Monday, King's Day, 5 May, Ascension,
    Whit Monday, Christmas and Boxing Day."""
    e = EASTER[year]
    kings = D(year, 4, 26) if D(year, 4, 27).weekday() == 6 else D(year, 4, 27)
    days = (D(year, 1, 1), e - 2 * ONE, e + ONE, kings, D(year, 5, 5), e + 39 * ONE, e + 50 * ONE)
    return {*days, D(year, 12, 25), D(year, 12, 26)}


HOLIDAYS = set().union(*(public_holidays(y) for y in EASTER))


def months_later(day: dt.date, months: int) -> dt.date:
    """Reg. 1182/71 art. 3(2)(c): the same day-number, or the month's last day if it has none."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for number in (day.day, 30, 29, 28):
        try:
            return D(year, month, min(day.day, number))
        except ValueError:
            continue
    raise AssertionError(day)


def oracle(day: dt.date, months: int, *, with_decreed: bool = False) -> dt.date:
    """Art. 3(4): a period ending on a Saturday, Sunday or public holiday ends the next working day.

    More than one month (art. 12(3)'s extension) is the one-month end, before rolling, plus the
    further months."""
    end = months_later(day, 1)
    if months > 1:
        end = months_later(end, months - 1)
    while end.weekday() >= 5 or end in HOLIDAYS or (with_decreed and end in DECREED):
        end += ONE
    return end


@pytest.fixture(autouse=True)
def only_the_shipped_lists(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.mark.promise("G9")
def test_the_legal_due_date_ignores_the_days_equated_by_decree_every_day_2023_to_2028():
    differs = []
    day = D(2023, 1, 1)
    while day <= D(2028, 12, 31):
        assert legal_due(day) == oracle(day, 1), day
        assert extended_due(day) == oracle(day, 3), day
        if oracle(day, 1) != oracle(day, 1, with_decreed=True):
            differs.append(day)
        day += ONE
    # The decreed days would have moved these due dates; they did not.
    assert D(2027, 4, 7) in differs and legal_due(D(2027, 4, 7)) == D(2027, 5, 7)  # a decreed Friday
    assert legal_due(D(2025, 4, 30)) == D(2025, 5, 30)
    assert len(differs) >= 10
