"""Reads of the catalogue (public) and of subscriptions (scoped to the viewer, B2)."""

from __future__ import annotations

from waarborg.catalogue.models import Product, Subscription
from waarborg.core.access import filter_customer, get_scoped, scope_queryset


def product_list(*, active_only: bool = True):
    """The product catalogue: no personal data, readable by anyone."""
    qs = Product.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("kind", "name")


def subscription_list_for(*, viewer, customer=None, status: str | None = None):
    qs = scope_queryset(
        Subscription.objects.select_related("product", "customer"), viewer=viewer, scope="subscriptions"
    )
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("customer_id", "start_date", "pk")


def subscription_get_for(*, viewer, pk) -> Subscription:
    return get_scoped(
        Subscription.objects.select_related("product", "customer"),
        viewer=viewer,
        scope="subscriptions",
        pk=pk,
    )
