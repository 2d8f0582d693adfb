"""Reads of privacy requests, scoped to the viewer (B2), and the questions other code asks.

Who may do what:
- the privacy officer handles requests and reads them all;
- support may register a request that came in by phone, post or e-mail (not read them);
- a customer makes requests in the portal and reads only their own.

Other code asks `processing_allowed(subject, purpose)` before processing for a purpose, and
`is_restricted(subject)` before doing anything but storing a subject's data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from waarborg.api.models import SCOPE_WRITE
from waarborg.core import clock, datamap, roles
from waarborg.core.access import is_customer_viewer
from waarborg.core.actors import ApiClient, is_system
from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.privacy import timeliness
from waarborg.privacy.models import (
    IdDocument,
    PrivacyRequest,
    ProcessingStop,
    RecipientNotice,
    RectificationProposal,
    Restriction,
)
from waarborg.privacy.resolve import subject_keys

HANDLER_ROLES = frozenset({roles.PRIVACY})
INTAKE_ROLES = frozenset({roles.SUPPORT, roles.PRIVACY})
OBJECTABLE_BASES = ("consent", "legitimate_interest")
# What restricted data may still be used for besides storing it (art. 18(2)): statutory records
# and legal claims.
RESTRICTION_LEAVES = ("U14", "U15")

# --- Who may act ------------------------------------------------------------------------


def _active(actor) -> None:
    if not getattr(actor, "is_active", False):
        raise PermissionDenied("privacy.inactive_account")


def require_handler(actor) -> None:
    """The system, or a privacy officer (never an API client)."""
    if is_system(actor):
        return
    if isinstance(actor, ApiClient):
        raise PermissionDenied("privacy.handler_only")
    _active(actor)
    if getattr(actor, "role", None) not in HANDLER_ROLES:
        raise PermissionDenied("privacy.handler_only")


def require_person_handler(actor) -> None:
    """A privacy officer in person (a review is a human decision)."""
    if is_system(actor):
        raise PermissionDenied("privacy.person_decides")
    require_handler(actor)


def require_intake(actor) -> None:
    """The system, an API client that may register requests, a customer for themselves, support
    or a privacy officer."""
    if is_system(actor):
        return
    if isinstance(actor, ApiClient):
        if not actor.may(SCOPE_WRITE):
            raise PermissionDenied("privacy.api_client_may_not_register")
        return
    _active(actor)
    if is_customer_viewer(actor):
        return
    if getattr(actor, "role", None) not in INTAKE_ROLES:
        raise PermissionDenied("privacy.role_may_not_register")


def _own(qs, viewer):
    condition = Q(account_id=viewer.pk)
    if getattr(viewer, "contact_id", None):
        condition |= Q(contact_id=viewer.contact_id)
    return qs.filter(condition)


def _readable(viewer, qs=None):
    qs = PrivacyRequest.objects.all() if qs is None else qs
    if viewer is None or not getattr(viewer, "is_active", False):
        raise PermissionDenied("privacy.sign_in_first")
    if is_customer_viewer(viewer):
        return _own(qs, viewer)
    if getattr(viewer, "role", None) in HANDLER_ROLES:
        return qs
    raise PermissionDenied("privacy.role_may_not_read")


def check_own_or_handler(actor, request: PrivacyRequest) -> None:
    """A customer acts only on their own request (another's is NotFound); others must handle."""
    if not is_system(actor) and is_customer_viewer(actor):
        _active(actor)
        if not _own(PrivacyRequest.objects.filter(pk=request.pk), actor).exists():
            raise NotFound("privacy.request_not_found", {"pk": request.pk})
        return
    require_handler(actor)


# --- Requests ---------------------------------------------------------------------------


def privacy_request_list_for(*, viewer, status: str | None = None, type: str | None = None, open_only=False):
    qs = _readable(viewer)
    if status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(type=type)
    if open_only:
        qs = qs.filter(status__in=PrivacyRequest.OPEN_STATUSES)
    return qs.order_by("promise_due", "pk")


def privacy_request_get_for(*, viewer, pk) -> PrivacyRequest:
    qs = _readable(viewer)
    try:
        return qs.get(pk=getattr(pk, "pk", pk))
    except (PrivacyRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound("privacy.request_not_found", {"pk": getattr(pk, "pk", pk)}) from None


def rectification_proposal_list_for(*, viewer, request):
    privacy_request_get_for(viewer=viewer, pk=request)
    return RectificationProposal.objects.filter(request_id=getattr(request, "pk", request)).order_by("pk")


def recipient_notice_list_for(*, viewer, request=None, open_only: bool = False):
    roles_ok = not is_customer_viewer(viewer) and getattr(viewer, "role", None) in HANDLER_ROLES
    if not (viewer is not None and getattr(viewer, "is_active", False) and roles_ok):
        raise PermissionDenied("privacy.role_may_not_read_notices")
    qs = RecipientNotice.objects.select_related("recipient", "request")
    if request is not None:
        qs = qs.filter(request_id=getattr(request, "pk", request))
    if open_only:
        qs = qs.filter(status=RecipientNotice.Status.OPEN)
    return qs.order_by("request_id", "recipient__key", "pk")


def id_document_list_for(*, viewer, request):
    """The identity documents of a request (handlers only): times and results, never the file."""
    if is_customer_viewer(viewer):
        raise PermissionDenied("privacy.role_may_not_read_documents")
    privacy_request_get_for(viewer=viewer, pk=request)
    return IdDocument.objects.filter(request_id=getattr(request, "pk", request)).order_by("pk")


# --- The queue (G9) ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    """One request in the queue, judged on `today` by waarborg.privacy.timeliness (at its answer
    once answered)."""

    request: PrivacyRequest
    received: dt.date
    day: int  # days since receipt: until today, or until the answer once answered
    promise_due: dt.date
    legal_due: dt.date
    extended_due: dt.date | None
    due: dt.date  # what the law holds us to: the extended date when extended in time
    days_left: int  # until `due`
    overdue: bool  # not answered, and the promise date (or the extended date) has passed
    late: bool  # answered after the legal term, or not answered and the legal term has passed
    sla_paused: bool  # awaiting the identity check: the internal count stands still
    sla_due: dt.date  # the promised date with the days spent awaiting the identity check added
    answered: dt.date | None = None  # the day the answer or refusal was sent
    first_response: dt.date | None = None  # answer, refusal or notice of extension, the first
    paused_days: int = 0  # days the promise stood still (awaiting the requester)
    target: dt.date | None = None  # what staff work to: the extended date, else `sla_due`
    within_promise: bool | None = None  # None while it can still be kept
    within_legal: bool | None = None  # None while it can still be kept


def queue_row(request: PrivacyRequest, today: dt.date) -> QueueRow:
    judged = timeliness.judge(timeliness.facts_of(request), today)
    return QueueRow(
        request=request,
        received=judged.facts.received,
        day=judged.day,
        promise_due=request.promise_due,
        legal_due=request.legal_due,
        extended_due=request.extended_due,
        due=judged.due,
        days_left=(judged.due - today).days,
        overdue=judged.overdue,
        late=judged.late,
        sla_paused=request.status == PrivacyRequest.Status.AWAITING_ID,
        sla_due=judged.promise_date,
        answered=judged.answered,
        first_response=judged.first_response,
        paused_days=judged.paused_days,
        target=judged.target,
        within_promise=judged.within_promise,
        within_legal=judged.within_legal,
    )


def privacy_queue(*, viewer, today: dt.date | None = None, include_closed: bool = False) -> list[QueueRow]:
    """Open requests, the first due first, with their dates and whether they are overdue."""
    if is_customer_viewer(viewer):
        raise PermissionDenied("privacy.queue_for_officer")
    qs = _readable(viewer).select_related("handler")
    if not include_closed:
        qs = qs.filter(status__in=PrivacyRequest.OPEN_STATUSES)
    today = today or clock.today()
    rows = [queue_row(r, today) for r in qs]
    return sorted(rows, key=lambda row: (row.due, row.promise_due, row.request.pk))


def queue_for_system(*, today: dt.date) -> list[QueueRow]:
    """The open requests for the command line and the daily job (no viewer: the system)."""
    qs = PrivacyRequest.objects.filter(status__in=PrivacyRequest.OPEN_STATUSES).select_related("handler")
    return sorted((queue_row(r, today) for r in qs), key=lambda row: (row.due, row.promise_due, row.request.pk))


# --- Purposes a subject can stop (from the map's bases) ---------------------------------


def purposes_by_basis() -> dict[str, set[str]]:
    """Each purpose with the legal bases the map's declarations give it."""
    result: dict[str, set[str]] = defaultdict(set)
    for entry in datamap.entries():
        for p in entry.fields.values():
            for purpose in p.purposes:
                result[purpose].add(p.basis)
    return dict(result)


def objectable_purposes() -> dict[str, tuple[str, ...]]:
    """Purposes that rest (partly) on consent or legitimate interest, with those bases."""
    out = {}
    for purpose, bases in purposes_by_basis().items():
        stoppable = tuple(b for b in OBJECTABLE_BASES if b in bases)
        if stoppable:
            out[purpose] = stoppable
    return dict(sorted(out.items(), key=lambda item: int(item[0][1:])))


def consent_purposes() -> list[str]:
    """Purposes that rest on consent somewhere in the map."""
    return [p for p, bases in objectable_purposes().items() if "consent" in bases]


# --- The questions other code asks ------------------------------------------------------


def stopped_purposes(subject) -> dict[str, set[str]]:
    """Purpose -> the bases it may no longer rest on for this subject (objection, withdrawal)."""
    keys = subject_keys(subject)
    out: dict[str, set[str]] = defaultdict(set)
    if not keys:
        return {}
    for purpose, bases in ProcessingStop.objects.filter(subject_row__in=keys, lifted_at__isnull=True).values_list(
        "purpose", "bases"
    ):
        out[purpose] |= set(bases or ())
    return dict(out)


def processing_allowed(subject, purpose: str, *, basis: str | None = None) -> bool:
    """May this subject's data be processed for `purpose` (on `basis`, when given)?

    `subject` is a contact person, an account, a (natural-person) customer or another subject
    row. False when the subject objected to, or withdrew consent for, that purpose — for any
    basis when `basis` is None, else only when the stop covers that basis. False too while the
    subject's data is restricted (art. 18(2)), except for what restriction leaves: keeping records
    the law demands (U14) and legal claims (U15).
    """
    if purpose not in RESTRICTION_LEAVES and is_restricted(subject):
        return False
    stops = stopped_purposes(subject)
    if purpose not in stops:
        return True
    return basis is not None and basis not in stops[purpose]


def is_restricted(subject, *, category: str | None = None) -> bool:
    """Is this subject's data restricted (only stored, art. 18)? Optionally for one D-category."""
    keys = subject_keys(subject)
    if not keys:
        return False
    active = Restriction.objects.filter(subject_row__in=keys, lifted_at__isnull=True)
    if category is None:
        return active.exists()
    return any(category in (cats or ()) for cats in active.values_list("categories", flat=True))
