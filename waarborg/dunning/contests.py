"""Contests (X4): the customer objects or asks for a person, and a named employee decides.

A contest comes from a notice's one-time link, from the customer signed in, or is recorded by
staff; it pauses the case until a named finance employee decides. Upheld: the invoices go on
hold, the case closes and its non-payment blocks are lifted. Rejected: the ladder resumes, the
days it was paused added to every later step. An invoice on hold comes back into dunning when a
named employee releases the hold.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock, roles
from waarborg.core.access import is_customer_viewer, own_customer_id
from waarborg.core.actors import System, account_of, is_account
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.customers.services import clean_choice, clean_text, customer_ref
from waarborg.dunning.adapters import deliver_after_commit
from waarborg.dunning.deciders import require_named_employee
from waarborg.dunning.decisions import ACTOR, CONTEST_DECIDED, PAUSED, new_decision, save_notice, set_next
from waarborg.dunning.facts import case_facts
from waarborg.dunning.ladder_versions import version_of
from waarborg.dunning.links import read_token
from waarborg.dunning.models import Approval, Case, Contest, Decision, Hold, Notice
from waarborg.dunning.schedule import plan_next
from waarborg.dunning.subscriptions import lift_nonpayment_blocks
from waarborg.privacy.validation import refuse_bsn

CUSTOMER_LINK = System("customer-link")  # the audit trail's name for a contest sent from a notice's link


def _active_case_for(decision: Decision) -> Case:
    """The case a notice's decision is about, locked; refused when it is closed."""
    case = Case.objects.select_for_update().get(pk=decision.case_id)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("dunning.case_closed", field="case")
    return case


@transaction.atomic
def contest_submit(
    *,
    token: str | None = None,
    actor=CUSTOMER_LINK,
    case: Case | None = None,
    kind: str = "contest",
    statement: str = "",
) -> Contest:
    """A contest or a request for a person, from a notice's one-time link (`token`), by the
    customer signed in, or recorded by staff (`case`). The case pauses until a person decides."""
    kind = clean_choice(kind, field="kind", choices=Contest.Kind.choices)
    statement = clean_text(statement, field="statement", max_length=4000, multiline=True)
    refuse_bsn(statement, field="statement")  # never stored, whoever sends it
    via = None
    if token is not None:
        decision_id, token_kind = read_token(token)
        via = Decision.objects.filter(pk=decision_id).first()
        if via is None:
            raise ValidationError("dunning.link_invalid", field="token")
        kind = token_kind
        if Contest.objects.filter(via_decision=via, kind=kind).exists():
            raise ValidationError("dunning.link_used", field="token")
        locked = _active_case_for(via)
        submitted_by = None
    else:
        if case is None:
            raise ValidationError("dunning.case_missing", field="case")
        if not is_account(actor):
            raise PermissionDenied("dunning.contest_by_person")
        if is_customer_viewer(actor):
            if str(own_customer_id(actor)) != str(case.customer_id):
                raise NotFound("dunning.case_not_found", {"id": case.pk})
        elif getattr(actor, "role", None) not in (roles.FINANCE, roles.SUPPORT) or not actor.is_active:
            raise PermissionDenied("dunning.contest_by_staff")
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status == Case.Status.CLOSED:
            raise ValidationError("dunning.case_closed", field="case")
        submitted_by = account_of(actor)
    day = clock.today()
    try:
        with transaction.atomic():
            contest = Contest.objects.create(
                case=locked,
                customer_id=locked.customer_id,
                kind=kind,
                via_decision=via,
                submitted_by=submitted_by,
                statement=statement,
                received_at=clock.now(),
            )
    except IntegrityError:  # the same link, used twice at the same moment
        raise ValidationError("dunning.link_used", field="token") from None
    version = version_of(locked)
    _, facts = case_facts(locked, version, day)
    facts["contest"] = {"id": contest.pk, "kind": kind, "received_on": day.isoformat()}
    if locked.status == Case.Status.OPEN:
        locked.paused_on = day
        locked.status = Case.Status.PAUSED
        locked.save(update_fields=["status", "paused_on"])
    decision = new_decision(
        locked,
        version,
        kind=PAUSED,
        key=f"case:{locked.pk}:contest:{contest.pk}",
        facts=facts,
        outcome="paused" if locked.status == Case.Status.PAUSED else "noted",
        outcome_data={"contest": contest.pk},
        day=day,
    )
    decision.save(force_insert=True)
    save_notice(decision, gates=False)
    audit_record(
        actor=submitted_by or (CUSTOMER_LINK if token else ACTOR),
        action="dunning.contest.submit",
        purpose="U11",
        object_type="dunning.contest",
        object_ids=[contest.pk],
        subject_ref=customer_ref(locked.customer_id),
        data={"case": locked.pk, "kind": kind, "fields": ["statement"] if statement else []},
    )
    return contest


