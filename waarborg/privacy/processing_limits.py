"""What a subject may have stopped: restriction of processing (X2, art. 18) and the processing
stops of an objection (art. 21) or a withdrawal of consent (art. 7(3)).

A restriction marks the subject's rows restricted (only stored) and makes notice tasks for the
recipients of the data; lifting it tells the subject first. A stop switches one purpose off for
the subject's rows; other code asks `selectors.processing_allowed` before processing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.privacy import actions, notices
from waarborg.privacy.handling import AUDIT_PURPOSE, audit, lock_request, send_to_requester
from waarborg.privacy.models import PrivacyRequest, ProcessingStop, RecipientNotice, Restriction
from waarborg.privacy.notices import Notice
from waarborg.privacy.recipient_notices import notify_recipients
from waarborg.privacy.selectors import require_handler, require_person_handler
from waarborg.privacy.subject import clean_categories, current_subject_rows, subject_categories, subject_contact_account
from waarborg.privacy.validation import clean_free_text

# --- Restriction (X2) -------------------------------------------------------------------


@transaction.atomic
def restriction_apply(*, actor, request: PrivacyRequest, categories=None) -> list[Restriction]:
    """Mark the subject's data restricted (only stored) — all of it, or the categories named —
    and make a notice task for every recipient of those categories (X3)."""
    require_handler(actor)
    current = lock_request(request)
    actions.require_available(current, actions.APPLY_RESTRICTION)
    chosen = subject_categories(current) if categories is None else clean_categories(categories)
    if not chosen:
        raise ValidationError("privacy.categories_missing", field="categories")
    rows = current_subject_rows(current)
    if not rows:
        raise ValidationError("privacy.subject_data_gone", field="status")
    now = clock.now()
    made = []
    for key in rows:
        contact_id, account_id = subject_contact_account(key)
        made.append(
            Restriction.objects.create(
                request=current,
                subject_row=key,
                contact_id=contact_id,
                account_id=account_id,
                categories=chosen,
                started_at=now,
            )
        )
    touched = notify_recipients(current, chosen, RecipientNotice.Cause.RESTRICTION, now)
    audit(
        actor,
        "privacy.restriction.apply",
        current,
        object_type="privacy.restriction",
        ids=[r.pk for r in made],
        categories=chosen,
        notices=[n.pk for n in touched],
    )
    return made


@transaction.atomic
def restriction_lift(*, actor, request: PrivacyRequest, reason: str, by_post: bool = False) -> Notice:
    """Lift a restriction; the subject is told first (art. 18(3)), with the reason."""
    require_person_handler(actor)
    reason = clean_free_text(reason, field="reason", required=True)
    current = lock_request(request)
    actions.require_available(current, actions.LIFT_RESTRICTION)
    active = list(Restriction.objects.select_for_update().filter(request=current, lifted_at__isnull=True))
    text = notices.render(
        "restriction_lift", current.language, notices.base_context(current, current.language) | {"reason": reason}
    )
    now = clock.now()
    Restriction.objects.filter(pk__in=[r.pk for r in active]).update(lifted_at=now, lift_reason=reason)
    audit(actor, "privacy.restriction.lift", current, object_type="privacy.restriction", ids=[r.pk for r in active])
    emailed = send_to_requester(current, text, by_post=by_post)
    return Notice(request, text.subject, text.body, emailed)


# --- Objection and withdrawal (G4, G5) --------------------------------------------------


def stop_processing(
    request: PrivacyRequest, purposes: dict[str, tuple[str, ...]], now: dt.datetime
) -> list[ProcessingStop]:
    """Switch each purpose off (on the bases given) for every current row of the subject."""
    made = []
    for key in current_subject_rows(request):
        contact_id, account_id = subject_contact_account(key)
        for purpose, bases in purposes.items():
            made.append(
                ProcessingStop.objects.create(
                    request=request,
                    subject_row=key,
                    contact_id=contact_id,
                    account_id=account_id,
                    purpose=purpose,
                    bases=list(bases),
                    stopped_at=now,
                )
            )
    return made


@transaction.atomic
def processing_stop_lift(*, actor, stop: ProcessingStop) -> ProcessingStop:
    """Switch a stopped purpose back on (e.g. the subject gives consent again)."""
    require_person_handler(actor)
    current = ProcessingStop.objects.select_for_update().get(pk=stop.pk)
    if current.lifted_at is not None:
        raise ValidationError("privacy.stop_lifted_already", field="status")
    current.lifted_at = clock.now()
    current.save(update_fields=["lifted_at"])
    audit_record(
        actor=actor,
        action="privacy.stop.lift",
        purpose=AUDIT_PURPOSE,
        object_type="privacy.processingstop",
        object_ids=[current.pk],
        data={"purpose": current.purpose},
    )
    return current
