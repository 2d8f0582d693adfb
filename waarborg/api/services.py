"""Writes of the API: tokens (made, revoked, used) and the privacy requests clients register.

Tokens are random, shown once, and kept only as a keyed hash (HMAC with the identifier key): a
copy of the database does not let anyone call the API. Every token expires. Audit events name
the token by its prefix, never by its value.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import smtplib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from waarborg.accounts.models import Account
from waarborg.api.models import SCOPES, ApiRequest, ApiToken
from waarborg.audit.services import audit_record
from waarborg.core import clock, roles
from waarborg.core.actors import ApiClient, is_system
from waarborg.core.crypto import keyed_hash, keyed_hash_candidates
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError, WaarborgError
from waarborg.customers.models import Contact
from waarborg.customers.services import customer_ref
from waarborg.privacy import deadlines
from waarborg.privacy.identity import privacy_request_start_verification
from waarborg.privacy.intake import clean_identifiers, privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.resolve import resolve_identifiers

log = logging.getLogger(__name__)

TOKEN_START = "wb_"
DEFAULT_DAYS = 90
MAX_DAYS = 730
AUDIT_PURPOSE = "U12"  # security: who may use the API
REQUEST_PURPOSE = "U14"  # handling rights requests is a statutory obligation
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_TOKEN = re.compile(r"^wb_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$")
_PREFIX = re.compile(r"^(wb_)?[0-9a-f]{8}$")


class Unmatched(WaarborgError):
    """The identifiers do not single out one known person (unknown, or several people).

    One answer for all of these, `api.unmatched`: an API client must not learn whether someone
    is a customer.
    """


def token_hash(raw: str) -> str:
    return keyed_hash(raw, purpose="api-token")


def client_of(token: ApiToken) -> ApiClient:
    """The actor a token stands for: its client, with exactly the token's scopes (the audit
    trail names it `api:` and the token's prefix)."""
    return ApiClient(prefix=token.prefix, scopes=frozenset(token.scopes or ()), name=token.name)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the bearer token itself: shown once, never stored


def _require_token_admin(actor) -> None:
    """Tokens are made and revoked from the command line (the system) or by an administrator."""
    if is_system(actor):
        return
    if not getattr(actor, "is_active", False) or getattr(actor, "role", None) != roles.ADMIN:
        raise PermissionDenied("api.admin_only")


def _clean_scopes(scopes) -> list[str]:
    chosen = list(dict.fromkeys(str(s).strip() for s in (scopes or ()) if str(s).strip()))
    if not chosen:
        raise ValidationError("api.scope_missing", {"scopes": ", ".join(SCOPES)}, field="scope")
    wrong = [s for s in chosen if s not in SCOPES]
    if wrong:
        raise ValidationError("api.scope_unknown", {"scopes": ", ".join(SCOPES)}, field="scope")
    return sorted(chosen)


def _clean_issuer(created_by) -> Account | None:
    if created_by is None:
        return None
    if not isinstance(created_by, Account) or not created_by.is_active or created_by.role not in roles.STAFF_ROLES:
        raise ValidationError("api.issuer_not_staff", field="by")
    return created_by


@transaction.atomic
def api_token_create(
    *, actor, name: str, scopes, days: int = DEFAULT_DAYS, created_by: Account | None = None
) -> IssuedToken:
    """A new token for the client `name`; the returned secret is the only copy there will be."""
    _require_token_admin(actor)
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise ValidationError("api.client_name_invalid", field="name")
    chosen = _clean_scopes(scopes)
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError("api.token_days", {"max": MAX_DAYS}, field="days")
    issuer = _clean_issuer(created_by) or (actor if isinstance(actor, Account) else None)
    now = clock.now()
    for attempt in range(5):
        prefix = f"{TOKEN_START}{secrets.token_hex(4)}"
        secret = f"{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken(
            name=name,
            scopes=chosen,
            token_hash=token_hash(secret),
            prefix=prefix,
            created_by=issuer,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        try:
            with transaction.atomic():
                token.save(force_insert=True)
            break
        except IntegrityError:  # a prefix drawn twice: draw again
            if attempt == 4:
                raise
    audit_record(
        actor=actor,
        action="api.token.create",
        purpose=AUDIT_PURPOSE,
        object_type="api.apitoken",
        object_ids=[token.pk],
        data={"token": token.prefix, "client": name, "scopes": chosen, "days": days},
    )
    return IssuedToken(token, secret)


