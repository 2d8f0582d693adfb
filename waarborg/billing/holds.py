"""Billing's hold on an erasure (registered in BillingConfig.ready): an unpaid or disputed invoice.

The data is needed for a legal claim (art. 17(3)(e) GDPR) until the invoice is settled; the
erasure waits and the daily job tries again.
"""

from __future__ import annotations

from django.db.models import F, Q

from waarborg.billing.models import Invoice
from waarborg.customers.models import Customer
from waarborg.erasure.holds import Hold, hold_rule, subject_pks


@hold_rule("open_claim")
def open_claim(plan) -> list[Hold]:
    customers = subject_pks(plan, Customer._meta.label)
    if not customers:
        return []
    unpaid = (
        Invoice.objects.filter(customer_id__in=customers, status=Invoice.Status.OPEN)
        .filter(Q(amount_paid__lt=F("total_incl")))
        .values_list("pk", flat=True)
    )
    refs = tuple(f"{Invoice._meta.label}:{pk}" for pk in sorted(unpaid))
    if not refs:
        return []
    return [
        Hold(
            "open_claim",
            "art. 17(3)(e) AVG/GDPR",
            f"Er staat nog een onbetaalde of betwiste factuur open ({len(refs)}); we wissen zodra die is afgehandeld.",
            f"An invoice is still unpaid or disputed ({len(refs)}); we erase as soon as it is settled.",
            refs,
        )
    ]
