"""Due dates by GDPR art. 12(3) and Regulation 1182/71, with Dutch public holidays."""

import datetime as dt

import pytest

from waarborg.privacy import deadlines as d

D = dt.date


@pytest.mark.promise("G9")
@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2028, D(2028, 4, 16)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_it_computes_easter_with_the_anonymous_gregorian_algorithm(year, easter):
    assert d.easter_sunday(year) == easter


@pytest.mark.promise("G9")
def test_it_knows_the_dutch_public_holidays():
    assert d.dutch_holidays(2026) == {
        D(2026, 1, 1): "Nieuwjaarsdag",
        D(2026, 4, 3): "Goede Vrijdag",
        D(2026, 4, 5): "Eerste Paasdag",
        D(2026, 4, 6): "Tweede Paasdag",
        D(2026, 4, 27): "Koningsdag",
        D(2026, 5, 5): "Bevrijdingsdag",
        D(2026, 5, 14): "Hemelvaartsdag",
        D(2026, 5, 24): "Eerste Pinksterdag",
        D(2026, 5, 25): "Tweede Pinksterdag",
        D(2026, 12, 25): "Eerste Kerstdag",
        D(2026, 12, 26): "Tweede Kerstdag",
    }
    # 27 April 2025 is a Sunday: Koningsdag is the Saturday before.
    assert D(2025, 4, 26) in d.dutch_holidays(2025) and D(2025, 4, 27) not in d.dutch_holidays(2025)
    # Bevrijdingsdag counts every year, not only in lustrum years.
    assert all(D(y, 5, 5) in d.dutch_holidays(y) for y in range(2026, 2031))


@pytest.mark.promise("G9")
@pytest.mark.parametrize(
    ("received", "promise", "legal", "why"),
    [
        (D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 2), "no 31 February; 28 February 2026 is a Saturday"),
        (D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 1), "28 February 2027 is a Sunday"),
        (D(2028, 1, 31), D(2028, 2, 28), D(2028, 2, 29), "leap year: 29 February 2028, a Tuesday"),
        (D(2026, 1, 7), D(2026, 2, 4), D(2026, 2, 9), "7 February 2026 is a Saturday"),
        (D(2026, 3, 27), D(2026, 4, 24), D(2026, 4, 28), "27 April 2026 is Koningsdag (a Monday)"),
        (D(2026, 3, 6), D(2026, 4, 3), D(2026, 4, 7), "6 April 2026 is Tweede Paasdag"),
        (D(2026, 3, 3), D(2026, 3, 31), D(2026, 4, 7), "Goede Vrijdag, the Easter weekend and Easter Monday"),
        (D(2026, 4, 5), D(2026, 5, 3), D(2026, 5, 6), "5 May is Bevrijdingsdag"),
        (D(2026, 4, 14), D(2026, 5, 12), D(2026, 5, 15), "14 May 2026 is Hemelvaartsdag"),
        (D(2026, 11, 25), D(2026, 12, 23), D(2026, 12, 28), "Christmas on Friday and Saturday, then Sunday"),
        (D(2026, 12, 1), D(2026, 12, 29), D(2027, 1, 4), "1 January, then the weekend"),
        (D(2026, 6, 10), D(2026, 7, 8), D(2026, 7, 10), "a plain working day stays"),
    ],
)
def test_it_computes_the_promised_and_the_legal_due_date(received, promise, legal, why):
    assert d.promise_due(received) == promise, why
    assert d.legal_due(received) == legal, why


@pytest.mark.promise("G9", "X5")
def test_it_extends_to_three_months_after_receipt_by_the_same_rule():
    assert d.extended_due(D(2026, 1, 27)) == D(2026, 4, 28)  # 27 April is Koningsdag
    assert d.extended_due(D(2025, 11, 30)) == D(2026, 3, 2)  # no 30 February; 28 Feb is a Saturday
    assert d.extended_due(D(2026, 6, 10)) == D(2026, 9, 10)


@pytest.mark.promise("G9")
def test_it_takes_the_amsterdam_date_of_the_moment_received():
    late_evening_utc = dt.datetime(2026, 1, 30, 23, 30, tzinfo=dt.UTC)  # 00:30 on 31 January in Amsterdam
    assert d.received_date(late_evening_utc) == D(2026, 1, 31)
    assert d.promise_due(late_evening_utc) == D(2026, 2, 28)
    assert d.legal_due(late_evening_utc) == D(2026, 3, 2)
    with pytest.raises(ValueError):
        d.received_date(dt.datetime(2026, 1, 30, 23, 30))


@pytest.mark.promise("G9")
def test_it_never_promises_later_than_the_law_allows_on_any_day_of_2026_to_2028():
    day = D(2026, 1, 1)
    while day <= D(2028, 12, 31):
        promise, legal, extended = d.promise_due(day), d.legal_due(day), d.extended_due(day)
        month_later = d.add_term(day, months=1)
        assert promise <= legal, day
        assert legal >= month_later and d.is_working_day(legal), day
        assert all(not d.is_working_day(month_later + dt.timedelta(days=n)) for n in range((legal - month_later).days))
        assert (legal - month_later).days <= 5, day  # at most a long weekend plus holidays
        assert extended > legal and d.is_working_day(extended), day
        day += dt.timedelta(days=1)


@pytest.mark.promise("G9")
def test_it_warns_on_days_14_21_26_and_flags_day_28_as_overdue():
    received = D(2026, 3, 2)
    assert d.warning_stages(received, D(2026, 3, 15)) == []
    assert d.warning_stages(received, D(2026, 3, 16)) == ["handler_14"]
    assert d.warning_stages(received, D(2026, 3, 23)) == ["handler_14", "lead_21"]
    assert d.warning_stages(received, D(2026, 3, 28)) == ["handler_14", "lead_21", "privacy_26"]
    assert not d.is_overdue(received, D(2026, 3, 29))
    assert d.is_overdue(received, D(2026, 3, 30)) and d.warning_stages(received, D(2026, 3, 30))[-1] == "overdue_28"
    extended = d.extended_due(received)
    assert not d.is_overdue(received, D(2026, 4, 15), extended)
    assert d.warning_stages(received, extended - dt.timedelta(days=7), extended) == [
        "extended_handler",
        "extended_lead",
    ]
    assert d.is_overdue(received, extended + dt.timedelta(days=1), extended)