@transaction.atomic
def api_token_revoke(*, actor, prefix: str) -> tuple[ApiToken, bool]:
    """Revoke a token by its prefix (`wb_1a2b3c4d` or `1a2b3c4d`); (token, False) when it already was."""
    _require_token_admin(actor)
    text = (prefix or "").strip().lower()
    if not _PREFIX.fullmatch(text):
        raise ValidationError("api.prefix_invalid", field="prefix")
    if not text.startswith(TOKEN_START):
        text = TOKEN_START + text
    token = ApiToken.objects.select_for_update().filter(prefix=text).first()
    if token is None:
        raise NotFound("api.token_not_found", field="prefix")
    if token.revoked_at is not None:
        return token, False
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api.token.revoke",
        purpose=AUDIT_PURPOSE,
        object_type="api.apitoken",
        object_ids=[token.pk],
        data={"token": token.prefix, "client": token.name},
    )
    return token, True


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token `raw` is, or None (unknown, malformed, expired or revoked); notes its use."""
    raw = (raw or "").strip()
    if not _TOKEN.fullmatch(raw):
        return None
    token = ApiToken.objects.filter(token_hash__in=keyed_hash_candidates(raw, purpose="api-token")).first()
    now = clock.now()
    if token is None or token.status(now) != "active":
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


# --- Privacy requests through the API ------------------------------------------------------


def _check_received(value) -> None:
    """A date received within the last year (an older one is a case for the privacy officer)."""
    if value is None:
        return
    try:
        if isinstance(value, dt.datetime):
            day = value.astimezone(clock.AMSTERDAM).date() if value.tzinfo else value.date()
        else:
            day = value
    except (OverflowError, ValueError):
        raise ValidationError("api.received_out_of_range", field="received_at") from None
    today = clock.today()
    if day > today:
        raise ValidationError("api.received_in_future", field="received_at")
    if day < today - dt.timedelta(days=deadlines.RECEIVED_MAX_DAYS):
        raise ValidationError("api.received_too_old", {"days": deadlines.RECEIVED_MAX_DAYS}, field="received_at")


def _has_identifier(values: dict[str, str]) -> bool:
    return any(values.get(k) for k in ("email", "phone", "customer_number")) or bool(
        values.get("name") and values.get("postcode")
    )


def api_privacy_request_create(
    *,
    token: ApiToken,
    type: str,
    received_at=None,
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
) -> PrivacyRequest:
    """Register a request on channel `api` for the client of `token`, then start the identity check.

    Identifiers that point to several people, or to different ones, raise `Unmatched` (nothing is
    written). Identifiers under which nobody is known go to the privacy app as they are: it
    registers the request and answers that nothing is held. Other bad input raises
    ValidationError naming the field. A request about someone known, with an e-mail address, gets
    its identity check at once (a link to it); without one, the privacy officer starts it by letter.
    """
    actor = client_of(token)
    _check_received(received_at)
    values = clean_identifiers(email=email, phone=phone, customer_number=customer_number, name=name, postcode=postcode)
    if not _has_identifier(values):
        raise ValidationError("api.identifier_missing", field="email")
    try:
        resolve_identifiers(values)
    except ValidationError:  # several people fit, or the identifiers are of different people
        raise Unmatched("api.unmatched") from None
    except NotFound:
        pass  # nobody known by them: registered all the same (see above)
    with transaction.atomic():
        request = privacy_request_create(
            actor=actor,
            type=type,
            channel=PrivacyRequest.Channel.API,
            received_at=received_at,
            email=email,
            phone=phone,
            customer_number=customer_number,
            name=name,
            postcode=postcode,
            details=details,
            purposes=purposes,
            consent_kinds=consent_kinds,
            changes=changes,
            transmit_to=transmit_to,
            language=language,
        )
        ApiRequest.objects.create(request=request, token=token, client=token.name)
    if request.is_open and request.subject_rows and request.email and not request.is_verified:
        try:
            privacy_request_start_verification(actor=actor, request=request)
        except (OSError, smtplib.SMTPException, ValidationError) as exc:
            # Registered all the same: the queue shows it as received, and the privacy officer
            # starts the check (`waarborg privacy verify NUMBER`).
            log.warning("api: no identity check started for %s (%s)", request.number, exc.__class__.__name__)
        request.refresh_from_db()
    return request


def _subject_ref(request: PrivacyRequest) -> str:
    if request.contact_id:
        customer_id = Contact.objects.filter(pk=request.contact_id).values_list("customer_id", flat=True).first()
        if customer_id:
            return customer_ref(customer_id)
    return f"privacyrequest:{request.pk}"


@transaction.atomic
def api_privacy_request_view(*, token: ApiToken, pk: int) -> PrivacyRequest:
    """A request this client registered (any of its tokens), recorded in the audit trail.

    Another client's request, and one that does not exist, are the same NotFound.
    """
    origin = ApiRequest.objects.select_related("request").filter(request_id=pk, client=token.name).first()
    if origin is None:
        raise NotFound("api.request_not_found")
    request = origin.request
    audit_record(
        actor=client_of(token),
        action="privacy.request.view",
        purpose=REQUEST_PURPOSE,
        object_type="privacy.privacyrequest",
        object_ids=[request.pk],
        subject_ref=_subject_ref(request),
        data={"request": request.number, "channel": "api"},
    )
    return request
