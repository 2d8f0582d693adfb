"""Which actions a privacy request offers now, decided in one place.

Each action has a rule about the request's state (open, verified, its type, what has been done)
that says why it cannot be taken now, with the very error the service gives; and a rule about
who may take it. `available_actions` answers both for a screen; a service asks
`require_available` after it locked the request, so the screen and the service cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from waarborg.core import clock
from waarborg.core.access import is_customer_viewer
from waarborg.core.actors import is_system
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.privacy.handling import require_open, require_type, require_verified
from waarborg.privacy.models import IdDocument, PrivacyRequest, RecipientNotice, RectificationProposal, Restriction
from waarborg.privacy.selectors import check_own_or_handler, require_handler, require_intake, require_person_handler
from waarborg.privacy.subject import current_subject_rows

Type = PrivacyRequest.Type
Plan = PrivacyRequest.Plan

ASSIGN = "assign"
START_VERIFICATION = "start_verification"
VERIFY_BY_STAFF = "verify_by_staff"
REVIEW_ID_DOCUMENT = "review_id_document"
EXTEND = "extend"
REFUSE = "refuse"
COMPLETE = "complete"
DELIVER_PACKAGE = "deliver_package"
ANSWER_NO_DATA = "answer_no_data"
ADD_RECTIFICATION = "add_rectification"
DECIDE_RECTIFICATION = "decide_rectification"
APPLY_RESTRICTION = "apply_restriction"
LIFT_RESTRICTION = "lift_restriction"
SUBMIT_ERASURE_PLAN = "submit_erasure_plan"
REVIEW_ERASURE_PLAN = "review_erasure_plan"
RECORD_ERASURE = "record_erasure"
CLOSE_NOTICE = "close_notice"


# --- The request's state ------------------------------------------------------------------


def _start_verification(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)
    if request.is_verified:
        raise ValidationError("privacy.already_verified", field="status")
    if not request.subject_rows:
        raise ValidationError("privacy.nothing_held_no_check", field="status")


def _verify_by_staff(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)
    if request.verified_at is not None:
        raise ValidationError("privacy.already_verified", field="status")


def _review_id_document(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)
    if not IdDocument.objects.filter(request=request, destroyed_at__isnull=True).exists():
        raise ValidationError("privacy.no_id_document", field="document")


def _extend(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)
    if request.extended_due is not None:
        raise ValidationError("privacy.extended_already", field="reason")
    if today > request.promise_due:
        raise ValidationError("privacy.too_late_to_extend", field="reason")


def _restricted(request: PrivacyRequest) -> bool:
    return Restriction.objects.filter(request=request, lifted_at__isnull=True).exists()


def _complete(request: PrivacyRequest, today: dt.date) -> None:
    """Closing waits for every step of the request's type, and for the recipients to be told (X3)."""
    require_verified(request)
    if RectificationProposal.objects.filter(request=request, status=RectificationProposal.Status.PENDING).exists():
        raise ValidationError("privacy.corrections_undecided", field="proposals")
    if request.type == Type.ERASURE and request.erasure_plan_status != Plan.EXECUTED:
        raise ValidationError("privacy.plan_not_carried_out", field="erasure_plan")
    if request.type == Type.RESTRICTION and not _restricted(request):
        raise ValidationError("privacy.restriction_not_applied", field="status")
    still_open = RecipientNotice.objects.filter(request=request, status=RecipientNotice.Status.OPEN).count()
    if still_open:
        raise ValidationError("privacy.notices_open", {"count": still_open}, field="notices")


def _deliver_package(request: PrivacyRequest, today: dt.date) -> None:
    require_type(request, Type.PORTABILITY)
    _complete(request, today)


def _answer_no_data(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)
    if current_subject_rows(request) or request.contact_id or request.account_id:
        raise ValidationError("privacy.someone_known", field="status")


def _add_rectification(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)
    require_type(request, Type.RECTIFICATION)
    if request.contact_id is None:
        raise ValidationError("privacy.corrections_need_contact", field="field")


def _decide_rectification(request: PrivacyRequest, today: dt.date) -> None:
    require_verified(request)
    if not RectificationProposal.objects.filter(request=request, status=RectificationProposal.Status.PENDING).exists():
        raise ValidationError("privacy.no_correction_to_decide", field="status")


