"""The cancellation: the case's services are cancelled for non-payment, once the stated period of
silence after the last notice has passed (dunning.schedule). When the customer responded since
that notice (paid something, or contested), a named employee decides instead (dunning.approvals).
"""

from __future__ import annotations

import datetime as dt

from waarborg.billing.models import Payment
from waarborg.core import clock
from waarborg.dunning.facts import day_text
from waarborg.dunning.models import Approval, Contest
from waarborg.dunning.steps import StepResult, ask_approval
from waarborg.dunning.subscriptions import cancel_services


def _responded_since(case) -> list[dict]:
    """Payments and contests since the last notice: a response, so a person decides on cancelling."""
    since = case.last_notice_on or case.opened_on
    start = dt.datetime.combine(since, dt.time(0, 0), tzinfo=clock.AMSTERDAM)
    out = []
    payments = Payment.objects.filter(customer_id=case.customer_id, received_at__gte=start).count()
    if payments:
        out.append({"kind": "payment", "count": payments})
    contests = Contest.objects.filter(case_id=case.pk, received_at__gte=start).count()
    if contests:
        out.append({"kind": "contest", "count": contests})
    return out


def take(case, version, invoices, *, day: dt.date, key: str, agreement=None) -> StepResult:
    """Cancel the case's services, or ask a person when the customer responded."""
    responded = _responded_since(case)
    if responded:
        return StepResult(
            "approval_requested", {"responses": responded}, None, ask_approval(case, Approval.Kind.CANCEL, day)
        )
    cancelled = cancel_services(case, version, invoices, key)
    outcome_data = {
        "cancelled": cancelled,
        "silence_days": version.settings["cancel_silence_days"],
        "last_notice_on": day_text(case.last_notice_on),
    }
    return StepResult("cancelled" if cancelled else "nothing_to_cancel", outcome_data, True)
