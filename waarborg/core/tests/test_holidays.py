import datetime as dt

import pytest

from waarborg.core.holidays import (
    add_working_days,
    easter_sunday,
    holiday_name,
    is_public_holiday,
    is_working_day,
    letter_deemed_received,
    next_working_day,
    public_holidays,
    term_end,
    wik_term_end,
)

D = dt.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, D(1818, 3, 22)),  # the earliest possible
        (1943, D(1943, 4, 25)),  # the latest possible
        (2000, D(2000, 4, 23)),
        (2019, D(2019, 4, 21)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_it_computes_easter_by_the_gregorian_algorithm(year, easter):
    assert easter_sunday(year) == easter


def test_it_refuses_easter_before_the_gregorian_calendar():
    with pytest.raises(ValueError):
        easter_sunday(1500)


def test_it_lists_the_dutch_public_holidays_of_2025():
    days = public_holidays(2025)
    assert days == {
        D(2025, 1, 1): ("Nieuwjaarsdag", "New Year's Day"),
        D(2025, 4, 18): ("Goede Vrijdag", "Good Friday"),
        D(2025, 4, 20): ("Eerste Paasdag", "Easter Sunday"),
        D(2025, 4, 21): ("Tweede Paasdag", "Easter Monday"),
        D(2025, 4, 26): ("Koningsdag", "King's Day"),  # the 27th is a Sunday
        D(2025, 5, 5): ("Bevrijdingsdag", "Liberation Day"),
        D(2025, 5, 29): ("Hemelvaartsdag", "Ascension Day"),
        D(2025, 6, 8): ("Eerste Pinksterdag", "Whit Sunday"),
        D(2025, 6, 9): ("Tweede Pinksterdag", "Whit Monday"),
        D(2025, 12, 25): ("Eerste Kerstdag", "Christmas Day"),
        D(2025, 12, 26): ("Tweede Kerstdag", "Boxing Day"),
    }
    assert list(days) == sorted(days)


def test_it_keeps_kings_day_on_the_27th_unless_that_is_a_sunday():
    assert holiday_name(D(2026, 4, 27)) == "Koningsdag"  # a Monday
    assert holiday_name(D(2014, 4, 26), "en") == "King's Day"  # the 27th was a Sunday
    assert not is_public_holiday(D(2014, 4, 27))
    assert holiday_name(D(2026, 4, 28)) is None


def test_it_knows_working_days():
    assert is_working_day(D(2025, 1, 2))  # Thursday
    assert not is_working_day(D(2025, 1, 4))  # Saturday
    assert not is_working_day(D(2025, 1, 1))  # New Year's Day
    assert next_working_day(D(2025, 12, 25)) == D(2025, 12, 29)
    assert next_working_day(D(2025, 12, 29)) == D(2025, 12, 29)
    assert add_working_days(D(2025, 4, 17), 2) == D(2025, 4, 23)  # over Easter
    assert add_working_days(D(2025, 4, 17), 0) == D(2025, 4, 17)
    with pytest.raises(ValueError):
        add_working_days(D(2025, 4, 17), -1)


@pytest.mark.parametrize(
    ("posted", "received"),
    [
        (D(2025, 1, 2), D(2025, 1, 4)),  # Thursday → Saturday
        (D(2025, 1, 3), D(2025, 1, 7)),  # Friday → Tuesday (Sunday and Monday do not count)
        (D(2025, 1, 7), D(2025, 1, 9)),  # Tuesday → Thursday
        (D(2025, 4, 17), D(2025, 4, 22)),  # Good Friday, Easter Sunday and Monday do not count
        (D(2025, 12, 24), D(2025, 12, 30)),  # Christmas
        (D(2027, 4, 26), D(2027, 4, 29)),  # King's Day (a Tuesday) does not count
    ],
)
def test_it_finds_the_day_a_letter_counts_as_received(posted, received):
    assert letter_deemed_received(posted) == received


def test_it_ends_a_term_on_a_working_day():
    assert term_end(D(2025, 1, 7), 14) == D(2025, 1, 21)
    assert term_end(D(2025, 1, 4), 14) == D(2025, 1, 20)  # would end on a Saturday
    assert term_end(D(2025, 12, 11), 14) == D(2025, 12, 29)  # would end on Christmas Day
    with pytest.raises(ValueError):
        term_end(D(2025, 1, 7), 0)


@pytest.mark.parametrize(
    ("posted", "last_day"),
    [
        (D(2025, 1, 3), D(2025, 1, 21)),  # received Tuesday 7th; 8th..21st
        (D(2025, 1, 7), D(2025, 1, 23)),  # received Thursday 9th; 10th..23rd
        (D(2025, 1, 2), D(2025, 1, 20)),  # received Saturday 4th; ends Saturday 18th → Monday
        (D(2025, 4, 7), D(2025, 4, 23)),
    ],
)
def test_it_computes_the_wik_term_from_the_day_after_receipt(posted, last_day):
    assert wik_term_end(posted) == last_day
