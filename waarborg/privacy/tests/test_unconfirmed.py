"""A request closed because nobody confirmed it lapsed: timeliness never judges it overdue or
late, nor in or out of a term (G9). The daily job itself is tested with the public form in
waarborg/public/tests/test_unconfirmed_requests.py."""

import datetime as dt

import pytest

from waarborg.privacy import deadlines, timeliness

RECEIVED = dt.date(2026, 1, 30)  # a term that runs into February: the legal date is moved


def _facts(*, lapsed=None):
    return timeliness.Facts(
        received=RECEIVED,
        promise_due=deadlines.promise_due(RECEIVED),
        legal_due=deadlines.legal_due(RECEIVED),
        pause_start=RECEIVED,
        lapsed=lapsed,
    )


@pytest.mark.promise("G9")
def test_a_lapsed_request_is_never_overdue_nor_late():
    closed = RECEIVED + dt.timedelta(days=14)
    later = deadlines.legal_due(RECEIVED) + dt.timedelta(days=60)
    open_ = timeliness.judge(_facts(), later)
    assert open_.overdue and open_.late and open_.within_legal is False  # the same request, left open
    lapsed = timeliness.judge(_facts(lapsed=closed), later)
    assert not lapsed.overdue and not lapsed.late
    assert lapsed.within_promise is None and lapsed.within_legal is None
    assert lapsed.day == 14 and lapsed.answered is None
    assert not timeliness.overdue_between(_facts(lapsed=closed), RECEIVED, later)
    assert timeliness.overdue_between(_facts(), RECEIVED, later)
    # Before the day it closed, it is judged as any open request.
    assert timeliness.judge(_facts(lapsed=closed), closed - dt.timedelta(days=1)).day == 13
