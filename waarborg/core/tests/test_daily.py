import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.core import clock, daily


@pytest.fixture
def job_registry():
    saved = dict(daily._JOBS)
    seen = []

    @daily.daily_job("test-probe", order=1)
    def probe(day):
        seen.append((day, clock.today()))
        return {"probed": 1}

    yield seen
    daily._JOBS.clear()
    daily._JOBS.update(saved)


@pytest.mark.django_db
def test_it_runs_every_job_for_the_given_day_with_the_clock_moved(job_registry, capsys):
    call_command("daily", "--as-of", "2027-01-04", "--only", "test-probe")
    assert job_registry == [(dt.date(2027, 1, 4), dt.date(2027, 1, 4))]
    out = capsys.readouterr().out
    assert "daily run for 2027-01-04" in out and "test-probe: probed=1" in out
    assert clock.today() != dt.date(2027, 1, 4) or dt.date.today() == dt.date(2027, 1, 4)


def test_it_refuses_a_bad_date_or_job(job_registry):
    with pytest.raises(CommandError) as bad:
        call_command("daily", "--as-of", "04-01-2027")
    assert bad.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("daily", "--only", "no-such-job")
    assert job_registry == []


@pytest.fixture
def probes():
    """A deciding and an outgoing job, each noting (day given, clock's today, clock's hour)."""
    saved = dict(daily._JOBS)
    seen = {"decide": [], "send": []}

    @daily.daily_job("test-decide", order=1)
    def decide(day):
        seen["decide"].append((day, clock.today(), clock.now().astimezone(clock.AMSTERDAM).hour))
        return {"decided": 1}

    @daily.daily_job("test-send", order=2, outgoing=True)
    def send(day):
        seen["send"].append((day, clock.today(), clock.now().astimezone(clock.AMSTERDAM).hour))
        return {"sent": 1}

    yield seen
    daily._JOBS.clear()
    daily._JOBS.update(saved)


REAL = dt.datetime(2027, 1, 8, 4, 15, tzinfo=clock.AMSTERDAM)  # the real clock in these tests
MISSED = dt.date(2027, 1, 5)


def test_catching_up_a_missed_day_decides_for_it_but_sends_on_the_real_clock(probes):
    with time_machine.travel(REAL, tick=False):
        result = daily.run_jobs(MISSED, only=["test-decide", "test-send"], live=True)
    assert result.counts == {"test-decide": {"decided": 1}, "test-send": {"sent": 1}}
    assert probes["decide"] == [(MISSED, MISSED, 12)]  # the clock moved to the missed day
    assert probes["send"] == [(REAL.date(), REAL.date(), 4)]  # the real day and time


def test_the_scheduler_runs_today_on_the_real_clock(probes):
    with time_machine.travel(REAL, tick=False):
        daily.run_jobs(REAL.date(), only=["test-decide", "test-send"], live=True)
    assert probes["decide"] == [(REAL.date(), REAL.date(), 4)]
    assert probes["send"] == [(REAL.date(), REAL.date(), 4)]


def test_without_live_every_job_runs_as_of_the_day_given(probes):
    with time_machine.travel(REAL, tick=False):
        daily.run_jobs(MISSED, only=["test-decide", "test-send"])
    assert probes["decide"] == probes["send"] == [(MISSED, MISSED, 12)]


def test_a_failing_job_does_not_stop_the_others(probes):
    def broken(day):
        raise LookupError("x")

    daily._JOBS["test-broken"] = daily.DailyJob("test-broken", 0, broken)
    result = daily.run_jobs(MISSED, only=["test-broken", "test-decide", "test-send"])
    assert set(result.failures) == {"test-broken"} and isinstance(result.failures["test-broken"], LookupError)
    assert set(result.counts) == {"test-decide", "test-send"}
    with pytest.raises(LookupError):  # run_daily: every job runs, then the failure is raised
        daily.run_daily(MISSED, only=["test-broken", "test-decide"])
    assert len(probes["decide"]) == 2
