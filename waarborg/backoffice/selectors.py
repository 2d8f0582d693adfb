"""Reads for the back office, scoped to the viewer (B2).

- `customer_search_for`: customers by name, customer number, e-mail, phone or domain. Every
  criterion reads through the scope it needs; a role without that scope gets nothing from it.
- `customer_consents_for`: the consent records of a customer's contact persons and accounts.
- `audit_event_list_for`: the audit trail with filters, for the privacy officer (scope `audit`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, Value
from django.db.models.functions import Concat

from waarborg.audit.models import AuditEvent
from waarborg.catalogue.models import Subscription
from waarborg.core import clock, roles
from waarborg.core.access import scope_queryset
from waarborg.customers.models import Contact, Customer

SEARCH_LIMIT = 50

# The search criteria, in the order the form shows them, and the scope each one reads.
SEARCH_KINDS: dict[str, str] = {
    "name": "customers",
    "customer_number": "customers",
    "email": "contacts",
    "phone": "contacts",
    "domain": "subscriptions",
}


@dataclass
class SearchResult:
    customers: list[Customer]
    total: int
    kinds: list[str] = field(default_factory=list)  # the criteria searched
    unavailable: list[str] = field(default_factory=list)  # criteria the role may not search by

    @property
    def truncated(self) -> bool:
        return self.total > len(self.customers)


def _contacts(viewer):
    return scope_queryset(Contact.objects.all(), viewer=viewer, scope="contacts")


def _condition(viewer, kind: str, value: str) -> Q:
    """The customers matching one normalised criterion."""
    if kind == "customer_number":
        return Q(number=value)
    if kind == "email":
        return Q(pk__in=_contacts(viewer).filter(email=value).values("customer_id"))
    if kind == "phone":
        return Q(pk__in=_contacts(viewer).filter(phone=value).values("customer_id"))
    if kind == "domain":
        labels = Q(label=value) | Q(label__endswith=f".{value}")
        subscriptions = scope_queryset(Subscription.objects.all(), viewer=viewer, scope="subscriptions")
        return Q(pk__in=subscriptions.filter(labels).values("customer_id"))
    if kind == "name":
        condition = Q(name__icontains=value)
        if roles.can(viewer, "contacts"):
            named = (
                _contacts(viewer)
                .annotate(full_name=Concat("first_name", Value(" "), "last_name"))
                .filter(full_name__icontains=value)
            )
            condition |= Q(pk__in=named.values("customer_id"))
        return condition
    raise ValueError(f"unknown search criterion {kind}")


def customer_search_for(*, viewer, criteria: dict[str, str], limit: int = SEARCH_LIMIT) -> SearchResult:
    """Customers matching *every* given criterion (values already in their normal form).

    A criterion whose scope the viewer's role lacks matches nothing, so the search as a whole
    finds nothing: a role cannot learn through the search what it may not read.
    """
    qs = scope_queryset(Customer.objects.all(), viewer=viewer, scope="customers", customer_path="pk")
    kinds, unavailable = [], []
    for kind in SEARCH_KINDS:
        value = criteria.get(kind)
        if not value:
            continue
        if not roles.can(viewer, SEARCH_KINDS[kind]):
            unavailable.append(kind)
            qs = qs.none()
            continue
        kinds.append(kind)
        qs = qs.filter(_condition(viewer, kind, value))
    if not kinds:
        qs = qs.none()
    qs = qs.order_by("number", "pk")
    customers = list(qs[:limit])
    total = len(customers) if len(customers) < limit else qs.count()
    return SearchResult(customers=customers, total=total, kinds=kinds, unavailable=unavailable)


# --- The audit trail ----------------------------------------------------------------------


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.AMSTERDAM)


def audit_event_list_for(
    *,
    viewer,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    purpose: str = "",
    subject_ref: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    """Audit events, newest first; dates are Amsterdam calendar days, both ends included."""
    roles.require(viewer, "audit")
    qs = AuditEvent.objects.all()
    exact = {"action": action, "actor": actor, "object_type": object_type, "purpose": purpose}
    qs = qs.filter(**{name: value for name, value in exact.items() if value})
    if subject_ref:
        qs = qs.filter(subject_ref=subject_ref)
    if since is not None:
        qs = qs.filter(at__gte=_start_of(since))
    if until is not None:
        qs = qs.filter(at__lt=_start_of(until + dt.timedelta(days=1)))
    return qs.order_by("-seq")


def audit_vocabulary_for(*, viewer) -> dict[str, list[str]]:
    """The actions and object types that occur in the trail, as the filters' suggestions."""
    roles.require(viewer, "audit")
    events = AuditEvent.objects.order_by()
    return {
        name: sorted(set(events.values_list(name, flat=True).distinct()) - {""}) for name in ("action", "object_type")
    }
