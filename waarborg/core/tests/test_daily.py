import datetime as dt

import pytest
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
