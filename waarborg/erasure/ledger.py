"""The erasure ledger: what was erased when, without the personal data itself.

Each erasure writes one entry — the ids of the rows it deleted, changed and locked, and keyed
hashes (HMAC with the identifier key) of the subject's identifiers — to the database and, after
the commit, as one line to the ledger file outside the database. The file is what survives
restoring an older database: `waarborg erasure replay` reads it, puts missing entries back and
erases again, in the restored data, whatever those entries had erased.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from waarborg.core.crypto import keyed_hash
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


def known_erasure(identifiers: dict[str, set[str]]) -> LedgerEntry | None:
    """The latest ledger entry that erased one of these identifiers, if any."""
    hashes = [h for _, h in hashes_of(identifiers)]
    if not hashes:
        return None
    return LedgerEntry.objects.filter(hashes__hash__in=hashes).order_by("-erased_at", "-pk").first()
