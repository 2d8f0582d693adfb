"""The customer's services a case is about: which a block or cancellation applies to, cancelling
them, and lifting the blocks for non-payment once the customer paid or was proved right.

Each change goes through provisioning (`adapters.provision`) with an idempotency key, and is
recorded in the decision's outcome as a small fact (`service_fact`)."""

from __future__ import annotations

from waarborg.billing.models import InvoiceLine
from waarborg.catalogue.models import Subscription
from waarborg.dunning.adapters import CANCEL, UNBLOCK, provision
from waarborg.dunning.facts import OpenInvoice
from waarborg.dunning.models import Case, LadderVersion


def subscriptions_for(case: Case, version: LadderVersion, invoices: list[OpenInvoice]) -> list[Subscription]:
    """The services a block or cancellation applies to: those the unpaid invoices are for, or
    (block_scope "all") every service of the customer."""
    qs = Subscription.objects.select_related("product").exclude(status=Subscription.Status.CANCELLED)
    if version.settings.get("block_scope") == "all":
        qs = qs.filter(customer_id=case.customer_id)
    else:
        ids = InvoiceLine.objects.filter(
            invoice_id__in=[i.id for i in invoices], subscription__isnull=False
        ).values_list("subscription_id", flat=True)
        qs = qs.filter(pk__in=set(ids), customer_id=case.customer_id)
    return list(qs.order_by("pk"))


def service_fact(sub: Subscription) -> dict:
    """A service as a decision records it: id, product and label."""
    return {"id": sub.pk, "product": sub.product.name if sub.product_id else "", "label": sub.label}


def lift_nonpayment_blocks(customer_id: int, *, key: str, reason: str = "paid", context=None) -> list[dict]:
    """Unblock the customer's services blocked FOR NON-PAYMENT (other blocks stay); returns them."""
    lifted = []
    subs = Subscription.objects.select_related("product").filter(
        customer_id=customer_id,
        status=Subscription.Status.BLOCKED,
        block_reason=Subscription.BlockReason.NON_PAYMENT,
    )
    for sub in subs.order_by("pk"):
        outcome = provision(UNBLOCK, sub, key=f"{key}:unblock:{sub.pk}", reason=reason, context=context)
        if outcome == "done":
            lifted.append(service_fact(sub))
    return lifted


def cancel_services(case: Case, version: LadderVersion, invoices, key: str) -> list[dict]:
    """Cancel the services the case is about (`subscriptions_for`); returns those cancelled."""
    cancelled = []
    for sub in subscriptions_for(case, version, invoices):
        if provision(CANCEL, sub, key=f"{key}:cancel:{sub.pk}", reason="non_payment", context={"case": case.pk}) == (
            "done"
        ):
            cancelled.append(service_fact(sub))
    return cancelled
