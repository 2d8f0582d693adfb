"""Writes of privacy requests (G1–G10, X2, X3, X5).

Every service validates its input first, then writes and records an audit event in one
transaction: a refused call leaves nothing behind. Audit events name ids, codes and fields,
never a personal value or a free-text reason. Mail to the requester is sent last inside the
transaction, so a request is marked answered only when the answer went out.

The lifecycle: `privacy_request_create` (any channel; a portal request is verified by the
session) → `privacy_request_start_verification` (one-time link to an e-mail address on file,
else an ID-copy upload link) → `privacy_request_verify_email_link` / `id_document_upload` +
`id_document_review` → the type's own steps (rectification proposals, restriction, erasure
plan, recipient notices) → `privacy_request_complete`, or `privacy_request_refuse` at any
point; `privacy_request_extend` once, within the first four weeks.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.consents.services import consent_withdraw
from waarborg.core import clock, datamap, roles
from waarborg.core.access import is_customer_viewer
from waarborg.core.crypto import keyed_hash, keyed_hash_matches
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.core.identifiers import (
    normalise_customer_number,
    normalise_email,
    normalise_name,
    normalise_phone,
    normalise_postcode,
)
from waarborg.customers.models import Contact
from waarborg.customers.services import clean_choice, clean_text, contact_update, customer_ref, save_numbered
from waarborg.privacy import deadlines, notices, storage
from waarborg.privacy.models import (
    DeadlineWarning,
    IdDocument,
    PrivacyRequest,
    ProcessingStop,
    RecipientNotice,
    RectificationProposal,
    Restriction,
    VerificationLink,
)
from waarborg.privacy.notices import Notice
from waarborg.privacy.resolve import ACCOUNT, CONTACT, Resolution, resolve_account, resolve_identifiers, split_key
from waarborg.privacy.selectors import (
    check_own_or_handler,
    consent_purposes,
    is_system,
    objectable_purposes,
    require_handler,
    require_intake,
    require_person_handler,
)
from waarborg.privacy.validation import clean_free_text, refuse_bsn
from waarborg.register.models import Recipient
from waarborg.subjects.finder import Hit, subject_expand

log = logging.getLogger(__name__)

NUMBER_PREFIX = "PV"
NUMBER_DIGITS = 6
AUDIT_PURPOSE = "U14"  # statutory obligations: handling rights requests (GDPR art. 12–22)

LINK_HOURS = 72
LINK_MAX_ATTEMPTS = 5  # wrong tokens before a link locks
ID_DOCUMENT_DAYS = 7  # an ID copy is destroyed at the latest this many days after the upload

# Where the public pages answer the one-time links (the screens route these paths).
VERIFY_PATH = "/privacyverzoek/bevestigen/{link}/{token}/"
UPLOAD_PATH = "/privacyverzoek/identiteit/{link}/{token}/"

RECTIFIABLE = ("first_name", "last_name", "street", "postcode", "town", "country", "email", "phone")
_REQUIRED_CONTACT_FIELDS = ("first_name", "last_name", "email")
_PACKAGE_REF = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

Type = PrivacyRequest.Type
Status = PrivacyRequest.Status
Channel = PrivacyRequest.Channel
Method = PrivacyRequest.Method
Plan = PrivacyRequest.Plan

STAFF_CHANNELS = (Channel.EMAIL, Channel.POST, Channel.PHONE)


# --- Helpers ----------------------------------------------------------------------------


def _subject_ref(request: PrivacyRequest) -> str:
    if request.contact_id:
        customer_id = Contact.objects.filter(pk=request.contact_id).values_list("customer_id", flat=True).first()
        if customer_id:
            return customer_ref(customer_id)
    return f"privacyrequest:{request.pk}"


def _audit(actor, action: str, request: PrivacyRequest, *, object_type="privacy.privacyrequest", ids=None, **data):
    audit_record(
        actor=actor,
        action=action,
        purpose=AUDIT_PURPOSE,
        object_type=object_type,
        object_ids=ids if ids is not None else [request.pk],
        subject_ref=_subject_ref(request),
        data={"request": request.number, **data},
    )


def _account_of(actor) -> Account | None:
    return actor if isinstance(actor, Account) else None


def _lock(request: PrivacyRequest) -> PrivacyRequest:
    try:
        return PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    except PrivacyRequest.DoesNotExist:
        raise NotFound(f"privacy.privacyrequest {request.pk} not found") from None


def _require_open(request: PrivacyRequest) -> None:
    if not request.is_open:
        raise ValidationError(f"request {request.number} is closed ({request.status})", field="status")


def _require_verified(request: PrivacyRequest) -> None:
    _require_open(request)
    if not request.is_verified:
        raise ValidationError("the requester's identity has not been verified yet", field="status")


def _require_type(request: PrivacyRequest, *types: str) -> None:
    if request.type not in types:
        raise ValidationError(f"this applies to a request of type {' or '.join(types)}", field="type")


def _copy(target: PrivacyRequest, source: PrivacyRequest) -> PrivacyRequest:
    for f in PrivacyRequest._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def _clean_received(value, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.datetime.fromisoformat(text) if "T" in text or " " in text else dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError("the date received is not a date (YYYY-MM-DD)", field="received_at") from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValidationError("the time received needs a time zone", field="received_at")
        received = value
    elif isinstance(value, dt.date):
        # Only the date is known: the Amsterdam date counts (the start of that day).
        received = dt.datetime.combine(value, dt.time(0, 0), tzinfo=clock.AMSTERDAM)
    else:
        raise ValidationError("the date received is not a date", field="received_at")
    try:
        day = deadlines.received_date(received)
    except (OverflowError, ValueError):
        raise ValidationError("the date received is out of range", field="received_at") from None
    if day > deadlines.received_date(now) or received > now:
        raise ValidationError("the date received lies in the future", field="received_at")
    if day < deadlines.GDPR_APPLIES:
        raise ValidationError(
            f"the date received lies before {deadlines.GDPR_APPLIES.isoformat()}, when the GDPR began to apply",
            field="received_at",
        )
    return received


def _clean_identifiers(*, email, phone, customer_number, name, postcode) -> dict[str, str]:
    values: dict[str, str] = {}
    if (email or "").strip():
        values["email"] = normalise_email(email)
    if (phone or "").strip():
        values["phone"] = normalise_phone(phone)
    if (customer_number or "").strip():
        values["customer_number"] = normalise_customer_number(customer_number)
    if (postcode or "").strip():
        values["postcode"] = normalise_postcode(postcode)
    if (name or "").strip():
        values["display_name"] = clean_text(name, field="name", max_length=160)
        refuse_bsn(values["display_name"], field="name")
        values["name"] = normalise_name(name)
    return values


def _clean_purposes(type_: str, purposes) -> list[str]:
    chosen = list(dict.fromkeys(str(p).strip().upper() for p in (purposes or ()) if str(p).strip()))
    if type_ != Type.OBJECTION:
        if chosen:
            raise ValidationError("purposes are named only in an objection", field="purposes")
        return []
    allowed = objectable_purposes()
    wrong = [p for p in chosen if p not in allowed]
    if wrong:
        raise ValidationError(
            f"an objection applies to purposes that rest on consent or legitimate interest "
            f"({', '.join(allowed)}), not to {', '.join(wrong)}",
            field="purposes",
        )
    return chosen or list(allowed)


def _clean_kinds(type_: str, kinds) -> list[str]:
    chosen = list(dict.fromkeys(str(k).strip() for k in (kinds or ()) if str(k).strip()))
    if type_ != Type.WITHDRAWAL:
        if chosen:
            raise ValidationError("consent kinds are named only in a withdrawal of consent", field="consent_kinds")
        return []
    for kind in chosen:
        clean_choice(kind, field="consent_kinds", choices=list(CONSENT_PURPOSES))
    return chosen or list(CONSENT_PURPOSES)


def _clean_handler(handler) -> Account | None:
    if handler is None:
        return None
    if not isinstance(handler, Account) or not handler.is_active or handler.role not in (roles.PRIVACY,):
        raise ValidationError("a request is handled by an active privacy officer", field="handler")
    return handler


def _clean_proposal_value(field: str, value, contact: Contact) -> str:
    if field not in RECTIFIABLE:
        raise ValidationError(f"these details can be corrected: {', '.join(RECTIFIABLE)}", field="field")
    text = clean_text(value, field=field, max_length=254)
    refuse_bsn(text, field=field)
    if not text:
        if field in _REQUIRED_CONTACT_FIELDS:
            raise ValidationError(f"{field} cannot be empty", field=field)
        return ""
    if field == "email":
        return normalise_email(text)
    if field == "phone":
        return normalise_phone(text, contact.country or "NL")
    if field == "postcode":
        return normalise_postcode(text, contact.country or "NL")
    if field == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", text):
            raise ValidationError("a country is a two-letter code such as NL", field=field)
        return text.upper()
    return text


def _token_hash(token: str) -> str:
    return keyed_hash(token or "", purpose="privacy-link")


def _link_url(link: VerificationLink, token: str) -> str:
    path = VERIFY_PATH if link.kind == VerificationLink.Kind.EMAIL_LINK else UPLOAD_PATH
    return settings.WAARBORG_SITE_URL + path.format(link=link.public_id, token=token)


def _unpause(request: PrivacyRequest, now: dt.datetime) -> None:
    if request.paused_since is not None:
        request.paused_days += max(
            (deadlines.received_date(now) - deadlines.received_date(request.paused_since)).days, 0
        )
        request.paused_since = None


def _revoke_links(request: PrivacyRequest, now: dt.datetime) -> int:
    return VerificationLink.objects.filter(request=request, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )


def _destroy(document: IdDocument, now: dt.datetime) -> None:
    storage.destroy(document.stored_name)
    document.stored_name = ""
    document.destroyed_at = now


def _destroy_pending(request: PrivacyRequest, now: dt.datetime) -> list[int]:
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
    _unpause(request, now)
    _revoke_links(request, now)


def _send_to_requester(request: PrivacyRequest, text: notices.Text, *, by_post: bool) -> bool:
    """E-mail the text to the requester, unless it goes by post; True when e-mailed."""
    if by_post:
        return False
    if not request.email:
        raise ValidationError("the request has no e-mail address: send this by post and say so", field="by_post")
    notices.send([request.email], text)
    return True


def _subject_contact_account(key: str) -> tuple[int | None, int | None]:
    label, pk = split_key(key)
    if label == CONTACT:
        return int(pk), None
    if label == ACCOUNT:
        return None, int(pk)
    return None, None


def _current_subject_rows(request: PrivacyRequest) -> list[str]:
    """The request's subject rows that still exist, plus portal accounts added since."""
    rows = set(request.subject_rows or [])
    if request.contact_id:
        rows |= {
            f"{ACCOUNT}:{a}" for a in Account.objects.filter(contact_id=request.contact_id).values_list("pk", flat=True)
        }
    contacts = {int(split_key(k)[1]) for k in rows if split_key(k)[0] == CONTACT}
    accounts = {int(split_key(k)[1]) for k in rows if split_key(k)[0] == ACCOUNT}
    alive_contacts = set(Contact.objects.filter(pk__in=contacts).values_list("pk", flat=True))
    alive_accounts = set(Account.objects.filter(pk__in=accounts).values_list("pk", flat=True))
    kept = []
    for key in sorted(rows):
        contact_id, account_id = _subject_contact_account(key)
        if contact_id is not None and contact_id not in alive_contacts:
            continue
        if account_id is not None and account_id not in alive_accounts:
            continue
        kept.append(key)
    return kept


