"""WAARBORG_DAILY_AT: HH:MM, a time every day has exactly once (not in the hour daylight saving
time skips or repeats); anything else stops the start with one line."""

import datetime as dt
import os
import subprocess
import sys

import pytest

from config.env import env_daily_time
from waarborg.core.errors import ConfigError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03:30", dt.time(3, 30)),
        ("00:00", dt.time(0, 0)),
        ("01:59", dt.time(1, 59)),
        ("03:00", dt.time(3, 0)),
        ("23:59", dt.time(23, 59)),
    ],
)
def test_it_reads_a_time_of_day(monkeypatch, value, expected):
    monkeypatch.setenv("WAARBORG_DAILY_AT", value)
    assert env_daily_time("WAARBORG_DAILY_AT", "03:30") == expected


def test_the_default_is_half_past_three(monkeypatch):
    monkeypatch.delenv("WAARBORG_DAILY_AT", raising=False)
    assert env_daily_time("WAARBORG_DAILY_AT", "03:30") == dt.time(3, 30)


@pytest.mark.parametrize("value", ["3:30", "24:00", "03:60", "0330", "03:30:00", "half four", " 03:3"])
def test_it_refuses_what_is_not_hh_mm(monkeypatch, value):
    monkeypatch.setenv("WAARBORG_DAILY_AT", value)
    with pytest.raises(ConfigError, match="HH:MM"):
        env_daily_time("WAARBORG_DAILY_AT", "03:30")


@pytest.mark.parametrize("value", ["02:00", "02:30", "02:59"])
def test_it_refuses_the_hour_daylight_saving_time_skips_or_repeats(monkeypatch, value):
    monkeypatch.setenv("WAARBORG_DAILY_AT", value)
    with pytest.raises(ConfigError, match="between 02:00 and 02:59"):
        env_daily_time("WAARBORG_DAILY_AT", "03:30")


def test_the_hour_refused_is_the_one_amsterdam_skips_and_repeats():
    """The oracle: on the days the clocks change, 02:MM does not exist or exists twice."""
    from zoneinfo import ZoneInfo

    ams = ZoneInfo("Europe/Amsterdam")

    def exists_once(day, hour, minute):
        found = set()
        for fold in (0, 1):
            local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ams, fold=fold)
            back = local.astimezone(dt.UTC).astimezone(ams)
            if back.replace(tzinfo=None) == local.replace(tzinfo=None, fold=0):
                found.add(local.astimezone(dt.UTC))
        return len(found) == 1

    spring, autumn = dt.date(2026, 3, 29), dt.date(2026, 10, 25)
    for hour in range(24):
        for minute in (0, 30, 59):
            ok = exists_once(spring, hour, minute) and exists_once(autumn, hour, minute)
            assert ok == (hour != 2), (hour, minute)


def test_a_daily_time_in_that_hour_stops_the_start_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL"))}
    env.update({"WAARBORG_DATA_DIR": str(tmp_path / "data"), "PYTHONWARNINGS": "ignore", "WAARBORG_DAILY_AT": "02:30"})
    result = subprocess.run(
        [sys.executable, "-m", "waarborg", "scheduler", "--once"], capture_output=True, text=True, env=env, timeout=120
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(lines) == 1
    assert "WAARBORG_DAILY_AT" in lines[0] and "02:00 and 02:59" in lines[0]