def _apply_restriction(request: PrivacyRequest, today: dt.date) -> None:
    require_verified(request)
    require_type(request, Type.RESTRICTION)
    if _restricted(request):
        raise ValidationError("privacy.restriction_in_place", field="status")


def _lift_restriction(request: PrivacyRequest, today: dt.date) -> None:
    if not _restricted(request):
        raise ValidationError("privacy.no_restriction", field="status")


def _submit_erasure_plan(request: PrivacyRequest, today: dt.date) -> None:
    require_verified(request)
    require_type(request, Type.ERASURE)
    if request.erasure_plan_status in (Plan.APPROVED, Plan.EXECUTED):
        raise ValidationError("privacy.plan_approved_already", field="erasure_plan")


def _review_erasure_plan(request: PrivacyRequest, today: dt.date) -> None:
    require_verified(request)
    require_type(request, Type.ERASURE)
    if request.erasure_plan_status != Plan.PROPOSED:
        raise ValidationError("privacy.no_plan_to_review", field="erasure_plan")


def _record_erasure(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)
    if request.erasure_plan_status != Plan.APPROVED:
        raise ValidationError("privacy.plan_not_approved", field="erasure_plan")


def _close_notice(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)
    if not RecipientNotice.objects.filter(request=request, status=RecipientNotice.Status.OPEN).exists():
        raise ValidationError("privacy.no_open_notice", field="status")


def _open(request: PrivacyRequest, today: dt.date) -> None:
    require_open(request)


# --- Who may take them ------------------------------------------------------------------------


def _starter(actor, request: PrivacyRequest) -> None:
    require_intake(actor)
    if not is_system(actor) and is_customer_viewer(actor):
        raise PermissionDenied("privacy.customer_verified_by_session")


def _handler(actor, request: PrivacyRequest) -> None:
    require_handler(actor)


def _person(actor, request: PrivacyRequest) -> None:
    require_person_handler(actor)


# action: (who may take it, the state it needs)
RULES: dict[str, tuple[Callable, Callable]] = {
    ASSIGN: (_handler, _open),
    START_VERIFICATION: (_starter, _start_verification),
    VERIFY_BY_STAFF: (_person, _verify_by_staff),
    REVIEW_ID_DOCUMENT: (_person, _review_id_document),
    EXTEND: (_handler, _extend),
    REFUSE: (_handler, _open),
    COMPLETE: (_handler, _complete),
    DELIVER_PACKAGE: (_handler, _deliver_package),
    ANSWER_NO_DATA: (_handler, _answer_no_data),
    ADD_RECTIFICATION: (check_own_or_handler, _add_rectification),
    DECIDE_RECTIFICATION: (_person, _decide_rectification),
    APPLY_RESTRICTION: (_handler, _apply_restriction),
    LIFT_RESTRICTION: (_person, _lift_restriction),
    SUBMIT_ERASURE_PLAN: (_handler, _submit_erasure_plan),
    REVIEW_ERASURE_PLAN: (_person, _review_erasure_plan),
    RECORD_ERASURE: (_handler, _record_erasure),
    CLOSE_NOTICE: (_handler, _close_notice),
}


def require_available(request: PrivacyRequest, action: str, *, today: dt.date | None = None) -> None:
    """Refuse `action` when the request's state does not offer it now (the service's own error)."""
    RULES[action][1](request, today or clock.today())


def refusal(request: PrivacyRequest, action: str, *, today: dt.date | None = None) -> ValidationError | None:
    """Why the request's state does not offer `action` now, or None when it does."""
    try:
        require_available(request, action, today=today)
    except ValidationError as error:
        return error
    return None


def available_actions(request: PrivacyRequest, *, actor, today: dt.date | None = None) -> frozenset[str]:
    """The actions `actor` may take on `request` now (the names above), judged on `today`."""
    today = today or clock.today()
    offered = set()
    for action, (who, _state) in RULES.items():
        try:
            who(actor, request)
        except (PermissionDenied, NotFound):
            continue
        if refusal(request, action, today=today) is None:
            offered.add(action)
    return frozenset(offered)