def _categories_sorted(categories) -> list[str]:
    return sorted(set(categories), key=lambda c: int(c[1:]))


def _clean_categories(categories, *, field: str = "categories") -> list[str]:
    chosen = list(dict.fromkeys(categories or ()))
    wrong = [str(c) for c in chosen if c not in datamap.CATEGORIES]
    if wrong:
        raise ValidationError(f"unknown data categories: {', '.join(wrong)}", field=field)
    return _categories_sorted(chosen)


def subject_hits(request: PrivacyRequest) -> list[Hit]:
    """Every row about the request's subject, from the rows the request resolved to."""
    direct = []
    for key in _current_subject_rows(request):
        label, pk = split_key(key)
        entry = datamap.entry_for(label)
        if entry is not None:
            direct.append(Hit(label, int(pk) if pk.isdigit() else pk, "pk", "the subject of a privacy request"))
    return subject_expand(direct)


def subject_categories(request: PrivacyRequest) -> list[str]:
    """The data categories (D-ids) of everything held about the request's subject."""
    registry = datamap.registry()
    categories = set()
    for hit in subject_hits(request):
        categories |= {p.category for p in registry[hit.model].fields.values()}
    return _categories_sorted(categories)


def _notify_recipients(request: PrivacyRequest, categories, cause: str, now: dt.datetime) -> list[RecipientNotice]:
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
                categories=_categories_sorted(overlap),
                created_at=now,
            )
        else:
            notice.categories = _categories_sorted(set(notice.categories) | overlap)
            notice.save(update_fields=["categories"])
        touched.append(notice)
    return touched


# --- Intake -----------------------------------------------------------------------------


