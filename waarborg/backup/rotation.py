"""Key rotation: `waarborg keys rotate --kind encryption|identifier|audit`.

- encryption: every encrypted column (EncryptedTextField) and every stored ID copy is encrypted
  again under `WAARBORG_ENCRYPTION_KEY`; meanwhile the old keys (`WAARBORG_ENCRYPTION_KEYS_OLD`)
  still read, so the service stays open. Batches commit one by one: a stopped run leaves every
  value readable and the next run finishes it.
- identifier: keyed hashes with a kept plaintext (IBANs) are hashed again; those without one
  (the erasure ledger, in the database and its file, API tokens, one-time links) are carried
  over as HMAC(new key, old hash) — lookups hash under every chain of kept keys, so the old
  identifier keys stay configured (waarborg.core.crypto). One transaction for the database.
- audit: the chain starts a new segment (waarborg.audit.services).

Each run is recorded (KeyRotation) and audited; one runs at a time (waarborg.backup.lock).
An old key may be dropped `WAARBORG_BACKUP_DAYS` after the rotation that replaced it finished:
by then every backup made under it has been pruned (`dropping_dates`).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from waarborg.audit.models import AuditHead
from waarborg.audit.services import audit_head, audit_keys, audit_record, audit_rotate_key
from waarborg.backup.lock import exclusive
from waarborg.backup.models import KINDS, KeyRotation, KeyState
from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.crypto import (
    EncryptedTextField,
    encrypted_under_current,
    encryption_key_readable,
    encryption_keys,
    identifier_keys,
    key_id,
    keyed_hash,
    reencrypt,
    rekeyed_hash,
)
from waarborg.core.errors import ConfigError, ValidationError
from waarborg.core.identifiers import normalise_iban
from waarborg.erasure.ledger import ledger_export, ledger_rekey_file

BATCH = 500
ID_COPIES = "privacy-id"

# Keyed hashes whose plaintext is gone: carried over as HMAC(new key, old hash).
REKEYED = (
    ("erasure.LedgerHash", "hash", "erasure-ledger"),
    ("api.ApiToken", "token_hash", "api-token"),
    ("privacy.VerificationLink", "token_hash", "privacy-link"),
    ("privacy.DownloadLink", "token_hash", "privacy-download"),
    ("accounts.EnrolmentLink", "token_hash", "staff-enrolment"),
    ("accounts.EmailChangeLink", "token_hash", "email-change"),
)
# Keyed hashes of a value the row still holds (decrypted): hashed again. (model, hash, source, purpose)
RECOMPUTED = (("billing.PaymentMethod", "iban_hash", "iban", "iban"),)


# --- what is encrypted ----------------------------------------------------------------------


def encrypted_columns() -> list[tuple]:
    """(model, field) for every EncryptedTextField of the installed models."""
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def _raw_values(model, field, after=None):
    """(pk, stored token) in pk order, a batch at a time, read as stored (not decrypted)."""
    qn = connection.ops.quote_name
    table, column, pk = qn(model._meta.db_table), qn(field.column), qn(model._meta.pk.column)
    sql = f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''"  # noqa: S608 (names from the model)
    params: list = []
    if after is not None:
        sql += f" AND {pk} > %s"
        params.append(after)
    with connection.cursor() as cur:
        cur.execute(sql + f" ORDER BY {pk} LIMIT {BATCH}", params)
        return cur.fetchall()


def _id_copies() -> list[Path]:
    folder = Path(settings.FILES_DIR) / ID_COPIES
    return sorted(p for p in folder.glob("*.fernet") if p.is_file()) if folder.exists() else []


def encryption_in_use() -> set[str]:
    """The ids of the keys the stored values are under (None for a value no kept key opens)."""
    found: set = set()
    for model, field in encrypted_columns():
        after = None
        while rows := _raw_values(model, field, after):
            found |= {encryption_key_readable(token) for _, token in rows}
            after = rows[-1][0]
    found |= {encryption_key_readable(p.read_text("ascii")) for p in _id_copies()}
    return found


def _rewrite_file(path: Path, content: str) -> None:
    """Replace a file's content: the new file goes in place, then the old bytes are overwritten."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rotate-")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        old = os.open(path, os.O_RDWR)
        try:
            size = os.fstat(old).st_size
            os.replace(tmp, path)
            os.pwrite(old, b"\0" * size, 0)  # the replaced inode: its bytes are gone too
            os.fsync(old)
        finally:
            os.close(old)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise


def _reencrypt_all() -> dict[str, int]:
    counts = {"values": 0, "id_copies": 0}
    for model, field in encrypted_columns():
        qn = connection.ops.quote_name
        update = (
            f"UPDATE {qn(model._meta.db_table)} SET {qn(field.column)} = %s "  # noqa: S608
            f"WHERE {qn(model._meta.pk.column)} = %s AND {qn(field.column)} = %s"
        )
        after = None
        while rows := _raw_values(model, field, after):
            with transaction.atomic(), connection.cursor() as cur:
                for pk, token in rows:
                    if not encrypted_under_current(token):
                        cur.execute(update, [reencrypt(token), pk, token])
                        counts["values"] += 1
            after = rows[-1][0]
    for path in _id_copies():
        token = path.read_text("ascii")
        if not encrypted_under_current(token):
            _rewrite_file(path, reencrypt(token))
            counts["id_copies"] += 1
    return counts


# --- keyed hashes ---------------------------------------------------------------------------


def _state(kind: str) -> KeyState:
    current = {
        "encryption": settings.WAARBORG_ENCRYPTION_KEY,
        "identifier": settings.WAARBORG_IDENTIFIER_KEY,
        "audit": settings.WAARBORG_AUDIT_KEY,
    }[kind]
    state, _ = KeyState.objects.get_or_create(kind=kind, defaults={"key_id": key_id(current), "since": clock.now()})
    return state


def _check_identifier_chain(data_key: str) -> None:
    """The data's key must be the last old key, and earlier rotations must follow the list's order."""
    ids = [key_id(k) for k in identifier_keys()]
    if data_key not in ids[:-1]:
        raise ConfigError("backup.identifier_key_not_old", {"key": data_key}, field="WAARBORG_IDENTIFIER_KEYS_OLD")
    if ids[-2] != data_key:
        raise ConfigError("backup.identifier_key_not_last", {"key": data_key}, field="WAARBORG_IDENTIFIER_KEYS_OLD")
    for r in KeyRotation.objects.filter(kind="identifier", finished_at__isnull=False):
        if r.from_key in ids and r.to_key in ids and ids.index(r.to_key) != ids.index(r.from_key) + 1:
            raise ConfigError("backup.identifier_keys_order", field="WAARBORG_IDENTIFIER_KEYS_OLD")


