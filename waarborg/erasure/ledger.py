"""The erasure ledger: what was erased when, without the personal data itself.

Each erasure writes one entry — the ids of the rows it deleted, changed and locked, and keyed
hashes (HMAC with the identifier key) of the subject's identifiers — to the database and, after
the commit, as one line to the ledger file outside the database. The file is what survives
restoring an older database: `waarborg erasure replay` reads it, puts missing entries back and
erases again, in the restored data, whatever those entries had erased.

Rotating the identifier key cannot hash an erased identifier again (its plaintext is gone), so
it carries each stored hash over as HMAC(new key, old hash), in the database and in the file
(`ledger_rekey_file`); each line names the key it is under. Matching an identifier therefore
compares against its hash under every chain of kept keys (`identifier_hashes`).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from waarborg.core.crypto import key_id, keyed_hash, keyed_hash_candidates, rekeyed_hash
from waarborg.erasure.models import LedgerEntry, LedgerHash

log = logging.getLogger(__name__)

HASH_PURPOSE = "erasure-ledger"
HASHED_KINDS = ("email", "phone", "customer_number", "ip", "iban", "name", "domain")


def ledger_path() -> Path:
    """The ledger file; keep it on storage that is backed up apart from the database."""
    configured = getattr(settings, "WAARBORG_ERASURE_LEDGER", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "erasure-ledger.jsonl"


def identifier_hash(kind: str, value: str) -> str:
    return keyed_hash(f"{kind}:{str(value).strip().lower()}", purpose=HASH_PURPOSE)


def identifier_hashes(kind: str, value: str) -> list[str]:
    """Every form this identifier's hash can have in the ledger (before and after rotations)."""
    return keyed_hash_candidates(f"{kind}:{str(value).strip().lower()}", purpose=HASH_PURPOSE)


def rekeyed(stored: str) -> str:
    """A ledger hash carried over to the current identifier key."""
    return rekeyed_hash(stored, purpose=HASH_PURPOSE)


def hashes_of(identifiers: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted(
        {
            (kind, identifier_hash(kind, v))
            for kind, values in identifiers.items()
            if kind in HASHED_KINDS
            for v in values
        }
    )


def ledger_write(*, case, source: str, erased_at, subjects, rows, identifiers) -> LedgerEntry:
    """Record an erasure (inside its transaction); the file line follows after the commit."""
    entry = LedgerEntry.objects.create(
        case_id=getattr(case, "pk", None),
        source=source,
        erased_at=erased_at,
        subjects=list(subjects),
        rows=rows,
    )
    LedgerHash.objects.bulk_create([LedgerHash(entry=entry, kind=k, hash=h) for k, h in hashes_of(identifiers)])
    transaction.on_commit(ledger_export)
    return entry


def _line(entry: LedgerEntry) -> str:
    return json.dumps(
        {
            "uid": str(entry.uid),
            "case_id": entry.case_id,
            "source": entry.source,
            "erased_at": entry.erased_at.isoformat(),
            "subjects": entry.subjects,
            "rows": entry.rows,
            "hashes": [[h.kind, h.hash] for h in entry.hashes.order_by("kind", "hash")],
            "key": key_id(settings.WAARBORG_IDENTIFIER_KEY),
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def ledger_export() -> int:
    """Append the entries not yet in the ledger file (after their commit); returns how many."""
    pending = list(LedgerEntry.objects.filter(in_file=False).order_by("erased_at", "pk"))
    if not pending:
        return 0
    path = ledger_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as fh:
            for entry in pending:  # a line written twice (a crash before the flag) is read once: by uid
                fh.write(_line(entry) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        log.warning("the erasure ledger file cannot be written (%s); retried by the daily job", exc.strerror)
        return 0
    LedgerEntry.objects.filter(pk__in=[e.pk for e in pending]).update(in_file=True)
    return len(pending)


def read_file_entries() -> list[dict]:
    path = ledger_path()
    if not path.exists():
        return []
    out = []
    with path.open() as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError:
                log.warning("erasure ledger line %s is not valid JSON; skipped", number)
    return out


def ledger_rekey_file(from_key: str) -> int:
    """Carry the file's hashes under `from_key` (a key id) over to the current identifier key.

    Lines already under the current key are left as they are, so a rotation that stopped can run
    again. The new file is written beside the old one and then put in its place. Returns how many
    lines were carried over."""
    path = ledger_path()
    if not path.exists():
        return 0
    current = key_id(settings.WAARBORG_IDENTIFIER_KEY)
    changed = 0
    lines = []
    with path.open() as fh:
        for line in fh:
            text = line.strip()
            if not text:
                continue
            try:
                data = json.loads(text)
            except ValueError:
                lines.append(text)  # kept as it was; the replay skips it too
                continue
            if data.get("key", from_key) == from_key and from_key != current:
                data["hashes"] = [[kind, rekeyed(h)] for kind, h in data.get("hashes", [])]
                data["key"] = current
                changed += 1
                text = json.dumps(data, sort_keys=True, separators=(",", ":"))
            lines.append(text)
    if not changed:
        return 0
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ledger-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write("".join(t + "\n" for t in lines))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise
    return changed


def known_erasure(identifiers: dict[str, set[str]]) -> LedgerEntry | None:
    """The latest ledger entry that erased one of these identifiers, if any."""
    hashes = [
        h
        for kind, values in identifiers.items()
        if kind in HASHED_KINDS
        for v in values
        for h in identifier_hashes(kind, v)
    ]
    if not hashes:
        return None
    return LedgerEntry.objects.filter(hashes__hash__in=hashes).order_by("-erased_at", "-pk").first()