@transaction.atomic
def privacy_request_create(
    *,
    actor,
    type: str,
    channel: str,
    received_at: dt.datetime | dt.date | str | None = None,
    email: str = "",
    phone: str = "",
    customer_number: str = "",
    name: str = "",
    postcode: str = "",
    details: str = "",
    purposes=(),
    consent_kinds=(),
    changes: dict | None = None,
    transmit_to: str = "",
    language: str = "nl",
    handler: Account | None = None,
) -> PrivacyRequest:
    """Register a privacy request that reached us through `channel`.

    - A signed-in customer asks in the portal (or the API): the subject is them, verified by the
      session, and `received_at` is now.
    - Staff register what came by e-mail, post or phone with the date it was received; the
      public form and the API pass the moment it arrived (default now). `received_at` is the
      first moment the request reached any channel: the deadlines count from it.
    - Otherwise the subject is found by the identifiers given (e-mail, phone, customer number,
      name with postcode): unknown identifiers are NotFound; identifiers of different people,
      or of several people none singled out, are refused.

    `purposes` (objection: the purposes to stop; default all that can be objected to),
    `consent_kinds` (withdrawal; default all), `changes` (rectification: {field: new value})
    and `transmit_to` (portability: the organisation to send the data to) belong to their type.
    """
    require_intake(actor)
    type_ = clean_choice(type, field="type", choices=Type.choices)
    channel = clean_choice(channel, field="channel", choices=Channel.choices)
    language = clean_choice(language, field="language", choices=notices.LANGUAGES)
    now = clock.now()
    by_customer = not is_system(actor) and is_customer_viewer(actor)
    if by_customer and channel not in (Channel.PORTAL, Channel.API):
        raise ValidationError("a signed-in customer makes a request in the portal", field="channel")
    if not by_customer and channel == Channel.PORTAL:
        raise ValidationError("a portal request is made by the signed-in person themselves", field="channel")
    if channel in STAFF_CHANNELS and received_at is None:
        raise ValidationError("give the date the request was received", field="received_at")
    received = now if by_customer else _clean_received(received_at, now)
    details = clean_free_text(details, field="details")
    transmit_to = clean_text(transmit_to, field="transmit_to", max_length=300)
    refuse_bsn(transmit_to, field="transmit_to")
    if transmit_to and type_ != Type.PORTABILITY:
        raise ValidationError(
            "an organisation to send data to is named only in a portability request", field="transmit_to"
        )
    chosen_purposes = _clean_purposes(type_, purposes)
    kinds = _clean_kinds(type_, consent_kinds)
    changes = dict(changes or {})
    if changes and type_ != Type.RECTIFICATION:
        raise ValidationError("corrections belong to a rectification request", field="changes")
    handler = _clean_handler(handler)
    if handler is None and getattr(actor, "role", None) == roles.PRIVACY and not by_customer:
        handler = actor

    if by_customer:
        resolution = resolve_account(actor)
        values = {"email": actor.email}
        if actor.customer_id:
            values["customer_number"] = actor.contact.customer.number
    else:
        values = _clean_identifiers(
            email=email, phone=phone, customer_number=customer_number, name=name, postcode=postcode
        )
        try:
            resolution = resolve_identifiers(values)
        except NotFound:
            # Nobody is known by these identifiers: registered all the same, and answered that we
            # hold nothing under them (art. 12, 15).
            resolution = Resolution()
    unknown = not resolution.rows
    _refuse_duplicate(actor, type_, resolution.rows, values, by_customer=by_customer)

    proposals = []
    if changes and not unknown:
        if resolution.contact is None:
            raise ValidationError("corrections need the contact person the request is about", field="changes")
        proposals = [
            (field, _clean_proposal_value(field, value, resolution.contact)) for field, value in changes.items()
        ]

    request = PrivacyRequest(
        type=type_,
        channel=channel,
        language=language,
        received_at=received,
        promise_due=deadlines.promise_due(received),
        legal_due=deadlines.legal_due(received),
        email=values.get("email", ""),
        phone=values.get("phone", ""),
        customer_number=values.get("customer_number", ""),
        name=values.get("display_name", ""),
        postcode=values.get("postcode", ""),
        details=details,
        purposes=chosen_purposes,
        consent_kinds=kinds,
        transmit_to=transmit_to,
        contact=resolution.contact,
        account=resolution.account,
        subject_rows=resolution.rows,
        email_on_file=resolution.email_on_file,
        handler=handler,
        created_by=_account_of(actor),
    )
    if by_customer:
        # Signed in to the portal: the session is the identity check (never an ID copy).
        request.verification_method = Method.SESSION
        request.verified_at = now
        request.status = Status.IN_PROGRESS
    save_numbered(request, prefix=NUMBER_PREFIX, width=NUMBER_DIGITS)
    for field, value in proposals:
        RectificationProposal.objects.create(
            request=request, contact=resolution.contact, field=field, value=value, proposed_at=now
        )
    _audit(
        actor,
        "privacy.request.create",
        request,
        type=type_,
        channel=channel,
        by=sorted(k for k in values if k != "display_name"),
        subject_rows=len(resolution.rows),
        verified=request.is_verified,
        proposals=[f for f, _ in proposals],
        purposes=chosen_purposes,
        consent_kinds=kinds,
    )
    if unknown and request.email:
        try:
            with transaction.atomic():
                _answer_no_data(actor, request, by_post=False, now=now)
        except (OSError, smtplib.SMTPException) as exc:
            # Registered all the same: the queue shows it open, and the privacy officer answers it
            # (`privacy_request_answer_no_data`).
            log.warning("privacy request %s: the answer could not be e-mailed (%s)", request.pk, exc.__class__.__name__)
            request.refresh_from_db()
    return request


# --- Duplicates and requests about no one we know -----------------------------------------

_IDENTIFIER_FIELDS = (("email", "email"), ("phone", "phone"), ("customer_number", "customer_number"))


def _open_duplicate(type_: str, rows: list[str], values: dict[str, str]) -> PrivacyRequest | None:
    """The open request of the same type about the same subject rows, or with the same identifiers."""
    open_requests = PrivacyRequest.objects.filter(type=type_, status__in=PrivacyRequest.OPEN_STATUSES)
    wanted = set(rows)
    if wanted:
        for other in open_requests.order_by("received_at", "pk").only("pk", "number", "subject_rows"):
            if wanted & set(other.subject_rows or ()):
                return other
    same = {model_field: values.get(key, "") for key, model_field in _IDENTIFIER_FIELDS}
    same["postcode"] = values.get("postcode", "")
    if not any(same.values()) and not values.get("display_name"):
        return None
    return (
        open_requests.filter(**same, name__iexact=values.get("display_name", "")).order_by("received_at", "pk").first()
    )


