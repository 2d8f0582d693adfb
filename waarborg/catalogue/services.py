"""Writes of products and subscriptions (S1)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.catalogue.models import PRODUCT_KINDS, Product, Subscription
from waarborg.core import clock, roles
from waarborg.core.access import check_actor
from waarborg.core.actors import is_account, is_system
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.core.identifiers import normalise_domain
from waarborg.customers.models import Customer
from waarborg.customers.services import clean_choice, clean_text, customer_ref

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")

# Kinds whose label is a domain name.
DOMAIN_KINDS = frozenset({"domain", "ssl"})


def _money(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError("catalogue.not_an_amount", {"field": field}, field=field) from None
    if not amount.is_finite():
        raise ValidationError("catalogue.not_an_amount", {"field": field}, field=field)
    return amount


@transaction.atomic
def product_create(*, actor, code: str, kind: str, name: str, monthly_price, active: bool = True) -> Product:
    """A product of one of the service kinds of the statement (administrators)."""
    if not is_system(actor):
        if not (is_account(actor) and actor.is_active and actor.role == roles.ADMIN):
            raise PermissionDenied("catalogue.admin_only")
    code = (code or "").strip().lower()
    if not _SLUG.match(code):
        raise ValidationError("catalogue.code_form", field="code")
    if Product.objects.filter(code=code).exists():
        raise ValidationError("catalogue.code_taken", field="code")
    kind = clean_choice(kind, field="kind", choices=list(PRODUCT_KINDS))
    name = clean_text(name, field="name", max_length=120, required=True)
    price = _money(monthly_price, field="monthly_price")
    if price < 0:
        raise ValidationError("catalogue.negative_price", field="monthly_price")
    product = Product.objects.create(code=code, kind=kind, name=name, monthly_price=price, active=active)
    audit_record(
        actor=actor,
        action="product.create",
        purpose="U1",
        object_type="catalogue.product",
        object_ids=[product.pk],
        data={"fields": ["code", "kind", "name", "monthly_price"], "kind": kind},
    )
    return product


def _clean_label(label: str, kind: str) -> str:
    text = (label or "").strip()
    if kind in DOMAIN_KINDS:
        if not text:
            raise ValidationError("catalogue.domain_required", field="label")
        domain = normalise_domain(text)
        if not _DOMAIN.match(domain):
            raise ValidationError("catalogue.domain_invalid", field="label")
        return domain
    if text and "." in text and " " not in text:
        # A host or domain name: stored in the same normal form the subject finder searches.
        return normalise_domain(text)
    return clean_text(text, field="label", max_length=253)


@transaction.atomic
def subscription_create(
    *,
    actor,
    customer: Customer,
    product: Product,
    label: str = "",
    start_date: dt.date | None = None,
    purpose: str = "U1",
) -> Subscription:
    """A customer's subscription to an active product; the product's kind decides the label rule."""
    check_actor(actor=actor, scope="subscriptions", customer_id=customer.pk)
    if product.kind not in PRODUCT_KINDS:
        raise ValidationError("catalogue.unknown_kind", field="product")
    if not product.active:
        raise ValidationError("catalogue.product_withdrawn", field="product")
    if customer.status == Customer.Status.ENDED:
        raise ValidationError("catalogue.customer_ended", field="customer")
    label = _clean_label(label, product.kind)
    subscription = Subscription.objects.create(
        customer=customer,
        product=product,
        label=label,
        start_date=start_date or clock.today(),
        status=Subscription.Status.ACTIVE,
    )
    audit_record(
        actor=actor,
        action="subscription.create",
        purpose=purpose,
        object_type="catalogue.subscription",
        object_ids=[subscription.pk],
        subject_ref=customer_ref(customer.pk),
        data={
            "fields": ["product", "start_date"] + (["label"] if label else []),
            "product": product.code,
            "kind": product.kind,
        },
    )
    return subscription


def _locked(subscription: Subscription) -> Subscription:
    return Subscription.objects.select_for_update().get(pk=subscription.pk)


def _sync(target: Subscription, source: Subscription, fields) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


@transaction.atomic
def subscription_block(*, actor, subscription: Subscription, reason: str, purpose: str = "U1") -> Subscription:
    """Block an active service; `reason` is one of Subscription.BlockReason (not empty)."""
    check_actor(actor=actor, scope="subscriptions", customer_id=subscription.customer_id, customers_may=False)
    allowed = [c for c in Subscription.BlockReason.choices if c[0]]
    reason = clean_choice(reason, field="reason", choices=allowed)
    current = _locked(subscription)
    if current.status != Subscription.Status.ACTIVE:
        raise ValidationError("catalogue.block_not_active", field="status")
    current.status = Subscription.Status.BLOCKED
    current.block_reason = reason
    current.save(update_fields=["status", "block_reason"])
    audit_record(
        actor=actor,
        action="subscription.block",
        purpose=purpose,
        object_type="catalogue.subscription",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"fields": ["status", "block_reason"], "reason": reason},
    )
    _sync(subscription, current, ("status", "block_reason"))
    return current


# Why a block was lifted (a code: the audit trail holds no free text about the customer).
UNBLOCK_REASONS = ("paid", "resolved", "customer_request", "mistake", "other")


@transaction.atomic
def subscription_unblock(
    *, actor, subscription: Subscription, reason: str = "resolved", purpose: str = "U1"
) -> Subscription:
    """Lift a block; `reason` is one of UNBLOCK_REASONS."""
    check_actor(actor=actor, scope="subscriptions", customer_id=subscription.customer_id, customers_may=False)
    reason = clean_choice(reason, field="reason", choices=UNBLOCK_REASONS)
    current = _locked(subscription)
    if current.status != Subscription.Status.BLOCKED:
        raise ValidationError("catalogue.unblock_not_blocked", field="status")
    previous = current.block_reason
    current.status = Subscription.Status.ACTIVE
    current.block_reason = Subscription.BlockReason.NONE
    current.save(update_fields=["status", "block_reason"])
    audit_record(
        actor=actor,
        action="subscription.unblock",
        purpose=purpose,
        object_type="catalogue.subscription",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"fields": ["status", "block_reason"], "previous_reason": previous, "reason": reason},
    )
    _sync(subscription, current, ("status", "block_reason"))
    return current


@transaction.atomic
def subscription_cancel(
    *, actor, subscription: Subscription, end_date: dt.date | None = None, purpose: str = "U1"
) -> Subscription:
    """End a service (by the customer, staff or the system)."""
    check_actor(actor=actor, scope="subscriptions", customer_id=subscription.customer_id)
    current = _locked(subscription)
    if current.status == Subscription.Status.CANCELLED:
        raise ValidationError("catalogue.cancelled_already", field="status")
    end = end_date or clock.today()
    if end < current.start_date:
        raise ValidationError("catalogue.end_before_start", field="end_date")
    current.status = Subscription.Status.CANCELLED
    current.end_date = end
    current.save(update_fields=["status", "end_date"])
    audit_record(
        actor=actor,
        action="subscription.cancel",
        purpose=purpose,
        object_type="catalogue.subscription",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"fields": ["status", "end_date"]},
    )
    _sync(subscription, current, ("status", "end_date"))
    return current
