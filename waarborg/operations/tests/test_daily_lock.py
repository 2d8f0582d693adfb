"""Only one daily run at a time, across processes and hosts: a second one waits, then exits 75
with one line naming the run that holds the lock (its id, day, start, host and pid)."""

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from waarborg.operations.locks import ADVISORY_KEY, LOCK_FILE, daily_lock
from waarborg.operations.models import DailyRun
from waarborg.testing.checks import unchanged

DAY = dt.date(2026, 3, 4)


class Holder(threading.Thread):
    """Holds the daily lock on a connection of its own (another thread), with a running run."""

    def __init__(self):
        super().__init__(daemon=True)
        self.held = threading.Event()
        self.release = threading.Event()
        self.run_pk = None
        self.error = None

    def run(self):
        try:
            with daily_lock(wait=0):
                record = DailyRun.objects.create(
                    day=DAY, trigger="scheduler", started_at=timezone.now(), host="host-a", pid=4242
                )
                self.run_pk = record.pk
                self.held.set()
                self.release.wait(30)
                DailyRun.objects.filter(pk=record.pk).update(status=DailyRun.Status.OK, finished_at=timezone.now())
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            self.error = exc
            self.held.set()
        finally:
            connection.close()


@pytest.fixture
def holder(committed_db):
    thread = Holder()
    thread.start()
    assert thread.held.wait(10) and thread.error is None, thread.error
    yield thread
    thread.release.set()
    thread.join(10)


def test_a_second_scheduler_is_refused_while_the_first_holds_the_lock(holder, settings):
    """On SQLite the file lock in the data directory, on PostgreSQL the advisory lock."""
    settings.WAARBORG_DAILY_LOCK_WAIT = 0.5
    started = time.monotonic()
    with unchanged(), pytest.raises(CommandError) as busy:
        call_command("scheduler", "--once", "--as-of", DAY.isoformat(), stdout=StringIO())
    waited = time.monotonic() - started
    assert busy.value.returncode == 75
    line = str(busy.value)
    assert "\n" not in line
    assert f"run {holder.run_pk} for 2026-03-04" in line and "host host-a, pid 4242" in line
    assert "started 20" in line
    assert waited >= 0.5  # it waited for the lock before giving up
    assert _lock_is_held(settings)
    assert list(DailyRun.objects.values_list("pk", flat=True)) == [holder.run_pk]  # nothing else ran


def test_the_daily_command_is_refused_too(holder, settings):
    settings.WAARBORG_DAILY_LOCK_WAIT = 0
    with unchanged(), pytest.raises(CommandError) as busy:
        call_command("daily", "--as-of", DAY.isoformat(), "--only", "statement", stdout=StringIO())
    assert busy.value.returncode == 75 and f"run {holder.run_pk} for 2026-03-04" in str(busy.value)
    assert DailyRun.objects.count() == 1


def test_a_second_run_that_waits_long_enough_goes_ahead_once_the_first_is_done(holder, settings):
    settings.WAARBORG_DAILY_LOCK_WAIT = 20
    threading.Timer(0.5, holder.release.set).start()
    call_command("daily", "--as-of", DAY.isoformat(), "--only", "statement", stdout=StringIO())
    first, second = DailyRun.objects.order_by("pk")
    assert first.pk == holder.run_pk and first.finished_at is not None
    assert second.started_at >= first.finished_at  # one after the other, never at once
    assert second.status == DailyRun.Status.OK and second.pid == os.getpid()