def _refuse_duplicate(actor, type_: str, rows: list[str], values: dict[str, str], *, by_customer: bool) -> None:
    """A request that is still open is not registered twice (the open one is answered).

    Staff and the signed-in person themselves are told its number; a requester who is not
    signed in (public form, API client) is not, since that would tell them that someone's
    request exists: their refusal names the identifier, as an unmatched identifier does.
    """
    other = _open_duplicate(type_, rows, values)
    if other is None:
        return
    if by_customer or isinstance(actor, Account) or actor in (None, "cli", "system"):
        raise ValidationError(
            f"request {other.number} of this type is still open for the same person: it is handled there",
            field="type",
        )
    field = next((k for k in ("email", "phone", "customer_number", "name") if values.get(k)), "email")
    raise ValidationError("a request of this type with these details is still open: it is answered", field=field)


def _identifier_kinds(request: PrivacyRequest, lang: str) -> list[str]:
    labels = {
        "email": ("e-mailadres", "e-mail address"),
        "phone": ("telefoonnummer", "phone number"),
        "customer_number": ("klantnummer", "customer number"),
        "name": ("naam", "name"),
        "postcode": ("postcode", "postcode"),
    }
    return [
        labels[f][notices.idx(lang)]
        for f in ("email", "phone", "customer_number", "name", "postcode")
        if getattr(request, f)
    ]


def _answer_no_data(actor, request: PrivacyRequest, *, by_post: bool, now: dt.datetime) -> Notice:
    """Answer and close a request under whose identifiers nothing is held. The text names the
    kinds of identifier given (never their values) and nothing about anyone else."""
    lang = request.language
    context = notices.base_context(request, lang) | {"kinds": _identifier_kinds(request, lang)}
    context |= notices.request_record_kept(now, lang)  # the request itself is recorded: for how long
    text = notices.render("no_data", lang, context)
    request.status = Status.COMPLETED
    request.answered_at = now
    request.closed_at = now
    request.answered_by = "post" if by_post else "email"
    _unpause(request, now)
    request.save(update_fields=["status", "answered_at", "closed_at", "answered_by", "paused_since", "paused_days"])
    _revoke_links(request, now)
    _audit(actor, "privacy.request.answer_no_data", request, type=request.type, by_post=bool(by_post))
    emailed = _send_to_requester(request, text, by_post=by_post)
    return Notice(request, text.subject, text.body, emailed)


@transaction.atomic
def privacy_request_answer_no_data(*, actor, request: PrivacyRequest, by_post: bool = False) -> Notice:
    """Answer a request about no one we know: we hold no personal data under the identifiers
    given. E-mailed to the address given, or — with `by_post`, or without an address — posted
    by the caller with the returned text. Refused once the identifiers do point to someone.
    """
    require_handler(actor)
    current = _lock(request)
    _require_open(current)
    if _current_subject_rows(current) or current.contact_id or current.account_id:
        raise ValidationError("this request is about someone we know: answer it after the check", field="status")
    notice = _answer_no_data(actor, current, by_post=by_post or not current.email, now=clock.now())
    _copy(request, current)
    return Notice(request, notice.subject, notice.body, notice.emailed)


@transaction.atomic
def privacy_request_assign(*, actor, request: PrivacyRequest, handler: Account) -> PrivacyRequest:
    require_handler(actor)
    handler = _clean_handler(handler)
    if handler is None:
        raise ValidationError("name the privacy officer who handles the request", field="handler")
    current = _lock(request)
    _require_open(current)
    current.handler = handler
    current.save(update_fields=["handler"])
    _audit(actor, "privacy.request.assign", current, handler=handler.pk)
    return _copy(request, current)


# --- Identity (G8) ----------------------------------------------------------------------


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
        raise PermissionDenied("a signed-in customer is verified by the session")
    current = _lock(request)
    _require_open(current)
    if current.is_verified:
        raise ValidationError("the requester's identity is already verified", field="status")
    if not current.subject_rows:
        raise ValidationError(
            "nothing is held under these identifiers: answer that, no identity check is needed", field="status"
        )
    now = clock.now()
    on_file = current.email_on_file and bool(current.email)
    kind = VerificationLink.Kind.EMAIL_LINK if on_file else VerificationLink.Kind.ID_UPLOAD
    replaced = _revoke_links(current, now)
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
    _audit(actor, "privacy.verification.start", current, kind=kind, link=link.pk, emailed=emailed, replaced=replaced)
    if emailed:
        name = "verify_email" if kind == VerificationLink.Kind.EMAIL_LINK else "id_upload"
        context = notices.base_context(current, current.language) | {
            "url": url,
            "link_hours": LINK_HOURS,
            "id_days": ID_DOCUMENT_DAYS,
        }
        notices.send([current.email], notices.render(name, current.language, context))
    _copy(request, current)
    return VerificationStart(request, link, kind, emailed, "" if emailed else url)


