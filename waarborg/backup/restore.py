"""`waarborg backup verify FILE` and `waarborg backup restore FILE`.

Verifying decrypts the whole file, checks every member against the manifest and checks that
this installation holds the keys the data is under (a backup of another installation is refused).

Restoring does everything that can refuse first — the file checked in full, the database empty,
the live erasure ledger (`WAARBORG_ERASURE_LEDGER`, never a copy from the backup) present and
knowing every erasure the backup knew — then loads the database, brings it up to date
(`migrate`), puts the stored files back, carries the data over to the current keys where it was
made under older ones, and replays the erasure ledger, so that nobody erased comes back. Until
the replay has run, a marker in the data directory makes `waarborg check` fail.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from waarborg.audit.services import audit_keys, audit_record
from waarborg.backup import database
from waarborg.backup.container import BackupError, DecryptingReader
from waarborg.backup.create import EXCLUDED_DIRS, FILES_PREFIX, MANIFEST, backup_key
from waarborg.backup.lock import exclusive
from waarborg.backup.models import KeyState
from waarborg.backup.rotation import rotate
from waarborg.core.actors import CLI
from waarborg.core.crypto import encryption_keys, identifier_keys, key_id
from waarborg.core.errors import ConfigError
from waarborg.erasure.ledger import ledger_path, read_file_entries
from waarborg.erasure.replay import erasure_replay

MARKER = "restore-incomplete"


class RestoreRefused(BackupError):
    """The backup is sound but cannot be restored here as things stand."""


@dataclass
class Checked:
    manifest: dict
    members: int
    staged: Path | None = None
    counts: dict = field(default_factory=dict)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _read(path: Path, stage: Path | None) -> Checked:
    """Decrypt and walk the whole file; with `stage`, write the members there."""
    secret = backup_key()
    try:
        fh = Path(path).open("rb")
    except OSError as exc:
        raise BackupError("backup.unreadable", {"reason": exc.strerror}) from None
    seen: dict[str, dict] = {}
    manifest = None
    with fh:
        reader = io.BufferedReader(DecryptingReader(fh, secret), buffer_size=1024 * 1024)
        try:
            tar = tarfile.open(fileobj=reader, mode="r|")
            for member in tar:
                if manifest is not None:
                    raise BackupError("backup.members_after_manifest")
                if not member.isfile() or not _safe_name(member.name) or member.name in seen:
                    raise BackupError("backup.member_not_allowed")
                source = tar.extractfile(member)
                sha = hashlib.sha256()
                target = None
                if stage is not None and member.name != MANIFEST:
                    dest = stage / member.name
                    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    target = os.fdopen(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
                body = bytearray() if member.name == MANIFEST else None
                try:
                    while chunk := source.read(1024 * 1024):
                        sha.update(chunk)
                        if target is not None:
                            target.write(chunk)
                        if body is not None:
                            body += chunk
                finally:
                    if target is not None:
                        target.close()
                seen[member.name] = {"sha256": sha.hexdigest(), "size": member.size}
                if body is not None:
                    manifest = json.loads(bytes(body))
        except tarfile.TarError:
            raise BackupError("backup.contents_damaged") from None
        except ValueError:
            raise BackupError("backup.manifest_damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != 1:
        raise BackupError("backup.no_manifest")
    expected = manifest.get("members") or {}
    del seen[MANIFEST]
    if set(expected) != set(seen):
        raise BackupError("backup.members_mismatch")
    for name, facts in expected.items():
        if seen[name] != facts:
            raise BackupError("backup.member_checksum")
    return Checked(manifest, len(seen), stage)


def _compatible(manifest: dict) -> None:
    """This installation holds the keys the backed-up data is under, and the same database."""
    keys = manifest.get("keys") or {}
    held = {
        "encryption": {key_id(k) for k in encryption_keys()},
        "identifier": {key_id(k) for k in identifier_keys()},
        "audit": set(audit_keys()),
    }
    wanted = {
        "encryption": set(keys.get("encryption") or []),
        "identifier": {keys.get("identifier")},
        "audit": set(keys.get("audit") or []),
    }
    for kind in ("encryption", "identifier", "audit"):
        missing = sorted(k for k in wanted[kind] - held[kind] if k)
        if missing or not wanted[kind]:
            raise RestoreRefused("backup.key_not_held", {"kind": kind, "keys": ", ".join(missing) or "?"})
    if manifest.get("vendor") != database.vendor():
        raise RestoreRefused(
            "backup.other_vendor", {"backup_vendor": manifest.get("vendor"), "vendor": database.vendor()}
        )


def backup_verify(path: Path) -> Checked:
    checked = _read(path, None)
    _compatible(checked.manifest)
    return checked


def _live_ledger(manifest: dict) -> Path:
    if not getattr(settings, "WAARBORG_ERASURE_LEDGER", ""):
        raise ConfigError("backup.ledger_not_set", field="WAARBORG_ERASURE_LEDGER")
    path = ledger_path()
    if not path.is_file():
        raise ConfigError("backup.ledger_file_missing", field="WAARBORG_ERASURE_LEDGER")
    entries = read_file_entries()
    known = {str(e.get("uid")) for e in entries}
    if set(manifest.get("ledger") or []) - known:
        raise RestoreRefused("backup.ledger_not_live")
    held = {key_id(k) for k in identifier_keys()}
    if {str(e["key"]) for e in entries if e.get("key")} - held:
        raise RestoreRefused("backup.ledger_key_not_held")
    return path


def _put_files(stage: Path) -> int:
    root = stage / FILES_PREFIX.rstrip("/")
    if not root.exists():
        return 0
    target_root = Path(settings.FILES_DIR)
    count = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if relative.parts[0] in EXCLUDED_DIRS:
            continue
        target = target_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(target))
        count += 1
    return count


def _catch_up_keys(actor) -> dict:
    """Data of the backup made under older keys goes over to the current ones."""
    done = {}
    states = dict(KeyState.objects.values_list("kind", "key_id"))
    if states.get("identifier", key_id(settings.WAARBORG_IDENTIFIER_KEY)) != key_id(settings.WAARBORG_IDENTIFIER_KEY):
        done["identifier"] = rotate("identifier", actor=actor, locked=True).counts
    if states.get("encryption", key_id(settings.WAARBORG_ENCRYPTION_KEY)) != key_id(settings.WAARBORG_ENCRYPTION_KEY):
        done["encryption"] = rotate("encryption", actor=actor, locked=True).counts
    return done


def backup_restore(path: Path, *, actor=CLI) -> Checked:
    """Restore into an empty database, then replay the live erasure ledger (see the docstring)."""
    backup_key()
    marker = Path(settings.DATA_DIR) / MARKER
    with exclusive("restore"):
        stage = Path(tempfile.mkdtemp(prefix="waarborg-restore-"))
        try:
            checked = _read(path, stage)
            _compatible(checked.manifest)
            _live_ledger(checked.manifest)
            if not database.is_empty():
                raise RestoreRefused("backup.database_not_empty")
            marker.write_text(checked.manifest.get("created", "") + "\n")
            database.load(stage / database.DUMP_NAMES[checked.manifest["vendor"]])
            call_command("migrate", verbosity=0, interactive=False)
            checked.counts["files"] = _put_files(stage)
        finally:
            shutil.rmtree(stage, ignore_errors=True)  # before the replay's residual scan
        checked.counts["keys"] = _catch_up_keys(actor)
        replay = erasure_replay(actor=actor)
        checked.counts.update(replay)
        with transaction.atomic():  # the event in a transaction of its own
            audit_record(
                actor=actor,
                action="backup.restored",
                object_type="backup",
                data={"erased_again": replay["erased_again"], "files": checked.counts["files"]},
            )
        marker.unlink(missing_ok=True)
    return checked
