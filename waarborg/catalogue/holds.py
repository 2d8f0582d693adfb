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
    running = list(
        Subscription.objects.filter(customer_id__in=customers)
        .filter(
            ~Q(status=Subscription.Status.CANCELLED) | Q(end_date__isnull=True) | Q(end_date__gt=plan.day),
        )
        .select_related("product")
        .order_by("pk")
    )
    refs = tuple(f"{Subscription._meta.label}:{s.pk}" for s in running)
    if not refs:
        return []
    # In plain words: which service (the product, never the label: a domain may name a person), until when.
    nl = "; ".join(f"{s.product.name} ({_until(s, 'nl')})" for s in running)
    en = "; ".join(f"{s.product.name} ({_until(s, 'en')})" for s in running)
    return [
        Hold(
            "active_contract",
            "art. 17(1)(a), 6(1)(b) AVG/GDPR",
            f"Er lopen nog diensten: {nl}; na het einde van de laatste dienst wissen we vanzelf.",
            f"Services are still running: {en}; we erase by ourselves once the last one has ended.",
            refs,
        )
    ]


def _until(subscription: Subscription, lang: str) -> str:
    if subscription.end_date is None:
        return "loopt tot u opzegt" if lang == "nl" else "runs until you cancel it"
    day = subscription.end_date.strftime("%d-%m-%Y")
    return f"tot {day}" if lang == "nl" else f"until {day}"
