"""Reads of customers, contact persons and documents, always scoped to the viewer (B2).

The access rules every selector in the project shares live here too:

- `scope_queryset` narrows a queryset to what a viewer may read: a role without the scope gets
  PermissionDenied, a customer sees only the rows of their own customer;
- `get_scoped` fetches one row the same way; a row outside the viewer's reach is NotFound,
  exactly like a row that does not exist;
- `check_actor` is the same rule for writes (used by the services).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from waarborg.core import roles
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.core.identifiers import normalise_customer_number
from waarborg.customers.models import Contact, Customer, Document, NoticeAgreement

# --- Shared access rules ------------------------------------------------------------------


def is_customer_viewer(viewer) -> bool:
    return getattr(viewer, "role", None) == roles.CUSTOMER


def own_customer_id(viewer) -> int | None:
    """The customer a customer viewer belongs to (through their contact person), else None."""
    if not is_customer_viewer(viewer):
        return None
    return getattr(viewer, "customer_id", None)


def _pk_of(value):
    return value.pk if isinstance(value, models.Model) else value


def without_restricted(qs):
    """Rows an erasure kept locked away (R4, art. 18) are hidden from every role; only
    waarborg.erasure.archive.fiscal_archive_read opens them."""
    if any(f.name == "restricted_at" for f in qs.model._meta.concrete_fields):
        return qs.filter(restricted_at__isnull=True)
    return qs


def without_restricted_subjects(qs, *, customer_path: str):
    """Leave out the data of people whose processing is restricted (art. 18, X2): it is only
    stored, so staff lists, searches and records do not show it until the restriction is lifted.

    A contact person's restriction hides that person (and their portal account); it hides the
    customer's own rows only when the customer is that person (a private person or sole trader).
    """
    from waarborg.privacy.selectors import restricted_subject_ids  # privacy builds on customers

    customers, contacts, accounts = restricted_subject_ids()
    qs = qs.exclude(**{f"{customer_path}__in": customers})
    if qs.model is Contact:
        for subquery in contacts:
            qs = qs.exclude(pk__in=subquery)
    if qs.model._meta.label == "accounts.Account":
        qs = qs.exclude(pk__in=accounts)
    return qs


def scope_queryset(qs, *, viewer, scope: str, customer_path: str = "customer_id"):
    """`qs` narrowed to what `viewer` may read under `scope`.

    `customer_path` is the lookup from the model to its customer's id; a customer viewer sees
    only rows where it equals their own customer. Staff do not see restricted data.
    """
    roles.require(viewer, scope)
    qs = without_restricted(qs)
    if is_customer_viewer(viewer):
        customer_id = own_customer_id(viewer)
        if customer_id is None:
            return qs.none()
        return qs.filter(**{customer_path: customer_id})
    return without_restricted_subjects(qs, customer_path=customer_path)


def get_scoped(qs, *, viewer, scope: str, pk, customer_path: str = "customer_id"):
    """One row of `qs` that `viewer` may read; NotFound when it does not exist *for them*."""
    scoped = scope_queryset(qs, viewer=viewer, scope=scope, customer_path=customer_path)
    label = qs.model._meta.label_lower
    try:
        return scoped.get(pk=_pk_of(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"{label} {_pk_of(pk)} not found") from None


def filter_customer(qs, *, viewer, customer, customer_path: str = "customer_id"):
    """Narrow `qs` further to one customer; a customer naming another customer gets NotFound."""
    if customer is None:
        return qs
    customer_id = _pk_of(customer)
    if is_customer_viewer(viewer) and str(customer_id) != str(own_customer_id(viewer)):
        raise NotFound(f"customers.customer {customer_id} not found")
    return qs.filter(**{customer_path: customer_id})


def check_actor(*, actor, scope: str, customer_id=None, customers_may: bool = True) -> None:
    """May `actor` write under `scope` (for `customer_id`)?

    - the system (None or a string such as "system", "cli") may;
    - a staff member may when their role has the scope;
    - a customer may only when `customers_may`, and only for their own customer: another
      customer's object is NotFound, as when reading.
    """
    if actor is None or isinstance(actor, str):
        return
    if not getattr(actor, "is_active", False):
        raise PermissionDenied("inactive account")
    if is_customer_viewer(actor):
        if not customers_may:
            raise PermissionDenied(f"customers may not change {scope}")
        if customer_id is not None and str(customer_id) != str(own_customer_id(actor)):
            raise NotFound(f"customers.customer {customer_id} not found")
        return
    roles.require(actor, scope)


# --- Customers ----------------------------------------------------------------------------


def customer_list_for(*, viewer, query: str | None = None, status: str | None = None):
    """Customers the viewer may see; `query` matches a customer number or part of the name."""
    qs = scope_queryset(Customer.objects.all(), viewer=viewer, scope="customers", customer_path="pk")
    if status:
        qs = qs.filter(status=status)
    text = (query or "").strip()
    if text:
        try:
            number = normalise_customer_number(text)
        except ValidationError:
            number = None
        condition = Q(name__icontains=text)
        if number:
            condition |= Q(number=number)
        qs = qs.filter(condition)
    return qs.order_by("number")


def customer_get_for(*, viewer, pk) -> Customer:
    return get_scoped(Customer.objects.all(), viewer=viewer, scope="customers", pk=pk, customer_path="pk")


# --- Contact persons ----------------------------------------------------------------------


def contact_list_for(*, viewer, customer=None):
    qs = scope_queryset(Contact.objects.select_related("customer"), viewer=viewer, scope="contacts")
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    return qs.order_by("customer_id", "role", "last_name", "pk")


def contact_get_for(*, viewer, pk) -> Contact:
    return get_scoped(Contact.objects.select_related("customer"), viewer=viewer, scope="contacts", pk=pk)


# --- Documents (assignment documents: support only) -------------------------------------


def document_list_for(*, viewer, customer=None):
    qs = scope_queryset(Document.objects.all(), viewer=viewer, scope="documents")
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    return qs.order_by("-created_at", "-pk")


def document_get_for(*, viewer, pk) -> Document:
    return get_scoped(Document.objects.all(), viewer=viewer, scope="documents", pk=pk)


# --- Notices by e-mail (art. 6:227a BW) -------------------------------------------------


def notice_agreement_for(*, viewer, customer) -> NoticeAgreement | None:
    """The customer's record of agreeing to written notices by e-mail (standing or withdrawn), or None."""
    qs = scope_queryset(NoticeAgreement.objects.all(), viewer=viewer, scope="customers")
    return qs.filter(customer_id=_pk_of(customer)).first()


def notice_agreements_standing(customer_ids, day) -> dict[int, NoticeAgreement]:
    """{customer id: agreement} for those of `customer_ids` whose agreement stands on `day`.

    For the daily run, which decides for itself how each fourteen-day letter goes (no viewer)."""
    out: dict[int, NoticeAgreement] = {}
    ids = sorted(set(customer_ids))
    for start in range(0, len(ids), 500):
        for agreement in NoticeAgreement.objects.filter(customer_id__in=ids[start : start + 500]):
            if agreement.stands_on(day):
                out[agreement.customer_id] = agreement
    return out
