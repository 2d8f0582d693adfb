"""`waarborg backup create --out FILE`: an encrypted, consistent copy made while the service runs.

The file holds a tar stream, encrypted as it is written (waarborg.backup.container): the
database copy (waarborg.backup.database), the stored files of the data directory except the
identity-document copies (they are destroyed after the check and never go into a backup), and
last a manifest with the checksum of every member, the ids of the keys the data is under and the
erasure-ledger entries the database knew of. The plain copy of the database exists only in a
private temporary directory while the file is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from waarborg.audit.models import AuditHead
from waarborg.audit.services import audit_keys, audit_record
from waarborg.backup import database
from waarborg.backup.container import EncryptingWriter
from waarborg.backup.lock import exclusive
from waarborg.backup.models import KeyState
from waarborg.backup.rotation import ID_COPIES, encryption_in_use
from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.crypto import key_id
from waarborg.core.errors import ConfigError, ValidationError
from waarborg.erasure.models import LedgerEntry

MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
EXCLUDED_DIRS = (ID_COPIES,)  # identity-document copies stay out of backups (G8)


@dataclass
class Created:
    path: Path
    files: int
    size: int
    created: str


def backup_key() -> str:
    secret = getattr(settings, "WAARBORG_BACKUP_KEY", "")
    if not secret:
        raise ConfigError("backup.key_missing", field="WAARBORG_BACKUP_KEY")
    return secret


class _Hashing:
    """Reads a file and hashes what was read."""

    def __init__(self, fh):
        self._fh = fh
        self.sha = hashlib.sha256()

    def read(self, size=-1):
        data = self._fh.read(size)
        self.sha.update(data)
        return data


def stored_files() -> list[tuple[str, Path]]:
    """(name in the backup, path) of every stored file that goes into a backup."""
    root = Path(settings.FILES_DIR)
    if not root.exists():
        return []
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in EXCLUDED_DIRS]
        for name in filenames:
            path = here / name
            if path.is_file() and not path.is_symlink():
                out.append((FILES_PREFIX + path.relative_to(root).as_posix(), path))
    return sorted(out)


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with path.open("rb") as fh:
        hashing = _Hashing(fh)
        tar.addfile(info, hashing)
    return {"sha256": hashing.sha.hexdigest(), "size": info.size}


def _key_facts() -> dict:
    states = dict(KeyState.objects.values_list("kind", "key_id"))
    head = AuditHead.objects.filter(pk=1).first()
    current_audit = key_id(settings.WAARBORG_AUDIT_KEY)
    in_use = encryption_in_use() | {key_id(settings.WAARBORG_ENCRYPTION_KEY)}
    return {
        "encryption": sorted(k for k in in_use if k),
        "unreadable_values": None in in_use,
        "identifier": states.get("identifier", key_id(settings.WAARBORG_IDENTIFIER_KEY)),
        "audit": sorted({k for k in ((head.key_id if head else ""), current_audit) if k}),
        "audit_held": sorted(audit_keys()),
    }


def _ledger_facts() -> list[str]:
    return sorted(str(u) for u in LedgerEntry.objects.filter(in_file=True).values_list("uid", flat=True))


def backup_create(out: Path, *, actor=CLI) -> Created:
    secret = backup_key()
    out = Path(out)
    if out.exists():
        raise ValidationError("backup.file_exists", field="out")
    if not out.parent.is_dir():
        raise ValidationError("backup.directory_missing", field="out")
    vendor = database.vendor()
    with exclusive("backup"):
        created = clock.now().isoformat()
        manifest = {"format": 1, "created": created, "vendor": vendor, "excluded": list(EXCLUDED_DIRS)}
        manifest["keys"] = _key_facts()  # read before the copy: nothing rotates while the lock is held
        manifest["ledger"] = _ledger_facts()  # every entry here is in the copy too
        partial = out.with_name(f".{out.name}.partial")
        with tempfile.TemporaryDirectory(prefix="waarborg-backup-") as tmp:
            dump = Path(tmp) / database.DUMP_NAMES[vendor]
            database.dump(dump)
            members: dict[str, dict] = {}
            try:
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as raw:
                    writer = EncryptingWriter(raw, secret, meta={"created": created, "vendor": vendor})
                    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                        members[dump.name] = _add(tar, dump.name, dump)
                        dump.unlink()
                        for name, path in stored_files():
                            members[name] = _add(tar, name, path)
                        manifest["members"] = members
                        body = Path(tmp) / MANIFEST
                        body.write_text(json.dumps(manifest, sort_keys=True, indent=1))
                        _add(tar, MANIFEST, body)
                    writer.close()
                    raw.flush()
                    os.fsync(raw.fileno())
                os.replace(partial, out)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
    with transaction.atomic():  # the event in a transaction of its own
        audit_record(
            actor=actor,
            action="backup.created",
            object_type="backup",
            data={"files": len(members) - 1, "vendor": vendor},
        )
    return Created(out, len(members) - 1, out.stat().st_size, created)