@transaction.atomic
def contest_decide(*, actor, contest: Contest, outcome: str, reason: str) -> Decision:
    """A named employee decides a contest; the decision and its reason are recorded and sent.

    upheld: the customer is right; the case closes and its non-payment blocks are lifted.
    rejected: the ladder resumes; the days it was paused are added to every later step.
    """
    require_named_employee(actor)
    outcome = clean_choice(outcome, field="outcome", choices=["upheld", "rejected"])
    reason = clean_text(reason, field="reason", max_length=4000, required=True, multiline=True)
    refuse_bsn(reason, field="reason")
    current = Contest.objects.select_for_update().get(pk=contest.pk)
    if current.status != Contest.Status.OPEN:
        raise ValidationError("dunning.contest_decided", field="contest")
    case = Case.objects.select_for_update().get(pk=current.case_id)
    day = clock.today()
    now = clock.now()
    current.status = outcome
    current.decided_by = account_of(actor)
    current.decided_at = now
    current.reason = reason
    current.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    version = version_of(case)
    _, facts = case_facts(case, version, day)
    facts["contest"] = {
        "id": current.pk,
        "kind": current.kind,
        "received_on": current.received_at.astimezone(clock.AMSTERDAM).date().isoformat(),
    }
    others_open = Contest.objects.filter(case_id=case.pk, status=Contest.Status.OPEN).exists()
    outcome_data: dict = {"contest": current.pk, "employee": actor.display_name or f"account {actor.pk}"}
    unblock_keys: list[str] = []
    if outcome == "upheld":
        held = []
        for row in facts.get("invoices", []):
            if not Hold.objects.filter(invoice_id=row["id"], released_at__isnull=True).exists():
                Hold.objects.create(invoice_id=row["id"], customer_id=case.customer_id, contest=current, created_at=now)
                held.append(row["number"])
        outcome_data["held"] = held
    if outcome == "upheld" and case.status != Case.Status.CLOSED:
        key = f"case:{case.pk}:contest:{current.pk}:decided"
        lifted = lift_nonpayment_blocks(case.customer_id, key=key, reason="resolved")
        unblock_keys = [f"{key}:unblock:{s['id']}" for s in lifted]
        Approval.objects.filter(case_id=case.pk, status=Approval.Status.PENDING).update(
            status=Approval.Status.WITHDRAWN, decided_at=now
        )
        Notice.objects.filter(case_id=case.pk, status=Notice.Status.TO_POST).update(status=Notice.Status.WITHDRAWN)
        case.status = Case.Status.CLOSED
        case.closed_on = day
        case.close_reason = "contest_upheld"
        case.next_step_on = None
        case.pending_notice = False
        case.save(update_fields=["status", "closed_on", "close_reason", "next_step_on", "pending_notice"])
        outcome_data["unblocked"] = lifted
    elif outcome == "rejected" and case.status == Case.Status.PAUSED and not others_open:
        paused = max(0, (day - (case.paused_on or day)).days)
        case.shift_days += paused
        if case.last_effective_on is not None:
            case.last_effective_on += dt.timedelta(days=paused)
        case.status = Case.Status.OPEN
        case.paused_on = None
        case.next_step_on = plan_next(case, version)
        case.save(update_fields=["shift_days", "last_effective_on", "status", "paused_on", "next_step_on"])
        outcome_data["paused_days"] = paused
    decision = new_decision(
        case,
        version,
        kind=CONTEST_DECIDED,
        key=f"case:{case.pk}:contest:{current.pk}:decided",
        facts=facts,
        outcome=outcome,
        outcome_data=outcome_data,
        day=day,
        by=account_of(actor),
        reason=reason,
    )
    set_next(decision, case, version, case.next_step_on if case.status == Case.Status.OPEN else None)
    decision.save(force_insert=True)
    save_notice(decision, gates=False)
    audit_record(
        actor=actor,
        action="dunning.contest.decide",
        purpose="U11",
        object_type="dunning.contest",
        object_ids=[current.pk],
        subject_ref=customer_ref(case.customer_id),
        data={"case": case.pk, "outcome": outcome, "fields": ["reason"]},
    )
    deliver_after_commit(unblock_keys)
    return decision


@transaction.atomic
def hold_release(*, actor, hold: Hold) -> Hold:
    """Put an invoice taken out of dunning back (a named employee; e.g. after correcting it)."""
    require_named_employee(actor)
    current = Hold.objects.select_for_update().get(pk=hold.pk)
    if current.released_at is not None:
        raise ValidationError("dunning.hold_released", field="hold")
    current.released_at = clock.now()
    current.released_by = account_of(actor)
    current.save(update_fields=["released_at", "released_by"])
    audit_record(
        actor=actor,
        action="dunning.hold.release",
        purpose="U4",
        object_type="dunning.hold",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"invoice": current.invoice_id},
    )
    return current
