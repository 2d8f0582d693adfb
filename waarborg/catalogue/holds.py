"""The catalogue's hold on an erasure (registered in CatalogueConfig.ready): a service still runs.

The data is still needed to perform the contract (art. 17(1)(a), art. 6(1)(b) GDPR); ending the
contract makes the erasure run by itself once the last service has ended (R2).
"""

from __future__ import annotations

from django.db.models import Q

from waarborg.catalogue.models import Subscription
from waarborg.customers.models import Customer
from waarborg.erasure.holds import Hold, hold_rule, subject_pks


@hold_rule("active_contract")
def active_contract(plan) -> list[Hold]:
    customers = subject_pks(plan, Customer._meta.label)
    if not customers:
        return []
    running = (
        Subscription.objects.filter(customer_id__in=customers)
        .filter(
            ~Q(status=Subscription.Status.CANCELLED) | Q(end_date__isnull=True) | Q(end_date__gt=plan.day),
        )
        .values_list("pk", flat=True)
    )
    refs = tuple(f"{Subscription._meta.label}:{pk}" for pk in sorted(running))
    if not refs:
        return []
    return [
        Hold(
            "active_contract",
            "art. 17(1)(a), 6(1)(b) AVG/GDPR",
            f"Er lopen nog diensten ({len(refs)}); na het einde van de laatste dienst wissen we vanzelf.",
            f"Services are still running ({len(refs)}); we erase by ourselves once the last one has ended.",
            refs,
        )
    ]
