"""Intake of privacy requests (G1, G7): registering a request from any channel, refusing a
second open request of the same type about the same person, answering a request about no one we
know, and assigning the privacy officer who handles it.

A portal request is verified by the session; any other request about someone we know waits for
its identity check (waarborg.privacy.identity). The deadlines count from the moment the request
first reached us.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.db import transaction

from waarborg.accounts.models import Account
from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.core import clock, roles
from waarborg.core.access import is_customer_viewer
from waarborg.core.actors import CLI, SYSTEM, account_of, is_account, is_system
from waarborg.core.errors import NotFound, ValidationError
from waarborg.core.identifiers import (
    normalise_customer_number,
    normalise_email,
    normalise_name,
    normalise_phone,
    normalise_postcode,
)
from waarborg.core.messages.words import Day
from waarborg.customers.services import clean_choice, clean_text, save_numbered
from waarborg.privacy import actions, deadlines, notices
from waarborg.privacy.handling import audit, copy_into, lock_request, revoke_links, send_to_requester, unpause
from waarborg.privacy.models import PrivacyRequest, RectificationProposal
from waarborg.privacy.notices import Notice
from waarborg.privacy.rectification import clean_proposal_value
from waarborg.privacy.resolve import Resolution, resolve_account, resolve_identifiers
from waarborg.privacy.selectors import objectable_purposes, require_handler, require_intake
from waarborg.privacy.validation import clean_free_text, refuse_bsn

log = logging.getLogger(__name__)

NUMBER_PREFIX = "PV"
NUMBER_DIGITS = 6

Type = PrivacyRequest.Type
Status = PrivacyRequest.Status
Channel = PrivacyRequest.Channel
Method = PrivacyRequest.Method

STAFF_CHANNELS = (Channel.EMAIL, Channel.POST, Channel.PHONE)


def _clean_received(value, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.datetime.fromisoformat(text) if "T" in text or " " in text else dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError("privacy.received_format", field="received_at") from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValidationError("privacy.received_needs_time_zone", field="received_at")
        received = value
    elif isinstance(value, dt.date):
        # Only the date is known: the Amsterdam date counts (the start of that day).
        received = dt.datetime.combine(value, dt.time(0, 0), tzinfo=clock.AMSTERDAM)
    else:
        raise ValidationError("privacy.received_not_a_date", field="received_at")
    try:
        day = deadlines.received_date(received)
    except (OverflowError, ValueError):
        raise ValidationError("privacy.received_out_of_range", field="received_at") from None
    if day > deadlines.received_date(now) or received > now:
        raise ValidationError("privacy.received_in_future", field="received_at")
    if day < deadlines.GDPR_APPLIES:
        raise ValidationError(
            "privacy.received_before_gdpr", {"date": Day(deadlines.GDPR_APPLIES)}, field="received_at"
        )
    return received


def clean_identifiers(*, email, phone, customer_number, name, postcode, country: str = "NL") -> dict[str, str]:
    """The identifiers given, in the normal forms the subject is found by (the name also as given)."""
    values: dict[str, str] = {}
    if (email or "").strip():
        values["email"] = normalise_email(email)
    if (phone or "").strip():
        values["phone"] = normalise_phone(phone, country)
    if (customer_number or "").strip():
        values["customer_number"] = normalise_customer_number(customer_number)
    if (postcode or "").strip():
        values["postcode"] = normalise_postcode(postcode, country)
    if (name or "").strip():
        values["display_name"] = clean_text(name, field="name", max_length=160)
        refuse_bsn(values["display_name"], field="name")
        values["name"] = normalise_name(name)
    return values


def _clean_purposes(type_: str, purposes) -> list[str]:
    chosen = list(dict.fromkeys(str(p).strip().upper() for p in (purposes or ()) if str(p).strip()))
    if type_ != Type.OBJECTION:
        if chosen:
            raise ValidationError("privacy.purposes_only_in_objection", field="purposes")
        return []
    allowed = objectable_purposes()
    wrong = [p for p in chosen if p not in allowed]
    if wrong:
        raise ValidationError(
            "privacy.objection_purposes",
            {"allowed": ", ".join(allowed), "wrong": ", ".join(wrong)},
            field="purposes",
        )
    return chosen or list(allowed)


def _clean_kinds(type_: str, kinds) -> list[str]:
    chosen = list(dict.fromkeys(str(k).strip() for k in (kinds or ()) if str(k).strip()))
    if type_ != Type.WITHDRAWAL:
        if chosen:
            raise ValidationError("privacy.consents_only_in_withdrawal", field="consent_kinds")
        return []
    for kind in chosen:
        clean_choice(kind, field="consent_kinds", choices=list(CONSENT_PURPOSES))
    return chosen or list(CONSENT_PURPOSES)


def _clean_handler(handler) -> Account | None:
    if handler is None:
        return None
    if not isinstance(handler, Account) or not handler.is_active or handler.role not in (roles.PRIVACY,):
        raise ValidationError("privacy.handler_not_active", field="handler")
    return handler


# --- Registering ------------------------------------------------------------------------


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
    country: str = "NL",
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
        raise ValidationError("privacy.customer_asks_in_portal", field="channel")
    if not by_customer and channel == Channel.PORTAL:
        raise ValidationError("privacy.portal_request_by_self", field="channel")
    if channel in STAFF_CHANNELS and received_at is None:
        raise ValidationError("privacy.received_missing", field="received_at")
    received = now if by_customer else _clean_received(received_at, now)
    details = clean_free_text(details, field="details")
    transmit_to = clean_text(transmit_to, field="transmit_to", max_length=300)
    refuse_bsn(transmit_to, field="transmit_to")
    if transmit_to and type_ != Type.PORTABILITY:
        raise ValidationError("privacy.transmit_only_in_portability", field="transmit_to")
    chosen_purposes = _clean_purposes(type_, purposes)
    kinds = _clean_kinds(type_, consent_kinds)
    changes = dict(changes or {})
    if changes and type_ != Type.RECTIFICATION:
        raise ValidationError("privacy.changes_only_in_rectification", field="changes")
    handler = _clean_handler(handler)
    if handler is None and getattr(actor, "role", None) == roles.PRIVACY and not by_customer:
        handler = actor

    if by_customer:
        resolution = resolve_account(actor)
        values = {"email": actor.email}
        if actor.customer_id:
            values["customer_number"] = actor.contact.customer.number
    else:
        values = clean_identifiers(
            email=email, phone=phone, customer_number=customer_number, name=name, postcode=postcode, country=country
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
            raise ValidationError("privacy.corrections_need_contact", field="changes")
        proposals = [
            (field, clean_proposal_value(field, value, resolution.contact)) for field, value in changes.items()
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
        created_by=account_of(actor),
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
    audit(
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
    if by_customer or is_account(actor) or actor in (SYSTEM, CLI):
        raise ValidationError("privacy.duplicate_open", {"number": other.number}, field="type")
    field = next((k for k in ("email", "phone", "customer_number", "name") if values.get(k)), "email")
    raise ValidationError("privacy.duplicate_open_details", field=field)


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
    unpause(request, now)
    request.save(update_fields=["status", "answered_at", "closed_at", "answered_by", "paused_since", "paused_days"])
    revoke_links(request, now)
    audit(actor, "privacy.request.answer_no_data", request, type=request.type, by_post=bool(by_post))
    emailed = send_to_requester(request, text, by_post=by_post)
    return Notice(request, text.subject, text.body, emailed)


@transaction.atomic
def privacy_request_answer_no_data(*, actor, request: PrivacyRequest, by_post: bool = False) -> Notice:
    """Answer a request about no one we know: we hold no personal data under the identifiers
    given. E-mailed to the address given, or — with `by_post`, or without an address — posted
    by the caller with the returned text. Refused once the identifiers do point to someone.
    """
    require_handler(actor)
    current = lock_request(request)
    actions.require_available(current, actions.ANSWER_NO_DATA)
    notice = _answer_no_data(actor, current, by_post=by_post or not current.email, now=clock.now())
    copy_into(request, current)
    return Notice(request, notice.subject, notice.body, notice.emailed)


# --- Who handles it ---------------------------------------------------------------------


@transaction.atomic
def privacy_request_assign(*, actor, request: PrivacyRequest, handler: Account) -> PrivacyRequest:
    """Name the privacy officer who handles an open request."""
    require_handler(actor)
    handler = _clean_handler(handler)
    if handler is None:
        raise ValidationError("privacy.handler_missing", field="handler")
    current = lock_request(request)
    actions.require_available(current, actions.ASSIGN)
    current.handler = handler
    current.save(update_fields=["handler"])
    audit(actor, "privacy.request.assign", current, handler=handler.pk)
    return copy_into(request, current)
