"""The requester's identity (G8): the lightest check that suffices.

`privacy_request_start_verification` sends a one-time confirmation link to an e-mail address on
file, else a one-time link to upload a redacted ID copy. The requester follows it
(`privacy_request_verify_email_link`, `id_document_upload`); a privacy officer reviews an ID copy
(`id_document_review`), or records a check made another way (`privacy_request_verify_by_staff`).
A link's token is random and only its keyed hash is stored; an ID copy is stored encrypted and
destroyed at the review, or `ID_DOCUMENT_DAYS` after the upload at the latest.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from waarborg.accounts.models import Account
from waarborg.core import clock
from waarborg.core.access import is_customer_viewer
from waarborg.core.actors import SYSTEM, is_system
from waarborg.core.crypto import keyed_hash, keyed_hash_matches
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.privacy import actions, notices, storage
from waarborg.privacy.handling import SUBJECT, audit, copy_into, lock_request, revoke_links, unpause
from waarborg.privacy.models import IdDocument, PrivacyRequest, VerificationLink
from waarborg.privacy.selectors import require_intake, require_person_handler
from waarborg.privacy.validation import clean_free_text

LINK_HOURS = 72
LINK_MAX_ATTEMPTS = 5  # wrong tokens before a link locks
ID_DOCUMENT_DAYS = 7  # an ID copy is destroyed at the latest this many days after the upload
UNCONFIRMED_DAYS = 14  # a public form's request not confirmed by then is closed (privacy.unconfirmed)

# Where the public pages answer the one-time links (the screens route these paths).
VERIFY_PATH = "/privacyverzoek/bevestigen/{link}/{token}/"
UPLOAD_PATH = "/privacyverzoek/identiteit/{link}/{token}/"

Status = PrivacyRequest.Status
Method = PrivacyRequest.Method


def _token_hash(token: str) -> str:
    return keyed_hash(token or "", purpose="privacy-link")


def _link_url(link: VerificationLink, token: str) -> str:
    path = VERIFY_PATH if link.kind == VerificationLink.Kind.EMAIL_LINK else UPLOAD_PATH
    return settings.WAARBORG_SITE_URL + path.format(link=link.public_id, token=token)


def _destroy(document: IdDocument, now: dt.datetime) -> None:
    storage.destroy(document.stored_name)
    document.stored_name = ""
    document.destroyed_at = now


def destroy_pending_documents(request: PrivacyRequest, now: dt.datetime) -> list[int]:
    """Destroy every ID copy of the request still held (the request closes); their ids."""
    destroyed = []
    for document in IdDocument.objects.select_for_update().filter(request=request, destroyed_at__isnull=True):
        _destroy(document, now)
        document.save(update_fields=["stored_name", "destroyed_at"])
        destroyed.append(document.pk)
    return destroyed


def _mark_verified(request: PrivacyRequest, *, method: str, by: Account | None, now: dt.datetime) -> None:
    request.verification_method = method
    request.verified_at = now
    request.verified_by = by
    request.status = Status.IN_PROGRESS
    unpause(request, now)
    revoke_links(request, now)


# --- Starting the check -----------------------------------------------------------------


@dataclass(frozen=True)
class VerificationStart:
    request: PrivacyRequest
    link: VerificationLink
    kind: str
    emailed: bool
    url: str  # only when it was not e-mailed (to send by post); never shown after e-mailing


@transaction.atomic
def privacy_request_start_verification(*, actor, request: PrivacyRequest) -> VerificationStart:
    """Send the lightest identity check that suffices: a one-time confirmation link to an e-mail
    address on file; otherwise a one-time link to upload a redacted ID copy (to the address the
    requester gave, or — without one — returned for a letter). A newer link replaces older ones.
    """
    require_intake(actor)
    if not is_system(actor) and is_customer_viewer(actor):
        raise PermissionDenied("privacy.customer_verified_by_session")
    current = lock_request(request)
    actions.require_available(current, actions.START_VERIFICATION)
    now = clock.now()
    on_file = current.email_on_file and bool(current.email)
    kind = VerificationLink.Kind.EMAIL_LINK if on_file else VerificationLink.Kind.ID_UPLOAD
    replaced = revoke_links(current, now)
    token = secrets.token_urlsafe(32)
    link = VerificationLink.objects.create(
        request=current,
        kind=kind,
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=now + dt.timedelta(hours=LINK_HOURS),
    )
    current.status = Status.AWAITING_ID
    if current.paused_since is None:
        current.paused_since = now
    current.save(update_fields=["status", "paused_since"])
    url = _link_url(link, token)
    emailed = bool(current.email)
    audit(actor, "privacy.verification.start", current, kind=kind, link=link.pk, emailed=emailed, replaced=replaced)
    if emailed:
        name = "verify_email" if kind == VerificationLink.Kind.EMAIL_LINK else "id_upload"
        context = notices.base_context(current, current.language) | {
            "url": url,
            "link_hours": LINK_HOURS,
            "id_days": ID_DOCUMENT_DAYS,
            # A request from the public form nobody confirms is closed (waarborg.privacy.unconfirmed).
            "unconfirmed_days": UNCONFIRMED_DAYS if current.channel == PrivacyRequest.Channel.FORM else None,
        }
        notices.send([current.email], notices.render(name, current.language, context))
    copy_into(request, current)
    return VerificationStart(request, link, kind, emailed, "" if emailed else url)


# --- The one-time links ------------------------------------------------------------------


def _check_link(public_id, token: str, kind: str) -> int:
    """Check a one-time link before use; a wrong token counts against the link (and is kept)."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("privacy.link_invalid") from None
    refused = None
    with transaction.atomic():
        link = (
            VerificationLink.objects.select_for_update()
            .select_related("request")
            .filter(public_id=public_id, kind=kind)
            .first()
        )
        if link is None:
            raise NotFound("privacy.link_invalid")
        _link_usable(link)
        if not keyed_hash_matches(link.token_hash, token or "", purpose="privacy-link"):
            link.failed_attempts += 1
            link.save(update_fields=["failed_attempts"])
            if link.failed_attempts >= LINK_MAX_ATTEMPTS:
                audit(
                    SUBJECT,
                    "privacy.link.locked",
                    link.request,
                    object_type="privacy.verificationlink",
                    ids=[link.pk],
                )
            refused = ValidationError("privacy.link_invalid", field="token")
    if refused is not None:
        raise refused
    return link.pk


