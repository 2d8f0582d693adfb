"""One daily run at a time, across processes and hosts.

On PostgreSQL a session-level advisory lock, held on a connection of its own (so that nothing the
jobs do to their connection lets it go, and a process that dies lets it go with its connection);
on SQLite an exclusive file lock in the data directory. A second daily run waits for the lock up
to WAARBORG_DAILY_LOCK_WAIT seconds, then gives up with one line naming the run that holds it.
"""

from __future__ import annotations

import fcntl
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from waarborg.core import clock
from waarborg.operations.models import DailyRun

# pg_try_advisory_lock's key: "Waarborg daily" in one 63-bit number, the same on every host.
ADVISORY_KEY = 0x5761_6172_6461_696C
LOCK_FILE = "daily-run.lock"
POLL_SECONDS = 0.2
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later


class DailyRunBusy(Exception):
    """Another process holds the daily lock; the message names its run."""

    exit_code = EXIT_BUSY


class _AdvisoryLock:
    def __init__(self):
        self.db = connections.create_connection("default")

    def try_acquire(self) -> bool:
        with self.db.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            return bool(cursor.fetchone()[0])

    def release(self) -> None:
        try:
            with self.db.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
        finally:
            self.close()

    def close(self) -> None:
        self.db.close()  # closing the session lets the lock go in any case


class _FileLock:
    def __init__(self, path: Path):
        self.file = open(path, "a+")  # held open for as long as the lock

    def try_acquire(self) -> bool:
        try:
            fcntl.flock(self.file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        try:
            fcntl.flock(self.file.fileno(), fcntl.LOCK_UN)
        finally:
            self.close()

    def close(self) -> None:
        self.file.close()


def _lock():
    if connection.vendor == "postgresql":
        return _AdvisoryLock()
    return _FileLock(Path(settings.DATA_DIR) / LOCK_FILE)


@contextmanager
def daily_lock(wait: float | None = None):
    """Hold the daily lock for the block; DailyRunBusy when it stays taken for `wait` seconds."""
    wait = settings.WAARBORG_DAILY_LOCK_WAIT if wait is None else wait
    lock = _lock()
    deadline = time.monotonic() + max(wait, 0)
    try:
        while not lock.try_acquire():
            left = deadline - time.monotonic()
            if left <= 0:
                raise DailyRunBusy(busy_line(wait))
            time.sleep(min(POLL_SECONDS, left))
    except BaseException:
        lock.close()
        raise
    try:
        yield
    finally:
        lock.release()


def busy_line(wait: float) -> str:
    """One line: which run holds the lock (its id, day, start, host and process)."""
    holder = DailyRun.objects.filter(status=DailyRun.Status.RUNNING).order_by("-started_at", "-pk").first()
    gave_up = f"gave up after waiting {wait:g} s"
    if holder is None:
        return f"another daily run holds the lock and has not recorded its run yet; {gave_up}"
    started = holder.started_at.astimezone(clock.AMSTERDAM).strftime("%Y-%m-%d %H:%M:%S %Z")
    where = f"host {holder.host or 'unknown'}, pid {holder.pid if holder.pid is not None else 'unknown'}"
    return (
        f"another daily run holds the lock: run {holder.pk} for {holder.day.isoformat()}, "
        f"started {started} ({where}); {gave_up}"
    )
