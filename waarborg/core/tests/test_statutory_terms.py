"""Terms set by Dutch statute count the days the Crown equates with holidays (Atw art. 3(3)).

Every expected date here comes from an oracle written from the statute in this file: its own
Easter dates, its own list of the holidays of art. 3(1)–(2) Atw, the decreed days as published,
and its own walk over the days. Nothing in it calls core.holidays.
"""

import datetime as dt
import json

import pytest

from waarborg.core import decreed_days
from waarborg.core.holidays import letter_deemed_received, term_end, wik_term, wik_term_end

D = dt.date
ONE = dt.timedelta(days=1)

# Western Easter Sundays, from the almanac.
EASTER = {
    2022: D(2022, 4, 17),
    2023: D(2023, 4, 9),
    2024: D(2024, 3, 31),
    2025: D(2025, 4, 20),
    2026: D(2026, 4, 5),
    2027: D(2027, 3, 28),
    2028: D(2028, 4, 16),
    2029: D(2029, 4, 1),
}

# Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en 30 mei
# 2025 …, and Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028
# en 26 mei 2028 met een algemeen erkende feestdag.
DECREED = {
    D(2023, 4, 28), D(2023, 5, 19), D(2024, 5, 10), D(2024, 12, 27), D(2025, 5, 30),
    D(2026, 1, 2), D(2026, 5, 15), D(2027, 5, 7), D(2028, 4, 28), D(2028, 5, 26),
}  # fmt: skip
LISTED_YEARS = range(2023, 2029)


def atw_holidays(year: int) -> set[dt.date]:
    """Art. 3(1) Atw: New Year's Day, Easter Monday and Whit Monday, both Christmas days,
    Ascension Day, the King's birthday as celebrated (27 April; the 26th when the 27th is a
    Sunday) and 5 May; art. 3(2): Good Friday. (Easter and Whit Sunday are Sundays anyway.)"""
    easter = EASTER[year]
    kings = D(year, 4, 27) if D(year, 4, 27).weekday() != 6 else D(year, 4, 26)
    return {
        D(year, 1, 1),
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        kings,
        D(year, 5, 5),
        easter + dt.timedelta(days=39),
        easter + dt.timedelta(days=50),
        D(year, 12, 25),
        D(year, 12, 26),
    }


HOLIDAYS = set().union(*(atw_holidays(y) for y in EASTER))


def no_term_ends_on(day: dt.date, *, decreed: bool = True) -> bool:
    """Atw art. 1: a Saturday, Sunday or holiday (with art. 3(3), a decreed day too)."""
    return day.weekday() >= 5 or day in HOLIDAYS or (decreed and day in DECREED)


def oracle_received(posted: dt.date) -> dt.date:
    """HR 25-11-2016: the second day after posting, Sundays, Mondays and holidays not counted."""
    day, counted = posted, 0
    while counted < 2:
        day += ONE
        if day.weekday() not in (6, 0) and day not in HOLIDAYS and day not in DECREED:
            counted += 1
    return day


def oracle_wik_end(posted: dt.date) -> dt.date:
    """Art. 6:96(6) BW: fourteen days from the day after receipt, extended by Atw art. 1; one
    working day more when the term runs into a year without a list of decreed days."""
    end = oracle_received(posted) + dt.timedelta(days=14)
    while no_term_ends_on(end):
        end += ONE
    if any(year not in LISTED_YEARS for year in range(posted.year, end.year + 1)):
        end += ONE
        while no_term_ends_on(end):
            end += ONE
    return end


