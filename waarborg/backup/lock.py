"""One key rotation, backup or restore at a time.

A file lock in the data directory (released by the system when the process ends, however it
ends) and, on PostgreSQL, an advisory lock as well, so that two servers sharing the database
cannot rotate at the same time either.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from django.conf import settings
from django.db import connection

from waarborg.core.errors import WaarborgError
from waarborg.core.messages.backup import TASKS
from waarborg.core.messages.words import InWords

_ADVISORY = 0x57414152  # "WAAR"


class Busy(WaarborgError):
    """Another rotation, backup or restore holds the lock."""


@contextlib.contextmanager
def exclusive(what: str):
    """Hold the lock for the block; `what` is the task (a key of messages.backup.TASKS)."""
    path = Path(settings.DATA_DIR) / "keys.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy("backup.busy", {"task": InWords(TASKS.get(what, what))}) from None
        advisory = connection.vendor == "postgresql"
        if advisory:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_try_advisory_lock(%s)", [_ADVISORY])
                if not cur.fetchone()[0]:
                    raise Busy("backup.busy", {"task": InWords(TASKS.get(what, what))})
        try:
            yield
        finally:
            if advisory:
                with contextlib.suppress(Exception), connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY])
    finally:
        os.close(fd)
