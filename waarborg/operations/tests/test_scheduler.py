"""`waarborg scheduler`: one round (--once), which day is due, failures isolated and mailed, bad input."""

import datetime as dt
import os
import socket
import subprocess
import sys
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from waarborg.core import clock, daily
from waarborg.operations import scheduler
from waarborg.operations.models import DailyRun
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=4, minute=0):
    """An Amsterdam wall-clock moment (the real clock, moved by time-machine)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


@pytest.fixture
def probe():
    """An extra job that notes the day it ran for and the clock's today while it ran."""
    saved = dict(daily._JOBS)
    seen = []

    @daily.daily_job("test-probe", order=1)
    def job(day):
        seen.append((day, clock.today()))
        return {"probed": 1}

    yield seen
    daily._JOBS.clear()
    daily._JOBS.update(saved)


def once(*args):
    out = StringIO()
    call_command("scheduler", "--once", *args, stdout=out)
    return out.getvalue()


def test_once_runs_every_daily_job_for_the_day_and_records_the_run(probe):
    with time_machine.travel(at(2026, 3, 5, 10), tick=False):
        out = once("--as-of", "2026-03-04")
    run = DailyRun.objects.get()
    assert run.day == dt.date(2026, 3, 4)
    assert run.trigger == "scheduler" and run.status == DailyRun.Status.OK and not run.partial
    assert set(run.counts) == {job.name for job in daily.jobs()}  # every job ran
    assert run.counts["test-probe"] == {"probed": 1} and run.failures == {}
    assert run.finished_at >= run.started_at
    assert run.host == socket.gethostname()[:100] and run.pid == os.getpid()
    # the deciding jobs ran with the clock on the day run for (a missed day), the queues on today
    assert probe[0] == (dt.date(2026, 3, 4), dt.date(2026, 3, 4))
    assert f"daily run {run.pk} for 2026-03-04: ok" in out and "test-probe: probed=1" in out
    assert "queues:" in out and "warnings:" in out


def test_the_daily_run_is_due_from_the_daily_time_on(probe, settings):
    settings.WAARBORG_DAILY_AT = dt.time(3, 30)
    with time_machine.travel(at(2026, 3, 10, 3, 29), tick=False):
        once()
    assert list(DailyRun.objects.values_list("day", flat=True)) == [dt.date(2026, 3, 9)]
    with time_machine.travel(at(2026, 3, 10, 3, 29), tick=False):
        out = once()
    assert "daily run: nothing due" in out and DailyRun.objects.count() == 1
    with time_machine.travel(at(2026, 3, 10, 3, 30), tick=False):
        once()
    assert sorted(DailyRun.objects.values_list("day", flat=True)) == [dt.date(2026, 3, 9), dt.date(2026, 3, 10)]
    assert [day for day, _ in probe] == [dt.date(2026, 3, 9), dt.date(2026, 3, 10)]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # the days summer time starts (29 March 2026) and ends (25 October 2026) have 03:30 once
        (at(2026, 3, 29, 3, 29), dt.date(2026, 3, 28)),
        (at(2026, 3, 29, 3, 30), dt.date(2026, 3, 29)),
        (at(2026, 10, 25, 3, 29), dt.date(2026, 10, 24)),
        (at(2026, 10, 25, 3, 30), dt.date(2026, 10, 25)),
        (at(2026, 10, 25, 0, 5), dt.date(2026, 10, 24)),
    ],
)
def test_the_due_day_follows_amsterdam_time_also_on_daylight_saving_days(moment, expected):
    assert scheduler.due_day(moment.astimezone(dt.UTC), dt.time(3, 30)) == expected


def test_a_partial_or_unfinished_run_does_not_count_as_the_day_done(probe):
    DailyRun.objects.create(day=dt.date(2026, 3, 1), started_at=at(2026, 3, 1), finished_at=at(2026, 3, 1, 5))
    DailyRun.objects.create(
        day=dt.date(2026, 3, 2), started_at=at(2026, 3, 2), finished_at=at(2026, 3, 2, 5), partial=True
    )
    DailyRun.objects.create(day=dt.date(2026, 3, 3), started_at=at(2026, 3, 3), status=DailyRun.Status.RUNNING)
    with time_machine.travel(at(2026, 3, 3, 9), tick=False):
        once()
    assert [day for day, _ in probe] == [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    interrupted = DailyRun.objects.get(day=dt.date(2026, 3, 3), trigger="command")
    assert interrupted.status == DailyRun.Status.FAILED and interrupted.failures == {"run": "Interrupted"}
    assert interrupted.finished_at is None


def test_a_failing_job_does_not_stop_the_others_and_mails_the_administrators(probe, smtp_server, personas):
    def broken(day):
        raise RuntimeError("could not reach jan.jansen@example.nl")  # a message may hold personal data

    daily._JOBS["test-broken"] = daily.DailyJob("test-broken", 0, broken)  # runs first
    with time_machine.travel(at(2026, 3, 5, 10), tick=False), pytest.raises(CommandError) as failed:
        once("--as-of", "2026-03-05")
    assert failed.value.returncode == 1
    run = DailyRun.objects.get()
    assert run.status == DailyRun.Status.FAILED and run.finished_at is not None
    assert run.failures == {"test-broken": "RuntimeError"}
    assert probe == [(dt.date(2026, 3, 5), dt.date(2026, 3, 5))]  # the job after it still ran
    assert set(run.counts) == {job.name for job in daily.jobs()} - {"test-broken"}

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == personas.frank.email  # the one administrator, nobody else
    assert "2026-03-05" in message["Subject"]
    body = smtp_server.body(message)
    assert "test-broken" in body and "RuntimeError" in body and f"run {run.pk}" in body
    assert "jan.jansen" not in body and "could not reach" not in body


def test_the_daily_command_isolates_a_failing_job_too(probe, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    daily._JOBS["test-broken"] = daily.DailyJob("test-broken", 0, lambda day: 1 / 0)
    with pytest.raises(CommandError) as failed:
        call_command("daily", "--as-of", "2026-03-02", stdout=StringIO())
    assert failed.value.returncode == 1 and "test-broken (ZeroDivisionError)" in str(failed.value)
    run = DailyRun.objects.get()
    assert run.failures == {"test-broken": "ZeroDivisionError"} and run.trigger == "command"
    assert probe == [(dt.date(2026, 3, 2), dt.date(2026, 3, 2))]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--once", "--as-of", "05-03-2026"], "YYYY-MM-DD"),
        (["--once", "--as-of", "2026-02-30"], "YYYY-MM-DD"),
        (["--once", "--as-of", "2026-03-06"], "in the future"),
        (["--as-of", "2026-03-04"], "--as-of goes with --once"),
    ],
)
def test_bad_input_is_refused_with_exit_2_and_runs_nothing(probe, args, words):
    with time_machine.travel(at(2026, 3, 5, 10), tick=False), unchanged(), pytest.raises(CommandError) as refused:
        call_command("scheduler", *args, stdout=StringIO())
    assert refused.value.returncode == 2
    assert words in str(refused.value)
    assert probe == []


def _run(args, tmp_path, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL"))}
    full.update({"WAARBORG_DATA_DIR": str(tmp_path / "data"), "PYTHONWARNINGS": "ignore", **env})
    return subprocess.run(
        [sys.executable, "-m", "waarborg", *args], capture_output=True, text=True, env=full, timeout=120
    )


def test_the_command_exits_2_on_a_date_it_cannot_read(tmp_path):
    result = _run(["scheduler", "--once", "--as-of", "tomorrow"], tmp_path)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and "YYYY-MM-DD" in lines[0]
