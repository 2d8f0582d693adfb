"""Answering an erasure request (art. 17, G3): the privacy request's side of the erasure engine.

- `privacy_request_erase` — carry out the approved erasure plan of a request: a case linked to
  the request, run at once;
- `answer_request` — once that case is complete the plan is reported carried out and the request
  answered with the notice: what was erased, what was kept, why and until when;
- `answer_held` — a case held (an active contract, an open claim) answers the request at once,
  within its term: nothing erased yet, what will be once the holds end and when, what is kept;
- `final_answer` — once those holds end the daily job runs the case; just before it erases, the
  requester is mailed the final answer (a failing mail is recorded on the case, the erasure runs);
- `offline_erasure_request` — a request that came by e-mail, post or phone, recorded like any
  other (numbered, identity checked, plan approved by the privacy officer) and erased at once;
- `registered_request_erase` — carry out a recorded request, by its number, once its plan is approved;
- `privacy_officer` — the privacy officer who handles such a request.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction

from waarborg.accounts.models import Account
from waarborg.core import clock, roles
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import NotFound, ValidationError
from waarborg.erasure.cases import erasure_case_open, erasure_case_run, erasure_request
from waarborg.erasure.completion import when_case_finished, when_case_released
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.plan import ErasurePlan, erasure_plan
from waarborg.erasure.rules import AlreadyErased, SubjectNotFound, already_erased_for, check_eraser
from waarborg.privacy import notices
from waarborg.privacy.answers import privacy_request_complete
from waarborg.privacy.erasure_plan import (
    erasure_plan_executed,
    erasure_plan_finished,
    erasure_plan_review,
    erasure_plan_submit,
)
from waarborg.privacy.identity import privacy_request_verify_by_staff
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest, RecipientNotice
from waarborg.privacy.subject import subject_hits
from waarborg.subjects.finder import Query, subject_find

log = logging.getLogger(__name__)


def privacy_request_erase(*, actor, request, vacuum: bool = True, scan: bool = True) -> ErasureCase:
    """Carry out the approved erasure plan of a privacy request: a case linked to the request,
    run at once. Once the case is complete (now, or after a hold, by the daily job) the request
    is marked carried out and answered with the notice: what was erased, what was kept, why and
    until when (`answer_request`)."""
    check_eraser(actor)
    current = PrivacyRequest.objects.filter(pk=getattr(request, "pk", request)).first()
    if current is None:
        raise NotFound("privacy.request_not_found", {"pk": getattr(request, "pk", request)})
    if current.type != PrivacyRequest.Type.ERASURE:
        raise ValidationError("privacy.erasure_only", field="type")
    if not current.is_open:
        raise ValidationError("privacy.closed", field="status")
    if current.erasure_plan_status != PrivacyRequest.Plan.APPROVED:
        raise ValidationError("privacy.erasure_plan_not_approved", field="erasure_plan")
    existing = ErasureCase.objects.filter(privacy_request_id=current.pk).order_by("-pk").first()
    if existing is not None:
        return answer_held(erasure_case_run(actor=actor, case=existing, vacuum=vacuum, scan=scan))
    hits = subject_hits(current)
    if not hits:
        raise SubjectNotFound("privacy.erasure_no_subject")
    plan = erasure_plan(hits)
    if not plan.changes:
        raise already_erased_for(plan.identifiers) or AlreadyErased("privacy.erasure_nothing_left")
    case = erasure_case_open(
        actor=actor,
        hits=hits,
        source=ErasureCase.Source.REQUEST,
        reason=f"privacy request {current.number}",
        privacy_request_id=current.pk,
    )
    return answer_held(erasure_case_run(actor=actor, case=case, vacuum=vacuum, scan=scan))


@when_case_finished("answer_request")
def answer_request(case_id, plan: ErasurePlan, notice: dict) -> None:
    """A complete case answers the privacy request it belongs to: the plan is reported carried
    out (rows per model, no values) and the request is completed with the notice in the
    requester's language. The answer waits while recipient notices (X3) are open; the back
    office then completes it (the notice is in the case's result). Failing to answer never
    undoes the erasure: the case records why and the request stays open in the queue."""
    case = ErasureCase.objects.get(pk=case_id)
    if case.privacy_request_id is None or case.status != ErasureCase.Status.COMPLETE:
        return
    request = PrivacyRequest.objects.filter(pk=case.privacy_request_id).first()
    if request is None or not request.is_open:
        return
    try:
        if request.erasure_plan_status == PrivacyRequest.Plan.APPROVED:
            erasure_plan_executed(actor=SYSTEM, request=request, summary=plan.row_counts())
        waiting = RecipientNotice.objects.filter(request=request, status=RecipientNotice.Status.OPEN).count()
        if waiting:
            state = "carried out; the answer waits for the recipient notices"
        elif not request.email:
            state = "carried out; the answer goes by post (the privacy officer completes the request)"
        else:
            note = case.result.get("notice", {}).get(request.language if request.language == "en" else "nl", "")
            privacy_request_complete(actor=SYSTEM, request=request, note=note)
            state = "answered"
    except Exception as exc:  # the erasure stands; the request stays open for the privacy officer
        state = f"not answered ({type(exc).__name__})"
        log.warning("privacy request of erasure case %s was not answered (%s)", case_id, type(exc).__name__)
    data = dict(ErasureCase.objects.get(pk=case_id).result)
    data["request"] = state
    ErasureCase.objects.filter(pk=case_id).update(result=data)


def answer_held(case: ErasureCase) -> ErasureCase:
    """A held case answers its request at once, within the term (art. 12(3)): the plan is put in
    place (nothing erased yet) and the request completed with the interim notice — what will be
    erased once the holds end (which service, which invoice, until when) and what is kept, why
    and until when. The case runs by itself once the holds end (the daily job); the requester
    then gets the final answer (`final_answer`). As with `answer_request`, the answer waits
    while recipient notices are open, and goes by post when there is no e-mail address."""
    if case.status != ErasureCase.Status.ON_HOLD or case.privacy_request_id is None:
        return case
    request = PrivacyRequest.objects.filter(pk=case.privacy_request_id).first()
    if request is None or not request.is_open or request.erasure_plan_status != PrivacyRequest.Plan.APPROVED:
        return case
    try:
        erasure_plan_executed(
            actor=SYSTEM, request=request, summary={}, held=[h["code"] for h in case.result.get("holds", [])]
        )
        waiting = RecipientNotice.objects.filter(request=request, status=RecipientNotice.Status.OPEN).count()
        if waiting:
            state = "held; the answer waits for the recipient notices"
        elif not request.email:
            state = "held; the answer goes by post (the privacy officer completes the request)"
        else:
            privacy_request_complete(actor=SYSTEM, request=request)  # the answer carries the case's interim account
            state = "answered while held"
    except Exception as exc:  # the case stays held; the request stays open for the privacy officer
        state = f"not answered ({type(exc).__name__})"
        log.warning("privacy request of held erasure case %s was not answered (%s)", case.pk, type(exc).__name__)
    ErasureCase.objects.filter(pk=case.pk).update(result={**case.result, "request": state})
    case.refresh_from_db()
    return case


_FINAL_SUBJECT = {
    "nl": "Uw verzoek {number}: we hebben uw gegevens gewist",
    "en": "Your request {number}: we have erased your data",
}


@when_case_released("final_answer")
def final_answer(case_id, plan: ErasurePlan) -> str:
    """Once the holds of a request answered while held have ended, the requester gets the final
    answer — what is erased, what is kept, why and until when — by mail, before the erasure runs
    (the address is still there). Sent once; a failing mail is recorded on the case by the caller."""
    case = ErasureCase.objects.get(pk=case_id)
    request = PrivacyRequest.objects.filter(pk=case.privacy_request_id).first() if case.privacy_request_id else None
    if request is None or not request.erasure_plan.get("held"):
        return "no request answered while held"
    if request.erasure_plan.get("finished"):
        return "final answer sent before"
    if not request.email:
        erasure_plan_finished(actor=SYSTEM, request=request, summary=plan.row_counts())
        return "final answer by post (the privacy officer sends it)"
    lang = "en" if request.language == "en" else "nl"
    text = notices.Text(_FINAL_SUBJECT[lang].format(number=request.number), plan.notice(lang))
    notices.send([request.email], text)
    erasure_plan_finished(actor=SYSTEM, request=request, summary=plan.row_counts())
    return "final answer sent"


# --- Requests that came by e-mail, post or phone ----------------------------------------------


def privacy_officer(email: str = "") -> Account:
    """The active privacy officer with this e-mail address, or without one the only active
    privacy officer; ValidationError when there is none (or, unnamed, more than one)."""
    officers = Account.objects.filter(role=roles.PRIVACY, is_active=True)
    if email:
        officers = officers.filter(email=email.strip().lower())
    found = list(officers[:2])
    if len(found) != 1 and email:
        raise ValidationError("privacy.officer_unknown", field="handler")
    if len(found) != 1:
        raise ValidationError("privacy.officer_not_named", field="handler")
    return found[0]


def offline_erasure_request(
    *,
    query: Query,
    reason: str,
    channel: str,
    checked: str,
    received: dt.date | str | None = None,
    language: str = "nl",
    handler_email: str = "",
    on_recorded: Callable[[PrivacyRequest], None] | None = None,
) -> ErasureCase:
    """Record an erasure request that came by e-mail, post or phone like any other (numbered,
    with its deadlines, the identity check `checked` and the plan approved by the privacy
    officer who handles it), then erase; the subject is answered with the notice once the
    erasure is complete. `received` is the day it came in (an ISO date; default today);
    `on_recorded` is told of the request before the erasure runs.

    Unknown identifiers: SubjectNotFound; a subject erased before: AlreadyErased — both before
    anything is recorded. A request of the subject that is still open is named, to be carried
    out with `registered_request_erase` once its plan is approved."""
    hits = subject_find(query)
    if not hits:
        known = already_erased_for({k: {v} for k, v in query.normalised().items() if k != "postcode"})
        raise known or SubjectNotFound("privacy.erasure_no_subject_given")
    plan = erasure_plan(hits)
    if not plan.changes:
        raise already_erased_for(plan.identifiers) or AlreadyErased("privacy.erasure_nothing_left_given")
    handler = privacy_officer(handler_email)
    with transaction.atomic():
        request = _create_request(
            actor=handler,
            type=PrivacyRequest.Type.ERASURE,
            channel=channel,
            received_at=_received_on(received),
            email=query.email or "",
            phone=query.phone or "",
            customer_number=query.customer_number or "",
            name=query.name or "",
            postcode=query.postcode or "",
            language=language,
            handler=handler,
        )
        privacy_request_verify_by_staff(actor=handler, request=request, note=checked)
        erasure_plan_submit(actor=handler, request=request, categories=plan.categories(), summary=plan.row_counts())
        erasure_plan_review(actor=handler, request=request, approve=True, note=reason)
    if on_recorded is not None:
        on_recorded(request)
    return answer_held(
        erasure_request(actor=handler, query=query, reason=reason, source="cli", privacy_request_id=request.pk)
    )


def _received_on(received: dt.date | str | None) -> dt.date:
    if isinstance(received, dt.date):
        return received
    return clock.parse_date(received) if received else clock.today()


def _create_request(**kw) -> PrivacyRequest:
    try:
        return privacy_request_create(**kw)
    except ValidationError as exc:
        if exc.code == "privacy.duplicate_open":  # that request is carried out with --request once approved
            raise ValidationError("privacy.erasure_request_open", exc.params, field=exc.field) from None
        raise


def registered_request_erase(*, number: str, handler_email: str = "") -> ErasureCase:
    """Carry out the recorded erasure request with this number (e.g. PV000012) once its plan is
    approved, on behalf of the privacy officer who handles it (`privacy_officer`)."""
    request = PrivacyRequest.objects.filter(number=number.strip().upper()).first()
    if request is None:
        raise NotFound("privacy.no_such_request")
    return privacy_request_erase(actor=privacy_officer(handler_email), request=request)