def _lock_is_held(settings) -> bool:
    """The holder's lock as the database or the file system sees it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND ((classid::bigint << 32) | objid::bigint) = %s",
                [ADVISORY_KEY],
            )
            return cursor.fetchone()[0] == 1
    import fcntl

    with open(settings.DATA_DIR / LOCK_FILE, "a+") as probe:
        try:
            fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(probe.fileno(), fcntl.LOCK_UN)
        return False


def _env(data_dir, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL"))}
    env.update({"WAARBORG_DATA_DIR": str(data_dir), "PYTHONWARNINGS": "ignore", "WAARBORG_MAIL": "file", **extra})
    return env


@pytest.fixture(scope="module")
def sqlite_data(tmp_path_factory):
    """A data directory with a migrated SQLite database, for the tests with real processes."""
    data = tmp_path_factory.mktemp("processes") / "data"
    assert (
        subprocess.run([sys.executable, "-m", "waarborg", "migrate", "-v0"], env=_env(data), timeout=300).returncode
        == 0
    )
    return data


def _finished_runs(data) -> list[tuple]:
    with sqlite3.connect(data / "waarborg.sqlite3") as db:
        return db.execute(
            "SELECT id, day, status, trigger FROM operations_dailyrun WHERE finished_at IS NOT NULL ORDER BY id"
        ).fetchall()


def test_two_scheduler_processes_on_sqlite_one_waits_and_gives_up_with_exit_75(sqlite_data, tmp_path):
    """Two real processes on one SQLite database: the file lock in the data directory."""
    data, env = sqlite_data, _env(sqlite_data)
    held, release = tmp_path / "held", tmp_path / "release"
    first = subprocess.Popen(
        [sys.executable, "-m", "waarborg.operations.tests.lock_holder", DAY.isoformat(), str(held), str(release)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not held.exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        assert held.exists(), first.communicate(timeout=5)
        second = subprocess.run(
            [sys.executable, "-m", "waarborg", "scheduler", "--once", "--as-of", DAY.isoformat()],
            env=_env(data, WAARBORG_DAILY_LOCK_WAIT="1"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        lines = [line for line in second.stderr.splitlines() if line.strip()]
        assert second.returncode == 75, second.stderr
        assert len(lines) == 1 and "Traceback" not in second.stderr
        assert "run 1 for 2026-03-04" in lines[0]
        assert f"host {socket.gethostname()}, pid {first.pid}" in lines[0]
        assert (data / "daily-run.lock").exists()
        assert _finished_runs(data) == []  # the second one ran nothing
    finally:
        release.write_text("go")
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert "daily run 1 for 2026-03-04: ok" in out and "test-hold: held=1" in out
    assert _finished_runs(data) == [(1, "2026-03-04", "ok", "scheduler")]


def test_the_long_running_scheduler_runs_the_day_and_stops_on_sigterm(sqlite_data):
    """`waarborg scheduler`: its first round runs the day that is due; SIGTERM ends it cleanly."""
    first_day = _amsterdam_today()
    yesterday = (dt.date.fromisoformat(first_day) - dt.timedelta(days=1)).isoformat()
    with sqlite3.connect(sqlite_data / "waarborg.sqlite3") as db:  # ran yesterday: only today is due
        db.execute(
            "INSERT INTO operations_dailyrun (day, trigger, started_at, finished_at, status, counts, failures, "
            "partial, host, pid) VALUES (?, 'command', ?, ?, 'ok', '{}', '{}', 0, '', NULL)",
            [yesterday, f"{yesterday} 02:30:00", f"{yesterday} 02:31:00"],
        )
    before = len(_finished_runs(sqlite_data))
    process = subprocess.Popen(
        [sys.executable, "-m", "waarborg", "scheduler"],
        env=_env(sqlite_data, WAARBORG_DAILY_AT="00:00"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while len(_finished_runs(sqlite_data)) == before and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        runs = _finished_runs(sqlite_data)[before:]
        assert len(runs) == 1, process.poll()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "scheduler started: daily jobs at 00:00" in err and "scheduler stopped" in err
    (run_id, day, status, trigger) = runs[0]
    assert status == "ok" and trigger == "scheduler"
    assert day in {first_day, _amsterdam_today()}  # today (after 00:00): the day that was due


def _amsterdam_today() -> str:
    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()