def _check_link(public_id, token: str, kind: str) -> int:
    """Check a one-time link before use; a wrong token counts against the link (and is kept)."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("this link is not valid") from None
    refused = None
    with transaction.atomic():
        link = (
            VerificationLink.objects.select_for_update()
            .select_related("request")
            .filter(public_id=public_id, kind=kind)
            .first()
        )
        if link is None:
            raise NotFound("this link is not valid")
        _link_usable(link)
        if not keyed_hash_matches(link.token_hash, token or "", purpose="privacy-link"):
            link.failed_attempts += 1
            link.save(update_fields=["failed_attempts"])
            if link.failed_attempts >= LINK_MAX_ATTEMPTS:
                _audit(
                    "subject",
                    "privacy.link.locked",
                    link.request,
                    object_type="privacy.verificationlink",
                    ids=[link.pk],
                )
            refused = ValidationError("this link is not valid", field="token")
    if refused is not None:
        raise refused
    return link.pk


def _link_usable(link: VerificationLink) -> None:
    if link.used_at is not None:
        raise ValidationError("this link has been used already: it works once", field="token")
    if link.revoked_at is not None:
        raise ValidationError("this link was replaced by a newer one", field="token")
    if clock.now() >= link.expires_at:
        raise ValidationError(f"this link has expired (it is valid for {LINK_HOURS} hours)", field="token")
    if link.failed_attempts >= LINK_MAX_ATTEMPTS:
        raise ValidationError("this link is locked after too many tries; ask for a new one", field="token")
    if not link.request.is_open:
        raise ValidationError("this request is closed", field="token")


def _take_link(pk: int) -> tuple[VerificationLink, PrivacyRequest]:
    link = VerificationLink.objects.select_for_update().select_related("request").get(pk=pk)
    _link_usable(link)
    request = _lock(link.request)
    if request.is_verified:
        raise ValidationError("the requester's identity is already verified", field="token")
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
        raise ValidationError("say how the identity was checked", field="note")
    current = _lock(request)
    _require_open(current)
    if current.verified_at is not None:
        raise ValidationError("this request is already verified", field="status")
    now = clock.now()
    _mark_verified(current, method=Method.STAFF_CHECK, by=actor, now=now)
    current.save()
    _audit(actor, "privacy.request.verify", current, method=Method.STAFF_CHECK)
    _copy(request, current)
    return current


def privacy_request_verify_email_link(*, link_id, token: str) -> PrivacyRequest:
    """The requester opened the one-time link sent to their address on file: verified."""
    pk = _check_link(link_id, token, VerificationLink.Kind.EMAIL_LINK)
    with transaction.atomic():
        link, request = _take_link(pk)
        now = clock.now()
        _mark_verified(request, method=Method.EMAIL_LINK, by=None, now=now)
        request.save()
        _audit("subject", "privacy.verification.email_link", request, link=link.pk, result="verified")
    return request


def id_document_upload(
    *, link_id, token: str, content: bytes, content_type: str, redaction_confirmed: bool
) -> IdDocument:
    """Store an uploaded (redacted) ID copy, encrypted, for a privacy officer to review.

    The requester confirms that photo, MRZ, document number and BSN are blacked out; the copy
    is destroyed at the review, or 7 days after the upload at the latest.
    """
    if not redaction_confirmed:
        raise ValidationError(
            "black out the photo, the MRZ strip, the document number and the BSN, and confirm that you did",
            field="redaction_confirmed",
        )
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
            _audit(
                "subject",
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
            raise ValidationError("this identity document has been destroyed", field="document")
        _audit(actor, "privacy.id.read", current.request, object_type="privacy.iddocument", ids=[current.pk])
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
        raise ValidationError("this identity document has been destroyed already", field="document")
    request = _lock(current.request)
    _require_open(request)
    now = clock.now()
    current.reviewed_at = now
    current.reviewed_by = actor
    current.result = IdDocument.Result.VERIFIED if verified else IdDocument.Result.REJECTED
    if verified and not request.is_verified:
        _mark_verified(request, method=Method.ID_DOCUMENT, by=actor, now=now)
        request.save()
    _audit(
        actor,
        "privacy.id.review",
        request,
        object_type="privacy.iddocument",
        ids=[current.pk],
        result=current.result,
    )
    _destroy(current, now)
    current.save(update_fields=["reviewed_at", "reviewed_by", "result", "stored_name", "destroyed_at"])
    _audit(actor, "privacy.id.destroy", request, object_type="privacy.iddocument", ids=[current.pk], why="reviewed")
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
            _audit(
                "system",
                "privacy.id.destroy",
                document.request,
                object_type="privacy.iddocument",
                ids=[document.pk],
                why="term",
            )
            destroyed += 1
    return destroyed


# --- Extension and refusal (X5, G10) ----------------------------------------------------


@transaction.atomic
def privacy_request_extend(*, actor, request: PrivacyRequest, reason: str, by_post: bool = False) -> Notice:
    """Extend the term by two further months (art. 12(3)): only with reasons, told to the requester on or
    before the promised date (day 28), and only once. The notice is e-mailed now, or — with
    `by_post` — posted today by the caller with the returned text.
    """
    require_handler(actor)
    reason = clean_free_text(reason, field="reason", required=True)
    current = _lock(request)
    _require_open(current)
    if current.extended_due is not None:
        raise ValidationError("the term has been extended already (at most two months, once)", field="reason")
    today = clock.today()
    if today > current.promise_due:
        raise ValidationError(
            "too late to extend: the requester must be told within four weeks of receipt", field="reason"
        )
    now = clock.now()
    current.extended_due = deadlines.extended_due(current.received_at)
    current.extension_reason = reason
    current.extension_notice_sent_at = now
    current.save(update_fields=["extended_due", "extension_reason", "extension_notice_sent_at"])
    text = notices.render(
        "extension", current.language, notices.base_context(current, current.language) | {"reason": reason}
    )
    _audit(actor, "privacy.request.extend", current, months=deadlines.MAX_EXTENSION_MONTHS, by_post=bool(by_post))
    emailed = _send_to_requester(current, text, by_post=by_post)
    _copy(request, current)
    return Notice(request, text.subject, text.body, emailed)


_REFUSAL_MUST_SAY = {
    "nl": ("Autoriteit Persoonsgegevens", "rechtbank", "zes weken", "artikel 35"),
    "en": ("Autoriteit Persoonsgegevens", "rechtbank", "six weeks", "art. 35"),
}


def check_refusal_text(body: str, *, reason: str, lang: str) -> None:
    """A refusal states its reasons, the right to complain to the AP and the right to go to court."""
    missing = [phrase for phrase in _REFUSAL_MUST_SAY[lang] if phrase not in body]
    if reason not in body:
        missing.insert(0, "the reasons")
    if missing:
        raise ValidationError(f"the refusal text lacks: {', '.join(missing)}; it is not sent", field="reason")


@transaction.atomic
def privacy_request_refuse(
    *,
    actor,
    request: PrivacyRequest,
    reason: str,
    ground: str = PrivacyRequest.Ground.OTHER,
    justification: str = "",
    earlier_requests=(),
    by_post: bool = False,
) -> Notice:
    """Refuse a request (art. 12(4)/(5)): with reasons, and the right to complain to the Autoriteit
    Persoonsgegevens and to petition the rechtbank within six weeks (UAVG art. 35(2)).

    "Manifestly unfounded" or "excessive" also needs a written justification and the earlier
    requests of the same person it rests on. Any ID copy still held is destroyed.
    """
    require_handler(actor)
    reason = clean_free_text(reason, field="reason", required=True)
    ground = clean_choice(ground, field="ground", choices=PrivacyRequest.Ground.choices)
    heavy = ground in (PrivacyRequest.Ground.MANIFESTLY_UNFOUNDED, PrivacyRequest.Ground.EXCESSIVE)
    justification = clean_free_text(justification, field="justification", required=heavy)
    current = _lock(request)
    _require_open(current)
    earlier = _clean_earlier(current, earlier_requests, required=heavy)
    context = notices.base_context(current, current.language) | {
        "reason": reason,
        "ground_label": notices.GROUND_LABELS[ground][notices.idx(current.language)],
        "justification": justification,
        "earlier": [e.number for e in earlier],
    }
    text = notices.render("refusal", current.language, context)
    check_refusal_text(text.body, reason=reason, lang=current.language)
    now = clock.now()
    current.status = Status.REFUSED
    current.refusal_ground = ground
    current.refusal_reason = reason
    current.refusal_justification = justification
    current.answered_at = now
    current.closed_at = now
    current.answered_by = "post" if by_post else "email"
    _unpause(current, now)
    current.save()
    current.earlier_requests.set(earlier)
    _revoke_links(current, now)
    destroyed = _destroy_pending(current, now)
    _audit(actor, "privacy.request.refuse", current, ground=ground, earlier=[e.number for e in earlier])
    if destroyed:
        _audit(actor, "privacy.id.destroy", current, object_type="privacy.iddocument", ids=destroyed, why="closed")
    emailed = _send_to_requester(current, text, by_post=by_post)
    _copy(request, current)
    return Notice(request, text.subject, text.body, emailed)


def _same_person(a: PrivacyRequest, b: PrivacyRequest) -> bool:
    if a.contact_id and a.contact_id == b.contact_id:
        return True
    if a.email and a.email == b.email:
        return True
    return bool(set(a.subject_rows or ()) & set(b.subject_rows or ()))


def _clean_earlier(request: PrivacyRequest, earlier_requests, *, required: bool) -> list[PrivacyRequest]:
    ids = [getattr(e, "pk", e) for e in earlier_requests or ()]
    if required and not ids:
        raise ValidationError(
            "link the earlier requests of this person that make this one unfounded or excessive",
            field="earlier_requests",
        )
    found = list(PrivacyRequest.objects.filter(pk__in=ids).order_by("received_at", "pk"))
    if len(found) != len(set(ids)):
        raise ValidationError("an earlier request named does not exist", field="earlier_requests")
    for other in found:
        if other.pk == request.pk or other.received_at > request.received_at or not _same_person(request, other):
            raise ValidationError(
                f"{other.number} is not an earlier request of the same person", field="earlier_requests"
            )
    return found


# --- Rectification (G2) -----------------------------------------------------------------


@transaction.atomic
def rectification_proposal_add(*, actor, request: PrivacyRequest, field: str, value: str) -> RectificationProposal:
    """The subject (or staff on their behalf) proposes a new value for one detail."""
    check_own_or_handler(actor, request)
    current = _lock(request)
    _require_open(current)
    _require_type(current, Type.RECTIFICATION)
    if current.contact_id is None:
        raise ValidationError("corrections need the contact person the request is about", field="field")
    contact = Contact.objects.get(pk=current.contact_id)
    value = _clean_proposal_value(field, value, contact)
    proposal = RectificationProposal.objects.create(
        request=current, contact=contact, field=field, value=value, proposed_at=clock.now()
    )
    _audit(
        actor,
        "privacy.rectification.propose",
        current,
        object_type="privacy.rectificationproposal",
        ids=[proposal.pk],
        field=field,
    )
    return proposal


def _lock_proposal(proposal: RectificationProposal) -> tuple[RectificationProposal, PrivacyRequest]:
    current = RectificationProposal.objects.select_for_update().get(pk=proposal.pk)
    request = _lock(current.request)
    _require_verified(request)
    if current.status != RectificationProposal.Status.PENDING:
        raise ValidationError("this proposal has been decided already", field="status")
    return current, request


@transaction.atomic
def rectification_proposal_approve(*, actor, proposal: RectificationProposal) -> RectificationProposal:
    """Apply the new value through the contact service (which keeps the old value briefly), and
    make a notice task for every recipient of that data category (X3)."""
    require_person_handler(actor)
    current, request = _lock_proposal(proposal)
    if current.contact_id is None:
        raise ValidationError("the contact person no longer exists", field="contact")
    contact = Contact.objects.get(pk=current.contact_id)
    contact_update(actor=actor, contact=contact, data={current.field: current.value}, purpose="U1")
    now = clock.now()
    current.status = RectificationProposal.Status.APPROVED
    current.value = ""  # the contact person holds it now
    current.decided_at = now
    current.decided_by = actor
    current.save(update_fields=["status", "value", "decided_at", "decided_by"])
    category = datamap.entry_for(CONTACT).fields[current.field].category
    touched = _notify_recipients(request, [category], RecipientNotice.Cause.RECTIFICATION, now)
    _audit(
        actor,
        "privacy.rectification.approve",
        request,
        object_type="privacy.rectificationproposal",
        ids=[current.pk],
        field=current.field,
        notices=[n.pk for n in touched],
    )
    return current


@transaction.atomic
def rectification_proposal_reject(*, actor, proposal: RectificationProposal, reason: str) -> RectificationProposal:
    require_person_handler(actor)
    reason = clean_free_text(reason, field="reason", required=True)
    current, request = _lock_proposal(proposal)
    current.status = RectificationProposal.Status.REJECTED
    current.reject_reason = reason
    current.decided_at = clock.now()
    current.decided_by = actor
    current.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
    _audit(
        actor,
        "privacy.rectification.reject",
        request,
        object_type="privacy.rectificationproposal",
        ids=[current.pk],
        field=current.field,
    )
    return current


# --- Recipient notices (X3) -------------------------------------------------------------


def _close_notice(actor, notice: RecipientNotice, *, status: str, note: str) -> RecipientNotice:
    require_handler(actor)
    current = RecipientNotice.objects.select_for_update().get(pk=notice.pk)
    request = _lock(current.request)
    _require_open(request)
    if current.status != RecipientNotice.Status.OPEN:
        raise ValidationError("this notice has been closed already", field="status")
    current.status = status
    current.note = note
    current.closed_at = clock.now()
    current.closed_by = _account_of(actor)
    current.save(update_fields=["status", "note", "closed_at", "closed_by"])
    _audit(
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


# --- Restriction (X2) -------------------------------------------------------------------


@transaction.atomic
def restriction_apply(*, actor, request: PrivacyRequest, categories=None) -> list[Restriction]:
    """Mark the subject's data restricted (only stored) — all of it, or the categories named —
    and make a notice task for every recipient of those categories (X3)."""
    require_handler(actor)
    current = _lock(request)
    _require_verified(current)
    _require_type(current, Type.RESTRICTION)
    if Restriction.objects.filter(request=current, lifted_at__isnull=True).exists():
        raise ValidationError("the restriction is in place already", field="status")
    chosen = subject_categories(current) if categories is None else _clean_categories(categories)
    if not chosen:
        raise ValidationError("name the data categories to restrict", field="categories")
    rows = _current_subject_rows(current)
    if not rows:
        raise ValidationError("the subject's data no longer exists", field="status")
    now = clock.now()
    made = []
    for key in rows:
        contact_id, account_id = _subject_contact_account(key)
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
    touched = _notify_recipients(current, chosen, RecipientNotice.Cause.RESTRICTION, now)
    _audit(
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
    current = _lock(request)
    active = list(Restriction.objects.select_for_update().filter(request=current, lifted_at__isnull=True))
    if not active:
        raise ValidationError("no restriction of this request is in place", field="status")
    text = notices.render(
        "restriction_lift", current.language, notices.base_context(current, current.language) | {"reason": reason}
    )
    now = clock.now()
    Restriction.objects.filter(pk__in=[r.pk for r in active]).update(lifted_at=now, lift_reason=reason)
    _audit(actor, "privacy.restriction.lift", current, object_type="privacy.restriction", ids=[r.pk for r in active])
    emailed = _send_to_requester(current, text, by_post=by_post)
    return Notice(request, text.subject, text.body, emailed)


# --- Erasure (G3): the engine plans and executes; staff review the plan -----------------


def _clean_summary(summary) -> dict[str, int]:
    clean = {}
    for label, count in (summary or {}).items():
        if not isinstance(label, str) or not re.fullmatch(r"[a-z_]+\.[A-Za-z]+", label):
            raise ValidationError("a plan counts rows per model label (app.Model)", field="summary")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError("a plan counts rows with whole numbers", field="summary")
        clean[label] = count
    return dict(sorted(clean.items()))


@transaction.atomic
def erasure_plan_submit(*, actor, request: PrivacyRequest, categories, summary: dict | None = None) -> PrivacyRequest:
    """The erasure engine proposes what it will erase: data categories and row counts per model
    (never values). A proposed or rejected plan may be replaced."""
    require_handler(actor)
    current = _lock(request)
    _require_verified(current)
    _require_type(current, Type.ERASURE)
    if current.erasure_plan_status in (Plan.APPROVED, Plan.EXECUTED):
        raise ValidationError("the erasure plan has been approved already", field="erasure_plan")
    chosen = _clean_categories(categories)
    current.erasure_plan = {"categories": chosen, "rows": _clean_summary(summary)}
    current.erasure_plan_status = Plan.PROPOSED
    current.erasure_plan_reviewed_at = None
    current.erasure_plan_reviewed_by = None
    current.save(
        update_fields=["erasure_plan", "erasure_plan_status", "erasure_plan_reviewed_at", "erasure_plan_reviewed_by"]
    )
    _audit(actor, "privacy.erasure.plan", current, categories=chosen, rows=current.erasure_plan["rows"])
    return _copy(request, current)


@transaction.atomic
def erasure_plan_review(*, actor, request: PrivacyRequest, approve: bool, note: str = "") -> PrivacyRequest:
    """A privacy officer approves the plan (notice tasks for the recipients of the categories;
    the back office then has the engine execute it) or rejects it with a note."""
    require_person_handler(actor)
    note = clean_free_text(note, field="note", required=not approve)
    current = _lock(request)
    _require_verified(current)
    _require_type(current, Type.ERASURE)
    if current.erasure_plan_status != Plan.PROPOSED:
        raise ValidationError("there is no proposed erasure plan to review", field="erasure_plan")
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
        touched = _notify_recipients(
            current, current.erasure_plan.get("categories", []), RecipientNotice.Cause.ERASURE, now
        )
    _audit(
        actor,
        "privacy.erasure.review",
        current,
        result=current.erasure_plan_status,
        notices=[n.pk for n in touched],
    )
    return _copy(request, current)


@transaction.atomic
def erasure_plan_executed(*, actor, request: PrivacyRequest, summary: dict | None = None) -> PrivacyRequest:
    """The engine reports the approved plan carried out (rows erased per model)."""
    require_handler(actor)
    current = _lock(request)
    _require_open(current)
    if current.erasure_plan_status != Plan.APPROVED:
        raise ValidationError("only an approved erasure plan can be carried out", field="erasure_plan")
    current.erasure_plan_status = Plan.EXECUTED
    current.erasure_plan = {**current.erasure_plan, "erased": _clean_summary(summary)}
    current.save(update_fields=["erasure_plan_status", "erasure_plan"])
    _audit(actor, "privacy.erasure.executed", current, rows=current.erasure_plan["erased"])
    return _copy(request, current)


# --- Objection and withdrawal (G4, G5) --------------------------------------------------


def _stop(request: PrivacyRequest, purposes: dict[str, tuple[str, ...]], now: dt.datetime) -> list[ProcessingStop]:
    made = []
    for key in _current_subject_rows(request):
        contact_id, account_id = _subject_contact_account(key)
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


def _clean_keep(request: PrivacyRequest, keep_purposes) -> dict[str, str]:
    keep = dict(keep_purposes or {})
    if keep and request.type != Type.OBJECTION:
        raise ValidationError("purposes are kept only when an objection is decided", field="keep_purposes")
    out = {}
    for purpose, reason in keep.items():
        if purpose not in request.purposes:
            raise ValidationError(f"{purpose} was not objected to", field="keep_purposes")
        out[purpose] = clean_free_text(reason, field="keep_purposes", required=True)
    return out


# --- Completion -------------------------------------------------------------------------


def _erasure_notice(request: PrivacyRequest, lang: str) -> str:
    """The erasure engine's account of a carried-out plan, in the requester's language."""
    from waarborg.erasure.models import ErasureCase  # the engine builds on this app

    case = ErasureCase.objects.filter(privacy_request_id=request.pk).order_by("-pk").first()
    if case is None:
        return ""
    return (case.result or {}).get("notice", {}).get("en" if lang == "en" else "nl", "")


@transaction.atomic
def privacy_request_complete(
    *,
    actor,
    request: PrivacyRequest,
    note: str = "",
    keep_purposes: dict[str, str] | None = None,
    package_ref: str = "",
    by_post: bool = False,
) -> Notice:
    """Answer and close a verified request.

    Closing waits for: every recipient notice done or waived (X3); a rectification's proposals
    decided; an erasure plan carried out; a restriction in place. An objection stops its purposes
    for the subject — except those kept with compelling legitimate grounds (`keep_purposes`:
    purpose -> reason); a withdrawal withdraws the consents and stops the purposes resting on
    them. `package_ref` names the access or portability package sent.
    """
    require_handler(actor)
    note = clean_free_text(note, field="note")
    package_ref = (package_ref or "").strip()
    if package_ref and not _PACKAGE_REF.match(package_ref):
        raise ValidationError("a package reference is letters, digits and . _ : -", field="package_ref")
    current = _lock(request)
    _require_verified(current)
    keep = _clean_keep(current, keep_purposes)
    proposals = list(RectificationProposal.objects.filter(request=current).order_by("pk"))
    if any(p.status == RectificationProposal.Status.PENDING for p in proposals):
        raise ValidationError("decide every proposed correction first", field="proposals")
    if current.type == Type.ERASURE and current.erasure_plan_status != Plan.EXECUTED:
        raise ValidationError("the erasure plan has not been carried out yet", field="erasure_plan")
    restricted = Restriction.objects.filter(request=current, lifted_at__isnull=True).exists()
    if current.type == Type.RESTRICTION and not restricted:
        raise ValidationError("apply the restriction first", field="status")
    still_open = RecipientNotice.objects.filter(request=current, status=RecipientNotice.Status.OPEN).count()
    if still_open:
        raise ValidationError(
            f"{still_open} recipient notice(s) are still open: mark each done, or waive it with a reason",
            field="notices",
        )
    lang = current.language
    i = notices.idx(lang)
    if current.type == Type.ERASURE and not note:
        note = _erasure_notice(current, lang)  # what was erased, what kept, why and until when
    context = notices.base_context(current, lang) | {"note": note, "package_ref": package_ref}
    now = clock.now()
    data: dict = {}
    if current.type == Type.RECTIFICATION:
        context["approved"] = [
            notices.FIELD_LABELS[p.field][i] for p in proposals if p.status == RectificationProposal.Status.APPROVED
        ]
        context["rejected"] = [
            {"field": notices.FIELD_LABELS[p.field][i], "reason": p.reject_reason}
            for p in proposals
            if p.status == RectificationProposal.Status.REJECTED
        ]
    elif current.type == Type.OBJECTION:
        allowed = objectable_purposes()
        stopped = {p: allowed.get(p, ("legitimate_interest",)) for p in current.purposes if p not in keep}
        made = _stop(current, stopped, now)
        context["stopped"] = [notices.purpose_label(p, lang) for p in stopped]
        context["kept"] = [{"purpose": notices.purpose_label(p, lang), "reason": r} for p, r in keep.items()]
        data = {"stopped": sorted(stopped, key=lambda p: int(p[1:])), "kept": sorted(keep), "stops": len(made)}
    elif current.type == Type.WITHDRAWAL:
        withdrawn = 0
        if current.account_id or current.contact_id:
            account = Account.objects.filter(pk=current.account_id).first() if current.account_id else None
            contact = Contact.objects.filter(pk=current.contact_id).first() if current.contact_id else None
            if account is not None and contact is not None and account.contact_id not in (None, contact.pk):
                account = None
            for kind in current.consent_kinds:
                withdrawn += len(consent_withdraw(actor=actor, kind=kind, account=account, contact=contact))
        on_consent = set(consent_purposes())
        purposes = sorted(
            {p for kind in current.consent_kinds for p in CONSENT_PURPOSES[kind][2] if p in on_consent},
            key=lambda p: int(p[1:]),
        )
        made = _stop(current, {p: ("consent",) for p in purposes}, now)
        context["kinds"] = [CONSENT_PURPOSES[k][i] for k in current.consent_kinds]
        context["stopped"] = [notices.purpose_label(p, lang) for p in purposes]
        data = {"stopped": purposes, "consents_withdrawn": withdrawn, "stops": len(made)}
    elif current.type == Type.PORTABILITY:
        context["transmit_to"] = current.transmit_to
    context["recipients"] = sorted(
        RecipientNotice.objects.filter(request=current, status=RecipientNotice.Status.DONE)
        .values_list("recipient__name", flat=True)
        .distinct()
    )
    text = notices.render("answer", lang, context)
    current.status = Status.COMPLETED
    current.answer_note = note
    current.package_ref = package_ref
    current.answered_at = now
    current.closed_at = now
    current.answered_by = "post" if by_post else "email"
    current.save()
    _audit(actor, "privacy.request.complete", current, type=current.type, by_post=bool(by_post), **data)
    emailed = _send_to_requester(current, text, by_post=by_post)
    _copy(request, current)
    return Notice(request, text.subject, text.body, emailed)


@transaction.atomic
def processing_stop_lift(*, actor, stop: ProcessingStop) -> ProcessingStop:
    """Switch a stopped purpose back on (e.g. the subject gives consent again)."""
    require_person_handler(actor)
    current = ProcessingStop.objects.select_for_update().get(pk=stop.pk)
    if current.lifted_at is not None:
        raise ValidationError("this stop has been lifted already", field="status")
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


# --- Deadline warnings (G9; used by the daily job) --------------------------------------


def _privacy_officers() -> list[str]:
    return list(
        Account.objects.filter(role=roles.PRIVACY, is_active=True).order_by("pk").values_list("email", flat=True)
    )


def _warning_recipients(request: PrivacyRequest, stage: str) -> list[str]:
    lead = settings.WAARBORG_PRIVACY_TEAM_LEAD_EMAIL
    officers = _privacy_officers()
    handler = [request.handler.email] if request.handler_id and request.handler.is_active else []
    if stage in ("handler_14", "extended_handler"):
        return handler or officers or [lead]
    if stage in ("lead_21", "extended_lead"):
        return [lead]
    if stage in ("privacy_26", "extended_privacy"):
        return officers or [lead]
    return sorted(set(handler + officers + [lead]))


def deadline_warnings_send(*, day: dt.date) -> dict[str, int]:
    """Send each warning stage reached on `day` once per open request (recorded, so a rerun
    sends nothing). A request awaiting the identity check is warned too: the legal date stands."""
    lang = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in notices.LANGUAGES else "nl"
    counts = {"warnings": 0, "failed": 0}
    requests = PrivacyRequest.objects.filter(status__in=PrivacyRequest.OPEN_STATUSES).select_related("handler")
    for request in requests.order_by("promise_due", "pk"):
        reached = deadlines.warning_stages(request.received_at, day, request.extended_due)
        done = set(DeadlineWarning.objects.filter(request=request).values_list("stage", flat=True))
        for stage in reached:
            if stage in done:
                continue
            try:
                with transaction.atomic():
                    to = _warning_recipients(request, stage)
                    warning = DeadlineWarning.objects.create(
                        request=request, stage=stage, sent_at=clock.now(), recipients=len(to)
                    )
                    context = notices.base_context(request, lang) | {
                        "stage_label": notices.STAGE_LABELS[stage][notices.idx(lang)],
                        "day": deadlines.day_number(request.received_at, day),
                        "overdue": deadlines.is_overdue(request.received_at, day, request.extended_due),
                    }
                    _audit(
                        "system",
                        "privacy.deadline.warn",
                        request,
                        object_type="privacy.deadlinewarning",
                        ids=[warning.pk],
                        stage=stage,
                        recipients=len(to),
                    )
                    notices.send(to, notices.render("staff_warning", lang, context))
                counts["warnings"] += 1
            except IntegrityError:
                continue  # sent meanwhile by a concurrent run
            except OSError as exc:  # the mail server: try again on the next run
                counts["failed"] += 1
                log.warning(
                    "privacy deadline warning not sent: request %s stage %s (%s)", request.pk, stage, type(exc).__name__
                )
    return counts
