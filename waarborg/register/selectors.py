"""Reads of the register of recipients (scope `register`: privacy officer and administrator)."""

from __future__ import annotations

import datetime as dt

from waarborg.core import clock, roles
from waarborg.core.access import own_customer_id
from waarborg.core.errors import NotFound
from waarborg.customers.models import Contact
from waarborg.register.models import ProcessorAgreement, Recipient, SubprocessorChange


def recipient_list_for(*, viewer, category: str | None = None, kind: str | None = None):
    roles.require(viewer, "register")
    qs = Recipient.objects.all()
    if category:
        qs = qs.filter(category=category)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("category", "name")


def recipient_get_for(*, viewer, pk) -> Recipient:
    roles.require(viewer, "register")
    try:
        return Recipient.objects.get(pk=getattr(pk, "pk", pk))
    except (Recipient.DoesNotExist, ValueError, TypeError):
        raise NotFound("register.recipient_not_found", {"id": getattr(pk, "pk", pk)}) from None


def recipients_without_valid_agreement(*, day: dt.date | None = None) -> list[Recipient]:
    """Recipients that may receive nothing today: a processor without a (current) agreement."""
    day = day or clock.today()
    return [r for r in Recipient.objects.order_by("key") if not r.agreement_valid_on(day)]


def subprocessors_in_force(*, day: dt.date | None = None) -> list[Recipient]:
    """The sub-processors for customers' own data (public, X7): processors with a valid agreement."""
    day = day or clock.today()
    pending = set(
        SubprocessorChange.objects.filter(effective_on__gt=day, change=SubprocessorChange.Change.ADDED).values_list(
            "recipient_id", flat=True
        )
    )  # announced, not yet in force: customers may still object
    return [
        r
        for r in Recipient.objects.filter(kind=Recipient.Kind.PROCESSOR).order_by("name")
        if r.agreement_valid_on(day) and r.pk not in pending
    ]


def subprocessor_changes_upcoming(*, day: dt.date | None = None):
    """Announced changes that have not taken effect yet (public, X7)."""
    day = day or clock.today()
    return SubprocessorChange.objects.filter(effective_on__gt=day).select_related("recipient").order_by("effective_on")


def processor_agreement_of(*, viewer):
    """The newest acceptance of the viewer's own customer, or None (the customer, in the portal)."""
    customer_id = own_customer_id(viewer)
    if customer_id is None:
        return None
    return ProcessorAgreement.objects.filter(customer_id=customer_id).order_by("-accepted_at").first()


def processor_notice_addresses(customer_ids=None) -> dict[int, str]:
    """Where a customer hears what we do as their processor (sub-processor changes, breaches):
    the account that accepted the processing agreement, else the primary contact person, else
    another contact person. `customer_ids` None: every customer with an accepted agreement."""
    agreements = ProcessorAgreement.objects.select_related("accepted_by").order_by("customer_id", "-accepted_at")
    if customer_ids is not None:
        agreements = agreements.filter(customer_id__in=customer_ids)
    out: dict[int, str] = {}
    wanted = set(customer_ids) if customer_ids is not None else set()
    for agreement in agreements:
        wanted.add(agreement.customer_id)
        if agreement.customer_id not in out and agreement.accepted_by_id and agreement.accepted_by.email:
            out[agreement.customer_id] = agreement.accepted_by.email
    contacts = Contact.objects.filter(customer_id__in=wanted - set(out)).exclude(email="").order_by("pk")
    for contact in sorted(contacts, key=lambda c: (c.role != Contact.Role.PRIMARY, c.pk)):
        out.setdefault(contact.customer_id, contact.email)  # the primary contact person first
    return out