def _link_usable(link: VerificationLink) -> None:
    if link.request.status == Status.UNCONFIRMED:
        # Closed by the daily run because nobody confirmed it (waarborg.privacy.unconfirmed).
        raise ValidationError("privacy.closed_unconfirmed", {"days": UNCONFIRMED_DAYS}, field="token")
    if link.used_at is not None:
        raise ValidationError("privacy.link_used", field="token")
    if link.revoked_at is not None:
        raise ValidationError("privacy.link_replaced", field="token")
    if clock.now() >= link.expires_at:
        raise ValidationError("privacy.link_expired", {"hours": LINK_HOURS}, field="token")
    if link.failed_attempts >= LINK_MAX_ATTEMPTS:
        raise ValidationError("privacy.link_locked", field="token")
    if not link.request.is_open:
        raise ValidationError("privacy.closed", field="token")


def _take_link(pk: int) -> tuple[VerificationLink, PrivacyRequest]:
    link = VerificationLink.objects.select_for_update().select_related("request").get(pk=pk)
    _link_usable(link)
    request = lock_request(link.request)
    if request.is_verified:
        raise ValidationError("privacy.already_verified", field="token")
    link.used_at = clock.now()
    link.save(update_fields=["used_at"])
    return link, request


@transaction.atomic
def privacy_request_verify_by_staff(*, actor, request: PrivacyRequest, note: str) -> PrivacyRequest:
    """The privacy officer establishes identity without an ID copy (a request by post or phone).

    The lightest check that suffices (LAW: customer number plus details only the customer
    knows, or a letter matching the address on file). `note` says how — never the details
    themselves, and never a document number.
    """
    require_person_handler(actor)
    note = clean_free_text(note, field="note")
    if not note:
        raise ValidationError("privacy.say_how_checked", field="note")
    current = lock_request(request)
    actions.require_available(current, actions.VERIFY_BY_STAFF)
    now = clock.now()
    _mark_verified(current, method=Method.STAFF_CHECK, by=actor, now=now)
    current.save()
    audit(actor, "privacy.request.verify", current, method=Method.STAFF_CHECK)
    copy_into(request, current)
    return current


def privacy_request_verify_email_link(*, link_id, token: str) -> PrivacyRequest:
    """The requester opened the one-time link sent to their address on file: verified."""
    pk = _check_link(link_id, token, VerificationLink.Kind.EMAIL_LINK)
    with transaction.atomic():
        link, request = _take_link(pk)
        now = clock.now()
        _mark_verified(request, method=Method.EMAIL_LINK, by=None, now=now)
        request.save()
        audit(SUBJECT, "privacy.verification.email_link", request, link=link.pk, result="verified")
    return request


