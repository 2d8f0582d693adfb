"""Writing and verifying the audit trail.

The chain: hash_n = HMAC(audit key, hash_{n-1} | canonical JSON of event n). Without the key an
attacker who can write the database still cannot forge a consistent chain after changing,
inserting or deleting an event; the head row catches a cut-off tail.

Key rotation splits the chain into segments. A new `WAARBORG_AUDIT_KEY` starts a segment with a
boundary event (`audit.key_rotated`, naming both key ids) whose hash is chained under both keys:
HMAC(new key, HMAC(old key, hash_{n-1} | event) | event). Verifying needs every segment's key
(the current one and `WAARBORG_AUDIT_KEYS_OLD`); whoever holds only an old key cannot rewrite
the old segment unnoticed, because the boundary after it is keyed with the new key too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from waarborg.audit.models import AuditEvent, AuditHead
from waarborg.core import clock
from waarborg.core.actors import CLI, SYSTEM, actor_label
from waarborg.core.crypto import key_id
from waarborg.core.errors import ConfigError, ValidationError

GENESIS = "0" * 64
BOUNDARY = "audit.key_rotated"

# Free text in an event may not carry personal values (B1): refuse what looks like one.
_LOOKS_PERSONAL = [
    re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I),  # e-mail address
    re.compile(r"\+?\d[\d\s-]{7,}\d"),  # phone number, IBAN digits, BSN
    re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{4}\d{6,}", re.I),  # IBAN
    re.compile(r"\b\d{4}\s?[A-Z]{2}\b"),  # Dutch postcode
    re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b"),  # IPv4 address
]


def refuse_personal(text: str, what: str) -> None:
    for pattern in _LOOKS_PERSONAL:
        if pattern.search(text or ""):
            raise ValidationError("audit.personal_data", {"field": what}, field=what)


def in_callers_transaction() -> bool:
    """Is the caller inside a transaction of its own? A test case's wrapping transaction does not
    count (Django marks it `_from_testcase`), so tests see the same rule as production."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def actor_of(viewer) -> str:
    """The audit trail's name for an actor (see waarborg.core.actors.actor_label)."""
    return actor_label(viewer)


