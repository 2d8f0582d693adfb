"""The audit trail's verify status for the back office, cached for a minute.

Walking the whole hash chain costs time in proportion to the trail, so the audit-trail page does
not verify on every view: it shows the result of the last walk (at most CACHE_SECONDS old, with
the moment it was made), and the privacy officer can start a fresh walk with a button.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from waarborg.audit.models import AuditEvent
from waarborg.audit.services import GENESIS, audit_verify
from waarborg.core import clock

CACHE_KEY = "backoffice:audit-verify"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class VerifyStatus:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    first_bad: int | None
    problem: str
    checked_at: object  # an aware datetime


def _fresh() -> VerifyStatus:
    result = audit_verify()
    head_seq, head_hash = 0, GENESIS
    if result.ok and result.checked:
        # The walk covered events 1..checked; the last one's hash is the head it verified.
        head_seq = result.checked
        head_hash = AuditEvent.objects.values_list("hash", flat=True).get(seq=head_seq)
    return VerifyStatus(
        ok=result.ok,
        checked=result.checked,
        head_seq=head_seq,
        head_hash=head_hash,
        first_bad=result.first_bad,
        problem=result.problem,
        checked_at=clock.now(),
    )


def verify_status(*, fresh: bool = False) -> VerifyStatus:
    """The last verify result when it is under a minute old (unless `fresh`), else a new one."""
    if not fresh:
        cached = cache.get(CACHE_KEY)
        if cached is not None:
            return cached
    status = _fresh()
    cache.set(CACHE_KEY, status, CACHE_SECONDS)
    return status
