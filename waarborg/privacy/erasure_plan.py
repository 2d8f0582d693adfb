"""The erasure plan of an erasure request (G3): the erasure engine proposes what it will erase
(data categories and row counts per model, never values), a privacy officer approves or rejects
it, and the engine reports the approved plan carried out. Approval makes notice tasks for the
recipients of the categories (X3).
"""

from __future__ import annotations

import re

from django.db import transaction

from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.privacy import actions
from waarborg.privacy.handling import audit, copy_into, lock_request
from waarborg.privacy.models import PrivacyRequest, RecipientNotice
from waarborg.privacy.recipient_notices import notify_recipients
from waarborg.privacy.selectors import require_handler, require_person_handler
from waarborg.privacy.subject import clean_categories
from waarborg.privacy.validation import clean_free_text

Plan = PrivacyRequest.Plan


def _clean_summary(summary) -> dict[str, int]:
    clean = {}
    for label, count in (summary or {}).items():
        if not isinstance(label, str) or not re.fullmatch(r"[a-z_]+\.[A-Za-z]+", label):
            raise ValidationError("privacy.plan_labels", field="summary")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError("privacy.plan_counts", field="summary")
        clean[label] = count
    return dict(sorted(clean.items()))


@transaction.atomic
def erasure_plan_submit(*, actor, request: PrivacyRequest, categories, summary: dict | None = None) -> PrivacyRequest:
    """The erasure engine proposes what it will erase: data categories and row counts per model
    (never values). A proposed or rejected plan may be replaced."""
    require_handler(actor)
    current = lock_request(request)
    actions.require_available(current, actions.SUBMIT_ERASURE_PLAN)
    chosen = clean_categories(categories)
    current.erasure_plan = {"categories": chosen, "rows": _clean_summary(summary)}
    current.erasure_plan_status = Plan.PROPOSED
    current.erasure_plan_reviewed_at = None
    current.erasure_plan_reviewed_by = None
    current.save(
        update_fields=["erasure_plan", "erasure_plan_status", "erasure_plan_reviewed_at", "erasure_plan_reviewed_by"]
    )
    audit(actor, "privacy.erasure.plan", current, categories=chosen, rows=current.erasure_plan["rows"])
    return copy_into(request, current)


@transaction.atomic
def erasure_plan_review(*, actor, request: PrivacyRequest, approve: bool, note: str = "") -> PrivacyRequest:
    """A privacy officer approves the plan (notice tasks for the recipients of the categories;
    the back office then has the engine execute it) or rejects it with a note."""
    require_person_handler(actor)
    note = clean_free_text(note, field="note", required=not approve)
    current = lock_request(request)
    actions.require_available(current, actions.REVIEW_ERASURE_PLAN)
    now = clock.now()
    current.erasure_plan_status = Plan.APPROVED if approve else Plan.REJECTED
    current.erasure_plan_reviewed_at = now
    current.erasure_plan_reviewed_by = actor
    if note:
        current.erasure_plan = {**current.erasure_plan, "review_note": note}
    current.save(
        update_fields=["erasure_plan_status", "erasure_plan_reviewed_at", "erasure_plan_reviewed_by", "erasure_plan"]
    )
    touched = []
    if approve:
        touched = notify_recipients(
            current, current.erasure_plan.get("categories", []), RecipientNotice.Cause.ERASURE, now
        )
    audit(
        actor,
        "privacy.erasure.review",
        current,
        result=current.erasure_plan_status,
        notices=[n.pk for n in touched],
    )
    return copy_into(request, current)


@transaction.atomic
def erasure_plan_executed(*, actor, request: PrivacyRequest, summary: dict | None = None) -> PrivacyRequest:
    """The engine reports the approved plan carried out (rows erased per model)."""
    require_handler(actor)
    current = lock_request(request)
    actions.require_available(current, actions.RECORD_ERASURE)
    current.erasure_plan_status = Plan.EXECUTED
    current.erasure_plan = {**current.erasure_plan, "erased": _clean_summary(summary)}
    current.save(update_fields=["erasure_plan_status", "erasure_plan"])
    audit(actor, "privacy.erasure.executed", current, rows=current.erasure_plan["erased"])
    return copy_into(request, current)
