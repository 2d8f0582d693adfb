"""The payment hook: a payment re-evaluates its customer at once (A5).

A payment (billing.services.payment_record → `payment_booked`) re-evaluates the customer at
once: paid up → the case closes and non-payment blocks are lifted; something still open → the
case continues on what is open (the anchor moves to the oldest invoice still unpaid).
"""

from __future__ import annotations

import logging

from django.db import transaction

from waarborg.billing.models import Payment
from waarborg.core import clock
from waarborg.dunning.adapters import deliver_after_commit
from waarborg.dunning.cases import close_case, reanchor_case
from waarborg.dunning.facts import has_overdue
from waarborg.dunning.models import Case
from waarborg.dunning.subscriptions import lift_nonpayment_blocks

log = logging.getLogger(__name__)


def payment_booked(payment: Payment) -> None:
    """Re-evaluate the customer at once after a payment (called by billing.payment_record, in
    its transaction). A failure here never refuses the payment: the daily run catches up."""
    try:
        with transaction.atomic():
            _payment_booked(payment)
    except Exception:
        log.exception("dunning re-evaluation after payment %s failed; the daily run will catch up", payment.pk)


def _payment_booked(payment: Payment) -> None:
    day = clock.today()
    customer_id = payment.customer_id
    case = next(
        (c for c in Case.objects.select_for_update().filter(customer_id=customer_id) if c.status in Case.ACTIVE), None
    )
    key = f"payment:{payment.pk}"
    if not has_overdue(customer_id, day):
        if case is not None:
            decision = close_case(case, day=day, reason="paid", payment=payment)
            keys = [f"{decision.key}:unblock:{s['id']}" for s in decision.outcome_data["unblocked"]]
        else:
            lifted = lift_nonpayment_blocks(customer_id, key=key, reason="paid")
            keys = [f"{key}:unblock:{s['id']}" for s in lifted]
        deliver_after_commit(keys)
        return
    if case is not None:
        reanchor_case(case, day=day, payment=payment)
