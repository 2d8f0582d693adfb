"""Telling the recipients of a subject's data (X3, art. 19).

A rectification, an erasure or a restriction makes a notice task for every registered
recipient whose data categories it touches (`notify_recipients`); the privacy officer marks
each done, or waives it with the reason. A request closes only when none is open.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from waarborg.core import clock
from waarborg.core.actors import account_of
from waarborg.core.errors import ValidationError
from waarborg.privacy.handling import audit, lock_request, require_open
from waarborg.privacy.models import PrivacyRequest, RecipientNotice
from waarborg.privacy.selectors import require_handler
from waarborg.privacy.subject import categories_sorted
from waarborg.privacy.validation import clean_free_text
from waarborg.register.models import Recipient


def notify_recipients(request: PrivacyRequest, categories, cause: str, now: dt.datetime) -> list[RecipientNotice]:
    """A notice task for every registered recipient whose data categories overlap (X3)."""
    wanted = set(categories)
    touched = []
    for recipient in Recipient.objects.order_by("key"):
        overlap = wanted & set(recipient.clean_categories())
        if not overlap:
            continue
        notice = (
            RecipientNotice.objects.select_for_update()
            .filter(request=request, recipient=recipient, cause=cause, status=RecipientNotice.Status.OPEN)
            .first()
        )
        if notice is None:
            notice = RecipientNotice.objects.create(
                request=request,
                recipient=recipient,
                cause=cause,
                categories=categories_sorted(overlap),
                created_at=now,
            )
        else:
            notice.categories = categories_sorted(set(notice.categories) | overlap)
            notice.save(update_fields=["categories"])
        touched.append(notice)
    return touched


def _close_notice(actor, notice: RecipientNotice, *, status: str, note: str) -> RecipientNotice:
    require_handler(actor)
    current = RecipientNotice.objects.select_for_update().get(pk=notice.pk)
    request = lock_request(current.request)
    require_open(request)
    if current.status != RecipientNotice.Status.OPEN:
        raise ValidationError("privacy.notice_closed_already", field="status")
    current.status = status
    current.note = note
    current.closed_at = clock.now()
    current.closed_by = account_of(actor)
    current.save(update_fields=["status", "note", "closed_at", "closed_by"])
    audit(
        actor,
        f"privacy.notice.{status}",
        request,
        object_type="privacy.recipientnotice",
        ids=[current.pk],
        recipient=current.recipient_id,
        cause=current.cause,
    )
    return current


@transaction.atomic
def recipient_notice_done(*, actor, notice: RecipientNotice, note: str = "") -> RecipientNotice:
    """The recipient has been told (how: `note`, e.g. the ticket number at the processor)."""
    return _close_notice(actor, notice, status=RecipientNotice.Status.DONE, note=clean_free_text(note, field="note"))


@transaction.atomic
def recipient_notice_waive(*, actor, notice: RecipientNotice, reason: str) -> RecipientNotice:
    """Not told, with the reason (art. 19: impossible, or a disproportionate effort)."""
    reason = clean_free_text(reason, field="reason", required=True)
    return _close_notice(actor, notice, status=RecipientNotice.Status.WAIVED, note=reason)
