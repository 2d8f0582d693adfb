"""Need-to-know (B2): the access rules every selector and service shares.

- `scope_queryset` narrows a queryset to what a viewer may read: a role without the scope gets
  PermissionDenied, a customer sees only the rows of their own customer;
- `get_scoped` fetches one row the same way; a row outside the viewer's reach is NotFound,
  exactly like a row that does not exist;
- `filter_customer` narrows further to one customer;
- `check_actor` is the same rule for writes (used by the services).

Rows an erasure locked away (`restricted_at`) and the data of people whose processing is
restricted (art. 18) are left out of every staff read. Which people are restricted is declared by
the app that keeps restrictions (`register_restricted_subjects`, called from its AppConfig.ready).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from waarborg.core import roles
from waarborg.core.actors import ApiClient, System, is_account
from waarborg.core.errors import NotFound, PermissionDenied

# () -> (customer ids, (contact id subqueries...), account ids), each a queryset of values.
_restricted_subjects: list[Callable] = []


def register_restricted_subjects(lookup: Callable) -> None:
    """Declare where restricted people are found; `lookup()` returns (customers, contacts,
    accounts) as subqueries of ids, `contacts` being a tuple of subqueries."""
    if lookup not in _restricted_subjects:
        _restricted_subjects.append(lookup)


def is_customer_viewer(viewer) -> bool:
    return getattr(viewer, "role", None) == roles.CUSTOMER


def own_customer_id(viewer) -> int | None:
    """The customer a customer viewer belongs to (through their contact person), else None."""
    if not is_customer_viewer(viewer):
        return None
    return getattr(viewer, "customer_id", None)


def pk_of(value):
    """The primary key of a model instance, or the value itself."""
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
    label = qs.model._meta.label
    for lookup in _restricted_subjects:
        customers, contacts, accounts = lookup()
        qs = qs.exclude(**{f"{customer_path}__in": customers})
        if label == "customers.Contact":
            for subquery in contacts:
                qs = qs.exclude(pk__in=subquery)
        if label == "accounts.Account":
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
        return scoped.get(pk=pk_of(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound("access.not_found", {"object": label, "id": pk_of(pk)}) from None


def filter_customer(qs, *, viewer, customer, customer_path: str = "customer_id"):
    """Narrow `qs` further to one customer; a customer naming another customer gets NotFound."""
    if customer is None:
        return qs
    customer_id = pk_of(customer)
    if is_customer_viewer(viewer) and str(customer_id) != str(own_customer_id(viewer)):
        raise NotFound("access.not_found", {"object": "customers.customer", "id": customer_id})
    return qs.filter(**{customer_path: customer_id})


def check_actor(*, actor, scope: str, customer_id=None, customers_may: bool = True, api_scope: str = "") -> None:
    """May `actor` write under `scope` (for `customer_id`)?

    - the system (`System(...)`) may;
    - an API client may only when its token holds `api_scope`;
    - a staff member may when their role has the scope;
    - a customer may only when `customers_may`, and only for their own customer: another
      customer's object is NotFound, as when reading.
    """
    if isinstance(actor, System):
        return
    if isinstance(actor, ApiClient):
        if api_scope and actor.may(api_scope):
            return
        raise PermissionDenied("access.api_client_may_not_change", {"scope": scope})
    if not is_account(actor):
        raise TypeError(f"an actor is an Account, System(name) or ApiClient, not {type(actor).__name__}")
    if not getattr(actor, "is_active", False):
        raise PermissionDenied("access.inactive_account")
    if is_customer_viewer(actor):
        if not customers_may:
            raise PermissionDenied("access.customers_may_not_change", {"scope": scope})
        if customer_id is not None and str(customer_id) != str(own_customer_id(actor)):
            raise NotFound("access.not_found", {"object": "customers.customer", "id": customer_id})
        return
    roles.require(actor, scope)
