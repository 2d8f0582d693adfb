"""Cases: closing one when nothing is overdue any more, and re-anchoring one on what is still open.

A case opens (the daily run) when the first step of its ladder is due for a customer's oldest
overdue invoice; it pauses while a contest waits for a person (contests); it closes when
everything is paid, a contest is upheld, or the daily run finds nothing overdue left. Closing
lifts the blocks for non-payment, withdraws approvals still waiting and letters still to be
posted. A payment that leaves something open moves the case's anchor to the oldest invoice
still unpaid.
"""

from __future__ import annotations

import datetime as dt

from waarborg.billing.models import Payment
from waarborg.core import clock
from waarborg.dunning.decisions import CLOSED, PAYMENT, REANCHOR, new_decision, save_notice, set_next
from waarborg.dunning.facts import case_facts, money_text
from waarborg.dunning.ladder_versions import version_of
from waarborg.dunning.models import Approval, Case, Decision, Notice
from waarborg.dunning.schedule import plan_next
from waarborg.dunning.subscriptions import lift_nonpayment_blocks


def close_case(case: Case, *, day: dt.date, reason: str, payment: Payment | None = None, by=None) -> Decision:
    """Close a case (call inside a transaction, with the case locked); lift non-payment blocks."""
    version = version_of(case)
    _, facts = case_facts(case, version, day)
    if payment is not None:
        facts["payment"] = _payment_fact(payment)
    key = f"case:{case.pk}:closed"
    lifted = lift_nonpayment_blocks(case.customer_id, key=key, reason="paid" if reason == "paid" else "resolved")
    withdrawn = list(
        Approval.objects.filter(case_id=case.pk, status=Approval.Status.PENDING).values_list("pk", flat=True)
    )
    Approval.objects.filter(pk__in=withdrawn).update(status=Approval.Status.WITHDRAWN, decided_at=clock.now())
    # A letter still waiting to be posted is no longer needed.
    Notice.objects.filter(case_id=case.pk, status=Notice.Status.TO_POST).update(status=Notice.Status.WITHDRAWN)
    case.status = Case.Status.CLOSED
    case.closed_on = day
    case.close_reason = reason
    case.next_step_on = None
    case.pending_notice = False
    case.save(update_fields=["status", "closed_on", "close_reason", "next_step_on", "pending_notice"])
    decision = new_decision(
        case,
        version,
        kind=CLOSED,
        key=key,
        facts=facts,
        outcome=reason,
        outcome_data={"unblocked": lifted, "approvals_withdrawn": withdrawn},
        day=day,
        by=by,
    )
    decision.save(force_insert=True)
    if Notice.objects.filter(case_id=case.pk, status=Notice.Status.SENT).exists() or lifted:
        save_notice(decision, gates=False)
    return decision


def _payment_fact(payment: Payment) -> dict:
    return {
        "id": payment.pk,
        "invoice": payment.invoice.number,
        "amount": money_text(payment.amount),
        "currency": payment.currency,
        "received_on": payment.received_at.astimezone(clock.AMSTERDAM).date().isoformat(),
    }


def reanchor_case(case: Case, *, day: dt.date, payment: Payment | None = None) -> Decision | None:
    """The case continues on what is still open: the anchor becomes the oldest unpaid due date
    and the next step's day follows from it (never earlier than the spacing allows)."""
    version = version_of(case)
    invoices, facts = case_facts(case, version, day)
    if not invoices:
        return None
    new_anchor = invoices[0].due_date
    previous = case.anchor_date
    if payment is None and new_anchor == previous:
        return None
    case.anchor_date = new_anchor
    facts["oldest_due_date"] = new_anchor.isoformat()
    facts["days_overdue"] = (day - new_anchor).days
    facts["previous_anchor"] = previous.isoformat()
    if payment is not None:
        facts["payment"] = _payment_fact(payment)
    if case.status == Case.Status.OPEN:
        case.next_step_on = plan_next(case, version)
    case.save(update_fields=["anchor_date", "next_step_on"])
    suffix = f"payment:{payment.pk}" if payment is not None else f"reanchor:{day.isoformat()}:{new_anchor.isoformat()}"
    decision = new_decision(
        case,
        version,
        kind=PAYMENT if payment is not None else REANCHOR,
        key=f"case:{case.pk}:{suffix}",
        facts=facts,
        outcome="continues",
        outcome_data={"anchor": new_anchor.isoformat(), "previous_anchor": previous.isoformat()},
        day=day,
    )
    set_next(decision, case, version, case.next_step_on)
    decision.save(force_insert=True)
    if payment is not None:
        save_notice(decision, gates=False)
    return decision
