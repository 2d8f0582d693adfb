"""Approvals: the steps a named employee decides, the bailiff hand-off and a contested cancellation.

The bailiff hand-off always needs an approval and a registered bailiff with a valid agreement
(casefile); a cancellation needs an approval when the customer responded after the last notice
(else it follows the stated silence period, steps.cancel). Either way the ladder then moves on.
"""

from __future__ import annotations

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock
from waarborg.core.actors import account_of
from waarborg.core.errors import ValidationError
from waarborg.customers.services import clean_text, customer_ref
from waarborg.dunning.casefile import hand_off
from waarborg.dunning.deciders import require_named_employee
from waarborg.dunning.decisions import (
    BAILIFF_HANDOFF,
    BAILIFF_REFUSED,
    CANCEL_APPROVED,
    CANCEL_REFUSED,
    new_decision,
    save_notice,
    set_next,
)
from waarborg.dunning.facts import case_facts
from waarborg.dunning.ladder_versions import version_of
from waarborg.dunning.models import Approval, Case, Contest, Decision
from waarborg.dunning.schedule import plan_next
from waarborg.dunning.subscriptions import cancel_services


@transaction.atomic
def approval_decide(
    *, actor, approval: Approval, approve: bool, reason: str, recipient=None, send_to: str = ""
) -> Decision:
    """A named employee approves or refuses a waiting step.

    Bailiff: approving needs a registered recipient of category "bailiff" with a valid
    agreement today and registered for the data the case file holds; it produces the case file,
    sends it to `send_to` (the bailiff's office) when given, logs the disclosure and tells the
    customer. Cancellation: approving cancels the services.
    """
    require_named_employee(actor)
    reason = clean_text(reason, field="reason", max_length=4000, required=True, multiline=True)
    current = Approval.objects.select_for_update().get(pk=approval.pk)
    if current.status != Approval.Status.PENDING:
        raise ValidationError("dunning.approval_decided", field="approval")
    case = Case.objects.select_for_update().get(pk=current.case_id)
    if case.status != Case.Status.WAITING:
        raise ValidationError("dunning.approval_not_waiting", field="approval")
    if Contest.objects.filter(case_id=case.pk, status=Contest.Status.OPEN).exists():
        raise ValidationError("dunning.approval_contested", field="approval")
    day = clock.today()
    version = version_of(case)
    invoices, facts = case_facts(case, version, day)
    key = f"case:{case.pk}:approval:{current.pk}"
    outcome_data: dict = {"approval": current.pk, "employee": actor.display_name or f"account {actor.pk}"}
    gates = False
    if current.kind == Approval.Kind.BAILIFF:
        if approve:
            case_file = hand_off(
                case=case, approval=current, recipient=recipient, actor=actor, day=day, facts=facts, send_to=send_to
            )
            kind, outcome, gates = BAILIFF_HANDOFF, "handed_off", True
            outcome_data.update({"recipient": recipient.name, "case_file": case_file.pk})
        else:
            kind, outcome = BAILIFF_REFUSED, "refused"
    else:
        if approve:
            cancelled = cancel_services(case, version, invoices, key)
            kind, outcome, gates = CANCEL_APPROVED, "cancelled" if cancelled else "nothing_to_cancel", True
            outcome_data["cancelled"] = cancelled
        else:
            kind, outcome = CANCEL_REFUSED, "refused"
    current.status = Approval.Status.APPROVED if approve else Approval.Status.REFUSED
    current.decided_by = account_of(actor)
    current.decided_at = clock.now()
    current.reason = reason
    current.recipient = recipient if approve and current.kind == Approval.Kind.BAILIFF else None
    current.save(update_fields=["status", "decided_by", "decided_at", "reason", "recipient"])
    case.next_index += 1
    case.last_effective_on = day
    case.pending_notice = gates
    if case.next_index >= len(version.steps) or (current.kind == Approval.Kind.CANCEL and not approve):
        case.status = Case.Status.DONE
        case.next_step_on = None
    else:
        case.status = Case.Status.OPEN
        case.next_step_on = plan_next(case, version)
    case.save(update_fields=["next_index", "last_effective_on", "pending_notice", "status", "next_step_on"])
    decision = new_decision(
        case,
        version,
        kind=kind,
        key=key,
        facts=facts,
        outcome=outcome,
        outcome_data=outcome_data,
        day=day,
        step_index=case.next_index - 1,
        by=account_of(actor),
        reason=reason,
    )
    set_next(decision, case, version, case.next_step_on)
    decision.save(force_insert=True)
    if gates:
        save_notice(decision, gates=True)
    audit_record(
        actor=actor,
        action="dunning.approval.decide",
        purpose="U4",
        object_type="dunning.approval",
        object_ids=[current.pk],
        subject_ref=customer_ref(case.customer_id),
        data={"case": case.pk, "kind": current.kind, "approved": bool(approve), "fields": ["reason"]},
    )
    return decision