def every_day(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += ONE


@pytest.fixture(autouse=True)
def only_the_shipped_lists(settings, tmp_path):
    """A data directory without an operator's list: only the shipped decree lists are held."""
    settings.DATA_DIR = tmp_path


@pytest.mark.promise("A1", "A5")
def test_the_fourteen_day_letter_of_21_april_2027_runs_to_10_may():
    # Received Friday 23 April; fourteen days end on Friday 7 May, equated with a holiday by
    # decree, so the term runs past the weekend to Monday 10 May.
    assert letter_deemed_received(D(2027, 4, 21)) == D(2027, 4, 23)
    assert wik_term_end(D(2027, 4, 21)) == D(2027, 5, 10)
    assert wik_term(D(2027, 4, 21)).margin_days == 0


@pytest.mark.promise("A1", "A5")
def test_every_sending_day_2023_to_2028_gives_the_statutory_term():
    checked = extended_by_decree = 0
    for posted in every_day(D(2023, 1, 1), D(2028, 12, 31)):
        expected = oracle_wik_end(posted)
        assert wik_term_end(posted) == expected, posted
        checked += 1
        received = oracle_received(posted)
        plain = received + dt.timedelta(days=14)
        while plain.weekday() >= 5 or plain in HOLIDAYS:
            plain += ONE
        if plain < expected and plain.year in LISTED_YEARS:
            extended_by_decree += 1
    assert checked == 2192
    assert extended_by_decree > 20  # the decreed days really move terms


@pytest.mark.promise("A1", "A5")
def test_every_posting_day_2023_to_2028_is_received_as_the_supreme_court_counts():
    for posted in every_day(D(2023, 1, 1), D(2028, 12, 31)):
        assert letter_deemed_received(posted) == oracle_received(posted), posted
    # A decreed Friday does not count: posted Wednesday 17 May 2023, Thursday is Ascension Day,
    # Friday 19 May is decreed, Sunday and Monday do not count.
    assert letter_deemed_received(D(2023, 5, 17)) == D(2023, 5, 23)


@pytest.mark.promise("A1", "A5")
def test_a_statutory_term_is_extended_past_a_decreed_day():
    assert term_end(D(2026, 5, 1), 14) == D(2026, 5, 18)  # Friday 15 May 2026 is decreed
    assert term_end(D(2024, 12, 13), 14) == D(2024, 12, 30)  # Friday 27 December 2024 is decreed
    assert term_end(D(2025, 5, 16), 14) == D(2025, 6, 2)  # Friday 30 May 2025 is decreed


@pytest.mark.promise("A1", "A5")
def test_a_term_in_a_year_without_a_list_gets_one_working_day_of_margin(settings):
    # Posted Friday 19 January 2029: received Tuesday 23rd (Sunday and Monday do not count);
    # fourteen days end on Tuesday 6 February; no list for 2029 → Wednesday 7 February.
    term = wik_term(D(2029, 1, 19))
    assert (term.received, term.end) == (D(2029, 1, 23), D(2029, 2, 7))
    assert (term.margin_days, term.unheld_years, term.margin_reason) == (1, (2029,), "no_decree_list")
    assert term.margin_data()["term_margin"] == {
        "days": 1,
        "reason": "no_decree_list",
        "years": [2029],
        "from": "2029-01-19",
        "end": "2029-02-07",
    }
    # A letter of December 2028 whose term runs into 2029 gets it too: received Friday 22nd,
    # the 14 days end Friday 5 January 2029, one working day more is Monday 8 January.
    assert wik_term_end(D(2028, 12, 20)) == D(2029, 1, 8) == oracle_wik_end(D(2028, 12, 20))
    # The margin is one *working* day: posted Wednesday 17 January 2029, received Friday 19th,
    # the term would end on Friday 2 February and moves to Monday 5 February.
    assert wik_term_end(D(2029, 1, 17)) == D(2029, 2, 5) == oracle_wik_end(D(2029, 1, 17))

    # Once an operator holds the list for 2029, the margin goes, and its days count.
    (settings.DATA_DIR / "decreed_days.json").write_text(
        json.dumps({"years": {"2029": [{"days": ["2029-02-06"], "source": "Besluit (test)"}]}})
    )
    term = wik_term(D(2029, 1, 19))
    assert (term.end, term.margin_days, term.margin_data()) == (D(2029, 2, 7), 0, {})  # 6 Feb is decreed
    assert wik_term_end(D(2029, 1, 17)) == D(2029, 2, 2)  # no margin, no decreed day in the way


def test_the_shipped_lists_hold_the_published_decrees_with_their_source():
    held = decreed_days.lists()
    assert list(held) == list(LISTED_YEARS)
    assert {d for entry in held.values() for d in entry.days} == DECREED
    for year, entry in held.items():
        assert all(d.year == year and d.weekday() < 5 for d in entry.days)
        assert entry.origins == ("shipped",)
        assert all(source.startswith("Besluit gelijkstelling van ") for source in entry.sources)
    assert "7 mei 2027" in held[2027].sources[0]
