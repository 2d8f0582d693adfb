"""The block: the services the unpaid invoices are for (or, with block_scope "all", every
service of the customer) are blocked for non-payment. Services already blocked for another
reason stay as they are, and are named."""

from __future__ import annotations

import datetime as dt

from waarborg.catalogue.models import Subscription
from waarborg.dunning.adapters import BLOCK, provision
from waarborg.dunning.steps import StepResult
from waarborg.dunning.subscriptions import service_fact, subscriptions_for


def take(case, version, invoices, *, day: dt.date, key: str, agreement=None) -> StepResult:
    """Block the case's services through provisioning; the notice says which."""
    blocked, already, left = [], [], []
    for sub in subscriptions_for(case, version, invoices):
        if sub.status == Subscription.Status.BLOCKED:
            (already if sub.block_reason == Subscription.BlockReason.NON_PAYMENT else left).append(service_fact(sub))
            continue
        provision(
            BLOCK,
            sub,
            key=f"{key}:block:{sub.pk}",
            reason=Subscription.BlockReason.NON_PAYMENT,
            context={"case": case.pk},
        )
        blocked.append(service_fact(sub))
    outcome = "blocked" if blocked or already else "nothing_to_block"
    outcome_data = {"blocked": blocked, "already_blocked": already, "blocked_otherwise": left}
    outcome_data["scope"] = version.settings.get("block_scope", "invoice")
    return StepResult(outcome, outcome_data, True)