def _rekey_identifier(data_key: str) -> dict[str, int]:
    """In one transaction: every keyed hash of the database under the current identifier key."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for label, field, purpose in REKEYED:
            model = apps.get_model(label)
            rows = list(model._base_manager.exclude(**{field: ""}).only("pk", field))
            for row in rows:
                setattr(row, field, rekeyed_hash(getattr(row, field), purpose=purpose))
            model._base_manager.bulk_update(rows, [field], batch_size=BATCH)
            counts[label] = len(rows)
        for label, field, source, purpose in RECOMPUTED:
            model = apps.get_model(label)
            rows = list(model._base_manager.exclude(**{field: ""}).only("pk", field, source))
            for row in rows:
                plain = getattr(row, source)
                if label == "billing.PaymentMethod" and plain:
                    plain = normalise_iban(plain)
                value = getattr(row, field)
                setattr(
                    row, field, keyed_hash(plain, purpose=purpose) if plain else rekeyed_hash(value, purpose=purpose)
                )
            model._base_manager.bulk_update(rows, [field], batch_size=BATCH)
            counts[label] = len(rows)
        KeyState.objects.filter(kind="identifier").update(
            key_id=key_id(settings.WAARBORG_IDENTIFIER_KEY), since=clock.now()
        )
    ledger_export()  # entries not yet in the file go there under the new key
    return counts


def _rekey_file(data_key: str) -> int:
    return ledger_rekey_file(data_key)


# --- running a rotation ---------------------------------------------------------------------


def _run(kind: str, actor, *, from_key: str) -> KeyRotation:
    current = _current_id(kind)
    file_from = _unfinished_from(from_key) if kind == "identifier" else from_key
    rotation = KeyRotation.objects.create(
        kind=kind, from_key=from_key, to_key=current, actor=str(actor), started_at=clock.now()
    )
    if kind == "encryption":
        counts = _reencrypt_all()
        KeyState.objects.filter(kind="encryption").update(key_id=current, since=clock.now())
    elif kind == "identifier":
        counts = _rekey_identifier(from_key) if from_key != current else {}
        counts["ledger_file_lines"] = _rekey_file(file_from)
    else:
        result = audit_rotate_key(actor=actor)
        counts = {"boundary_event": result["boundary"] or 0}
        KeyState.objects.filter(kind="audit").update(key_id=current, since=clock.now())
    rotation.counts = counts
    rotation.finished_at = clock.now()
    rotation.save(update_fields=["counts", "finished_at"])
    with transaction.atomic():  # the event in a transaction of its own
        audit_record(
            actor=actor,
            action="keys.rotated",
            object_type="backup.keyrotation",
            object_ids=[rotation.pk],
            data={"kind": kind, "from_key": from_key, "to_key": current},
        )
    return rotation


def _current_id(kind: str) -> str:
    return key_id(
        {
            "encryption": settings.WAARBORG_ENCRYPTION_KEY,
            "identifier": settings.WAARBORG_IDENTIFIER_KEY,
            "audit": settings.WAARBORG_AUDIT_KEY,
        }[kind]
    )


def _unfinished_from(default: str) -> str:
    """For a rotation that stopped between the database and the file: the key it came from."""
    last = KeyRotation.objects.filter(kind="identifier").order_by("-started_at", "-pk").first()
    if last is not None and last.finished_at is None and last.from_key != last.to_key:
        return last.from_key
    return default


def rotate(kind: str, *, actor=CLI, locked: bool = False) -> KeyRotation:
    """Rotate one kind of key to the currently configured key (see the module's docstring)."""
    if kind not in KINDS:
        raise ValidationError("backup.key_kind_unknown", {"kind": kind}, field="kind")
    if not locked:
        with exclusive("rotation"):
            return rotate(kind, actor=actor, locked=True)
    state = _state(kind)
    from_key = state.key_id
    if kind == "encryption":
        missing = {k for k in encryption_in_use() if k is None}
        if missing:
            raise ConfigError("backup.encryption_key_missing", field="WAARBORG_ENCRYPTION_KEYS_OLD")
    elif kind == "identifier" and from_key != _current_id(kind):
        _check_identifier_chain(from_key)
    elif kind == "audit":
        head_key = _audit_head_key()
        if audit_head()[0] and head_key and head_key not in audit_keys():
            raise ConfigError("backup.audit_key_missing", {"key": head_key}, field="WAARBORG_AUDIT_KEYS_OLD")
        from_key = head_key or from_key
    return _run(kind, actor, from_key=from_key)


def _audit_head_key() -> str:
    head = AuditHead.objects.filter(pk=1).first()
    return head.key_id if head else ""


def dropping_dates(today: dt.date | None = None) -> list[dict]:
    """For each configured old key: when it may be dropped (None: data still needs it)."""
    today = today or clock.today()
    days = settings.WAARBORG_BACKUP_DAYS
    out = []
    configured = {
        "encryption": [key_id(k) for k in encryption_keys()[1:]],
        "identifier": [key_id(k) for k in identifier_keys()[:-1]],
        "audit": [k for k in audit_keys() if k != _current_id("audit")],
    }
    for kind, ids in configured.items():
        for kid in ids:
            done = (
                KeyRotation.objects.filter(kind=kind, from_key=kid, finished_at__isnull=False)
                .order_by("-finished_at")
                .first()
            )
            if kind != "encryption":
                date, why = None, "kept for good: hashes and the audit trail made under it are checked with it"
            elif done is None:
                date, why = None, "not rotated away yet: run `waarborg keys rotate --kind encryption`"
            else:
                date = done.finished_at.astimezone(clock.AMSTERDAM).date() + dt.timedelta(days=days)
                why = f"the last backup made under it is pruned {days} days after the rotation"
            out.append(
                {"kind": kind, "key": kid, "drop_from": date, "why": why, "may_drop": bool(date and date <= today)}
            )
    return out
