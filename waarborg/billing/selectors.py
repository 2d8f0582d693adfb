"""Reads of invoices, payments and payment methods, scoped to the viewer (B2).

Payment methods are returned as `PaymentMethodView`: the IBAN only masked, to every role (D7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from waarborg.billing.models import Invoice, Payment, PaymentMethod
from waarborg.core.access import filter_customer, get_scoped, scope_queryset


def invoice_list_for(*, viewer, customer=None, status: str | None = None):
    qs = scope_queryset(Invoice.objects.select_related("customer"), viewer=viewer, scope="invoices")
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-issue_date", "-pk")


def invoice_get_for(*, viewer, pk) -> Invoice:
    return get_scoped(
        Invoice.objects.select_related("customer").prefetch_related("lines"),
        viewer=viewer,
        scope="invoices",
        pk=pk,
    )


def payment_list_for(*, viewer, customer=None, invoice=None):
    qs = scope_queryset(Payment.objects.select_related("invoice"), viewer=viewer, scope="payments")
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    if invoice is not None:
        qs = qs.filter(invoice_id=getattr(invoice, "pk", invoice))
    return qs.order_by("-received_at", "-pk")


@dataclass(frozen=True)
class PaymentMethodView:
    """A payment method as shown: never the IBAN itself, only its masked form."""

    id: int
    customer_id: int
    kind: str
    kind_display: str
    holder_name: str
    iban_masked: str
    mandate_reference: str
    mandate_signed_at: dt.datetime | None
    created_at: dt.datetime

    @property
    def pk(self) -> int:
        return self.id


# The encrypted column is never read by these selectors.
_VIEW_FIELDS = (
    "id",
    "customer_id",
    "kind",
    "holder_name",
    "iban_last4",
    "mandate_reference",
    "mandate_signed_at",
    "created_at",
)


def _view(row: dict) -> PaymentMethodView:
    last4 = row["iban_last4"]
    return PaymentMethodView(
        id=row["id"],
        customer_id=row["customer_id"],
        kind=row["kind"],
        kind_display=PaymentMethod.Kind(row["kind"]).label,
        holder_name=row["holder_name"],
        iban_masked=f"•••• {last4}" if last4 else "",
        mandate_reference=row["mandate_reference"],
        mandate_signed_at=row["mandate_signed_at"],
        created_at=row["created_at"],
    )


def payment_method_list_for(*, viewer, customer=None) -> list[PaymentMethodView]:
    qs = scope_queryset(PaymentMethod.objects.all(), viewer=viewer, scope="payment_methods")
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    return [_view(row) for row in qs.order_by("customer_id", "pk").values(*_VIEW_FIELDS)]


def payment_method_get_for(*, viewer, pk) -> PaymentMethodView:
    qs = PaymentMethod.objects.all()
    method = get_scoped(qs.only("id"), viewer=viewer, scope="payment_methods", pk=pk)
    return _view(qs.filter(pk=method.pk).values(*_VIEW_FIELDS).get())