# --- ID copies --------------------------------------------------------------------------


def id_document_upload(
    *, link_id, token: str, content: bytes, content_type: str, redaction_confirmed: bool
) -> IdDocument:
    """Store an uploaded (redacted) ID copy, encrypted, for a privacy officer to review.

    The requester confirms that photo, MRZ, document number and BSN are blacked out; the copy
    is destroyed at the review, or 7 days after the upload at the latest.
    """
    if not redaction_confirmed:
        raise ValidationError("privacy.redaction_unconfirmed", field="redaction_confirmed")
    storage.check_upload(content, content_type)
    pk = _check_link(link_id, token, VerificationLink.Kind.ID_UPLOAD)
    stored = storage.store(content)
    try:
        with transaction.atomic():
            link, request = _take_link(pk)
            document = IdDocument.objects.create(
                request=request,
                link=link,
                stored_name=stored,
                content_type=content_type,
                size=len(content),
                redaction_confirmed=True,
                uploaded_at=clock.now(),
            )
            audit(
                SUBJECT,
                "privacy.id.upload",
                request,
                object_type="privacy.iddocument",
                ids=[document.pk],
                content_type=content_type,
                size=len(content),
            )
    except BaseException:
        storage.destroy(stored)
        raise
    return document


def id_document_read(*, actor, document: IdDocument) -> bytes:
    """The decrypted copy, for the privacy officer's review (each reading is audited)."""
    require_person_handler(actor)
    with transaction.atomic():
        current = IdDocument.objects.select_related("request").get(pk=document.pk)
        if current.destroyed_at is not None or not current.stored_name:
            raise ValidationError("privacy.id_document_destroyed", field="document")
        audit(actor, "privacy.id.read", current.request, object_type="privacy.iddocument", ids=[current.pk])
    return storage.read(current.stored_name)


@transaction.atomic
def id_document_review(*, actor, document: IdDocument, verified: bool) -> PrivacyRequest:
    """A privacy officer's decision on an ID copy; the copy is destroyed either way.

    Verified: the request is verified (method, time, handler and result are kept). Not verified
    (unreadable, not redacted, not the person): a new link can be sent, or the request refused.
    """
    require_person_handler(actor)
    current = IdDocument.objects.select_for_update().select_related("request").get(pk=document.pk)
    if current.destroyed_at is not None:
        raise ValidationError("privacy.id_document_destroyed_already", field="document")
    request = lock_request(current.request)
    actions.require_available(request, actions.REVIEW_ID_DOCUMENT)
    now = clock.now()
    current.reviewed_at = now
    current.reviewed_by = actor
    current.result = IdDocument.Result.VERIFIED if verified else IdDocument.Result.REJECTED
    if verified and not request.is_verified:
        _mark_verified(request, method=Method.ID_DOCUMENT, by=actor, now=now)
        request.save()
    audit(
        actor,
        "privacy.id.review",
        request,
        object_type="privacy.iddocument",
        ids=[current.pk],
        result=current.result,
    )
    _destroy(current, now)
    current.save(update_fields=["reviewed_at", "reviewed_by", "result", "stored_name", "destroyed_at"])
    audit(actor, "privacy.id.destroy", request, object_type="privacy.iddocument", ids=[current.pk], why="reviewed")
    for f in ("reviewed_at", "reviewed_by", "result", "stored_name", "destroyed_at"):
        setattr(document, f, getattr(current, f))
    return request


def id_documents_destroy_expired(*, day: dt.date) -> int:
    """Destroy every ID copy uploaded `ID_DOCUMENT_DAYS` or more days before `day` (daily job)."""
    start_of_day = dt.datetime.combine(day, dt.time(0, 0), tzinfo=clock.AMSTERDAM)
    cutoff = start_of_day - dt.timedelta(days=ID_DOCUMENT_DAYS - 1)
    destroyed = 0
    for pk in IdDocument.objects.filter(destroyed_at__isnull=True, uploaded_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            document = IdDocument.objects.select_for_update().select_related("request").get(pk=pk)
            if document.destroyed_at is not None:
                continue
            _destroy(document, clock.now())
            document.save(update_fields=["stored_name", "destroyed_at"])
            audit(
                SYSTEM,
                "privacy.id.destroy",
                document.request,
                object_type="privacy.iddocument",
                ids=[document.pk],
                why="term",
            )
            destroyed += 1
    return destroyed