def _payload(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "purpose": event.purpose,
        "reason": event.reason,
        "object_type": event.object_type,
        "object_ids": [str(i) for i in event.object_ids],
        "subject_ref": event.subject_ref,
        "data": event.data,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def _chain_hash(prev_hash: str, event: AuditEvent, key: str | None = None) -> str:
    secret = (key or settings.WAARBORG_AUDIT_KEY).encode()
    return hmac.new(secret, prev_hash.encode() + b"|" + _payload(event), hashlib.sha256).hexdigest()


def _boundary_hash(prev_hash: str, event: AuditEvent, old_key: str, new_key: str) -> str:
    return _chain_hash(_chain_hash(prev_hash, event, old_key), event, new_key)


def audit_keys() -> dict[str, str]:
    """The audit keys this installation holds, by id: the current key and the old ones."""
    keys = [settings.WAARBORG_AUDIT_KEY, *(getattr(settings, "WAARBORG_AUDIT_KEYS_OLD", []) or [])]
    return {key_id(k): k for k in keys if k}


def _append(head: AuditHead, event: AuditEvent) -> AuditEvent:
    event.save(force_insert=True)
    head.seq = event.seq
    head.hash = event.hash
    return event


def _new_segment(head: AuditHead) -> None:
    """The head is under another key than the current one: write the boundary event first.

    Without the old key (not in WAARBORG_AUDIT_KEYS_OLD) the boundary is written under the new
    key alone and marked unattested: the trail goes on, and `audit verify` reports the gap."""
    current = settings.WAARBORG_AUDIT_KEY
    old = audit_keys().get(head.key_id)
    event = AuditEvent(
        seq=head.seq + 1,
        at=clock.now(),
        actor=SYSTEM,
        action=BOUNDARY,
        object_type="audit.auditevent",
        data={"from_key": head.key_id, "to_key": key_id(current), "attested": old is not None},
        prev_hash=head.hash,
    )
    if old is not None:
        event.hash = _boundary_hash(head.hash, event, old, current)
    else:
        event.hash = _chain_hash(head.hash, event, current)
    _append(head, event)
    head.key_id = key_id(current)


def audit_record(
    *,
    actor,
    action: str,
    purpose: str = "",
    reason: str = "",
    object_type: str = "",
    object_ids=(),
    subject_ref: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event, inside the transaction of the change it records (refused outside one:
    an event must never outlive a change that was rolled back, nor a change go unrecorded)."""
    if not in_callers_transaction():
        raise RuntimeError("audit_record runs inside the caller's transaction (transaction.atomic)")
    refuse_personal(reason, "reason")
    if action == BOUNDARY:
        raise ValidationError("audit.boundary_reserved", field="action")
    data = data or {}
    refuse_personal(json.dumps(data, default=str), "data")
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        current_id = key_id(settings.WAARBORG_AUDIT_KEY)
        if head.seq and head.key_id and head.key_id != current_id:
            _new_segment(head)
        head.key_id = current_id
        event = AuditEvent(
            seq=head.seq + 1,
            at=clock.now(),
            actor=actor_of(actor),
            action=action,
            purpose=purpose,
            reason=reason,
            object_type=object_type,
            object_ids=[str(i) for i in object_ids],
            subject_ref=subject_ref,
            data=data,
            prev_hash=head.hash,
        )
        event.hash = _chain_hash(head.hash, event)
        _append(head, event)
        head.save(update_fields=["seq", "hash", "key_id"])
    return event


@transaction.atomic
def audit_rotate_key(*, actor=CLI) -> dict:
    """Start the segment of the current audit key now (`waarborg keys rotate --kind audit`).

    Refuses (ConfigError) when the old key is not configured: the boundary must be attested."""
    current_id = key_id(settings.WAARBORG_AUDIT_KEY)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        previous = head.key_id
        if not head.seq or previous in ("", current_id):
            return {"from_key": previous or current_id, "to_key": current_id, "boundary": None}
        if previous not in audit_keys():
            raise ConfigError("audit.key_missing", {"key": previous}, field="WAARBORG_AUDIT_KEYS_OLD")
    event = audit_record(actor=actor, action="audit.key_rotation_done", object_type="audit.auditevent")
    return {"from_key": previous, "to_key": current_id, "boundary": event.seq - 1}


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad: int | None = None
    problem: str = ""
    segments: int = 1


def audit_head() -> tuple[int, str]:
    head = AuditHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else (0, GENESIS)


def _first_key_id(head_key: str) -> str:
    first = AuditEvent.objects.filter(action=BOUNDARY).order_by("seq").first()
    if first is not None and (first.data or {}).get("from_key"):
        return first.data["from_key"]
    return head_key or key_id(settings.WAARBORG_AUDIT_KEY)


def _check_event(event: AuditEvent, prev_hash: str, segment: str, keys: dict[str, str]) -> tuple[str, str]:
    """(problem or "", the key id of the segment after this event)."""
    data = event.data or {}
    if event.action == BOUNDARY and data.get("to_key"):
        new_id, old_id = data["to_key"], data.get("from_key", "")
        if old_id != segment:
            return f"event #{event.seq} starts a key segment that does not follow the one before it", new_id
        if new_id not in keys:
            return f"event #{event.seq} starts a segment under audit key {new_id}, which is not configured", new_id
        if not data.get("attested") or old_id not in keys:
            if _chain_hash(prev_hash, event, keys[new_id]) != event.hash:
                return f"event #{event.seq} was changed or inserted (its hash does not match)", new_id
            return (
                f"event #{event.seq} starts a key segment the previous audit key ({old_id}) did not attest: "
                "put it in WAARBORG_AUDIT_KEYS_OLD",
                new_id,
            )
        if _boundary_hash(prev_hash, event, keys[old_id], keys[new_id]) != event.hash:
            return f"event #{event.seq} was changed or inserted (its hash does not match)", new_id
        return "", new_id
    if segment not in keys:
        return (
            f"event #{event.seq} is under audit key {segment}, which is neither WAARBORG_AUDIT_KEY "
            "nor in WAARBORG_AUDIT_KEYS_OLD",
            segment,
        )
    if _chain_hash(prev_hash, event, keys[segment]) != event.hash:
        return f"event #{event.seq} was changed or inserted (its hash does not match)", segment
    return "", segment


def audit_verify(*, batch: int = 5000) -> VerifyResult:
    """Walk the chain in order; name the first event that was changed, inserted or deleted.

    The walk covers the events up to the head read at the start, so that events appended
    meanwhile are not mistaken for insertions; a row beyond the head read *afterwards* is one.
    Each key segment is checked with its own key, each boundary with both.
    """
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    keys = audit_keys()
    segment = _first_key_id(head.key_id if head else "")
    segments = 1
    expected_seq = 1
    prev_hash = GENESIS
    checked = 0
    for event in AuditEvent.objects.filter(seq__lte=head_seq).order_by("seq").iterator(chunk_size=batch):
        checked += 1
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"event #{expected_seq} is missing (deleted)", segments)
        if event.prev_hash != prev_hash:
            return VerifyResult(
                False,
                checked,
                event.seq,
                f"event #{event.seq} does not follow its predecessor (inserted or reordered)",
                segments,
            )
        problem, next_segment = _check_event(event, prev_hash, segment, keys)
        if problem:
            return VerifyResult(False, checked, event.seq, problem, segments)
        if next_segment != segment:
            segments += 1
            segment = next_segment
        prev_hash = event.hash
        expected_seq += 1
    if expected_seq - 1 != head_seq:
        return VerifyResult(
            False, checked, expected_seq, f"event #{expected_seq} is missing (deleted from the end)", segments
        )
    if prev_hash != head_hash:
        return VerifyResult(
            False, checked, head_seq, f"event #{head_seq} does not match the chain's head (changed)", segments
        )
    if head is not None and head.key_id and head_seq and head.key_id != segment:
        return VerifyResult(
            False, checked, head_seq, "the chain's head names another audit key than its last segment", segments
        )
    later_head, _ = audit_head()
    beyond = AuditEvent.objects.filter(seq__gt=later_head).order_by("seq").first()
    if beyond is not None:
        return VerifyResult(
            False,
            checked,
            beyond.seq,
            f"event #{beyond.seq} was inserted (it lies beyond the chain's head)",
            segments,
        )
    return VerifyResult(True, checked, segments=segments)
