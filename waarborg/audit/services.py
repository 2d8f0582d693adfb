"""Writing and verifying the audit trail.

The chain: hash_n = HMAC(audit key, hash_{n-1} | canonical JSON of event n). Without the key an
attacker who can write the database still cannot forge a consistent chain after changing,
inserting or deleting an event; the head row catches a cut-off tail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from waarborg.audit.models import AuditEvent, AuditHead
from waarborg.core import clock
from waarborg.core.errors import ValidationError

GENESIS = "0" * 64

# Free text in an event may not carry personal values (B1): refuse what looks like one.
_LOOKS_PERSONAL = [
    re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I),  # e-mail address
    re.compile(r"\+?\d[\d\s-]{7,}\d"),  # phone number, IBAN digits, BSN
    re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{4}\d{6,}", re.I),  # IBAN
    re.compile(r"\b\d{4}\s?[A-Z]{2}\b"),  # Dutch postcode
    re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b"),  # IPv4 address
]


def _refuse_personal(text: str, what: str) -> None:
    for pattern in _LOOKS_PERSONAL:
        if pattern.search(text or ""):
            raise ValidationError(f"the audit {what} may not contain personal data", field=what)


def actor_of(viewer) -> str:
    if viewer is None:
        return "system"
    if isinstance(viewer, str):
        return viewer
    return f"account:{viewer.pk}"


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


def _chain_hash(prev_hash: str, event: AuditEvent) -> str:
    key = settings.WAARBORG_AUDIT_KEY.encode()
    return hmac.new(key, prev_hash.encode() + b"|" + _payload(event), hashlib.sha256).hexdigest()


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
    """Append one event. Call it inside the transaction of the change it records."""
    _refuse_personal(reason, "reason")
    data = data or {}
    _refuse_personal(json.dumps(data, default=str), "data")
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
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
        event.save(force_insert=True)
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad: int | None = None
    problem: str = ""


def audit_head() -> tuple[int, str]:
    head = AuditHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else (0, GENESIS)


def audit_verify(*, batch: int = 5000) -> VerifyResult:
    """Walk the chain in order; name the first event that was changed, inserted or deleted.

    The walk covers the events up to the head read at the start, so that events appended
    meanwhile are not mistaken for insertions; a row beyond the head read *afterwards* is one.
    """
    head_seq, head_hash = audit_head()
    expected_seq = 1
    prev_hash = GENESIS
    checked = 0
    for event in AuditEvent.objects.filter(seq__lte=head_seq).order_by("seq").iterator(chunk_size=batch):
        checked += 1
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"event #{expected_seq} is missing (deleted)")
        if event.prev_hash != prev_hash:
            return VerifyResult(
                False, checked, event.seq, f"event #{event.seq} does not follow its predecessor (inserted or reordered)"
            )
        if _chain_hash(prev_hash, event) != event.hash:
            return VerifyResult(
                False, checked, event.seq, f"event #{event.seq} was changed or inserted (its hash does not match)"
            )
        prev_hash = event.hash
        expected_seq += 1
    if expected_seq - 1 != head_seq:
        return VerifyResult(False, checked, expected_seq, f"event #{expected_seq} is missing (deleted from the end)")
    if prev_hash != head_hash:
        return VerifyResult(False, checked, head_seq, f"event #{head_seq} does not match the chain's head (changed)")
    later_head, _ = audit_head()
    beyond = AuditEvent.objects.filter(seq__gt=later_head).order_by("seq").first()
    if beyond is not None:
        return VerifyResult(
            False, checked, beyond.seq, f"event #{beyond.seq} was inserted (it lies beyond the chain's head)"
        )
    return VerifyResult(True, checked)
