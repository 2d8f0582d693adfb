"""The steps every privacy-request service shares: lock the request, check its state, record
the audit event, answer the requester.

Every service validates its input first, then writes and records an audit event in one
transaction: a refused call leaves nothing behind. Audit events name ids, codes and fields,
never a personal value or a free-text reason. Mail to the requester is sent last inside the
transaction, so a request is marked answered only when the answer went out.

The lifecycle, by module: `intake.privacy_request_create` (any channel; a portal request is
verified by the session) → `identity.privacy_request_start_verification` (one-time link to an
e-mail address on file, else an ID-copy upload link) → `identity.privacy_request_verify_email_link`
/ `identity.id_document_upload` + `identity.id_document_review` → the type's own steps
(`rectification`, `processing_limits`, `erasure_plan`, `recipient_notices`) →
`answers.privacy_request_complete`, or `answers.privacy_request_refuse` at any point;
`answers.privacy_request_extend` once, within the first four weeks. Which of these a request
offers now is decided in `actions`.
"""

from __future__ import annotations

import datetime as dt

from waarborg.audit.services import audit_record
from waarborg.core.actors import System
from waarborg.core.errors import NotFound, ValidationError
from waarborg.core.messages.privacy import REQUEST_STATUSES, REQUEST_TYPES
from waarborg.core.messages.words import Named
from waarborg.customers.models import Contact
from waarborg.customers.services import customer_ref
from waarborg.privacy import deadlines, notices
from waarborg.privacy.models import PrivacyRequest, VerificationLink

AUDIT_PURPOSE = "U14"  # statutory obligations: handling rights requests (GDPR art. 12–22)

# The requester acting without signing in (the public form, a one-time link): `subject` in the
# audit trail.
SUBJECT = System("subject")


def _subject_ref(request: PrivacyRequest) -> str:
    if request.contact_id:
        customer_id = Contact.objects.filter(pk=request.contact_id).values_list("customer_id", flat=True).first()
        if customer_id:
            return customer_ref(customer_id)
    return f"privacyrequest:{request.pk}"


def audit(actor, action: str, request: PrivacyRequest, *, object_type="privacy.privacyrequest", ids=None, **data):
    """Record an event about `request` (or one of its rows: `object_type`, `ids`) in the audit trail."""
    audit_record(
        actor=actor,
        action=action,
        purpose=AUDIT_PURPOSE,
        object_type=object_type,
        object_ids=ids if ids is not None else [request.pk],
        subject_ref=_subject_ref(request),
        data={"request": request.number, **data},
    )


def lock_request(request: PrivacyRequest) -> PrivacyRequest:
    """The request as stored now, locked for the rest of the transaction."""
    try:
        return PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    except PrivacyRequest.DoesNotExist:
        raise NotFound("privacy.request_not_found", {"pk": request.pk}) from None


def require_open(request: PrivacyRequest) -> None:
    """Refuse a step on a request that has been answered or refused."""
    if not request.is_open:
        raise ValidationError(
            "privacy.request_closed",
            {"number": request.number, "status": Named(REQUEST_STATUSES, request.status)},
            field="status",
        )


def require_verified(request: PrivacyRequest) -> None:
    """Refuse a step that waits for the requester's identity check (or a closed request)."""
    require_open(request)
    if not request.is_verified:
        raise ValidationError("privacy.not_verified", field="status")


def require_type(request: PrivacyRequest, type_: str) -> None:
    """Refuse a step that belongs to another type of request."""
    if request.type != type_:
        raise ValidationError("privacy.wrong_type", {"type": Named(REQUEST_TYPES, type_)}, field="type")


def copy_into(target: PrivacyRequest, source: PrivacyRequest) -> PrivacyRequest:
    """Bring the caller's instance up to date with the row a service changed."""
    for f in PrivacyRequest._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def unpause(request: PrivacyRequest, now: dt.datetime) -> None:
    """Stop the pause of the internal count (awaiting the requester), adding the days it lasted."""
    if request.paused_since is not None:
        request.paused_days += max(
            (deadlines.received_date(now) - deadlines.received_date(request.paused_since)).days, 0
        )
        request.paused_since = None


def revoke_links(request: PrivacyRequest, now: dt.datetime) -> int:
    """Revoke the request's unused identity-check links; the number revoked."""
    return VerificationLink.objects.filter(request=request, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )


def send_to_requester(request: PrivacyRequest, text: notices.Text, *, by_post: bool) -> bool:
    """E-mail the text to the requester, unless it goes by post; True when e-mailed."""
    if by_post:
        return False
    if not request.email:
        raise ValidationError("privacy.no_email_send_by_post", field="by_post")
    notices.send([request.email], text)
    return True
