"""`waarborg backup prune --dir D`: backups older than `WAARBORG_BACKUP_DAYS` are deleted.

So erased data ages out of the backups too: a backup taken before an erasure is gone at most
that many days after it. The age is the creation time in each file's header (the file's time on
disk can change when it is copied); a file that is not a backup is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.backup.container import BackupError, read_header
from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.errors import ValidationError


@dataclass
class Pruned:
    kept: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def _created(path: Path) -> dt.datetime | None:
    try:
        with path.open("rb") as fh:
            header, _ = read_header(fh)
        return dt.datetime.fromisoformat(header["created"])
    except (OSError, BackupError, KeyError, ValueError, TypeError):
        return None


def backup_prune(directory: Path, *, actor=CLI, now: dt.datetime | None = None) -> Pruned:
    directory = Path(directory)
    if not directory.is_dir():
        raise ValidationError("backup.prune_directory_missing", field="dir")
    limit = (now or clock.now()) - dt.timedelta(days=settings.WAARBORG_BACKUP_DAYS)
    result = Pruned()
    for path in sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")):
        created = _created(path)
        if created is None:
            result.skipped.append(path)
        elif created < limit:
            path.unlink()
            result.deleted.append(path)
        else:
            result.kept.append(path)
    if result.deleted:
        with transaction.atomic():  # the event in a transaction of its own
            audit_record(
                actor=actor, action="backup.pruned", object_type="backup", data={"deleted": len(result.deleted)}
            )
    return result
