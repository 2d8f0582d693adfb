"""Reads of tickets, messages and complaints, scoped to the viewer (B2)."""

from __future__ import annotations

from waarborg.core import roles
from waarborg.core.access import filter_customer, get_scoped, scope_queryset
from waarborg.correspondence.models import Complaint, Message, Ticket


def ticket_list_for(*, viewer, customer=None, status: str | None = None):
    qs = scope_queryset(Ticket.objects.select_related("customer", "contact"), viewer=viewer, scope="tickets")
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-opened_at", "-pk")


def ticket_get_for(*, viewer, pk) -> Ticket:
    return get_scoped(Ticket.objects.select_related("customer", "contact"), viewer=viewer, scope="tickets", pk=pk)


def message_list_for(*, viewer, ticket):
    """The messages of one ticket the viewer may see (NotFound otherwise), oldest first."""
    found = ticket_get_for(viewer=viewer, pk=getattr(ticket, "pk", ticket))
    return Message.objects.filter(ticket=found).select_related("author").order_by("sent_at", "pk")


def complaint_list_for(*, viewer, status: str | None = None, customer=None):
    """Complaints, for support and the privacy officer (scope `complaints`)."""
    roles.require(viewer, "complaints")
    qs = Complaint.objects.select_related("customer", "contact")
    if customer is not None:
        qs = qs.filter(customer_id=getattr(customer, "pk", customer))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-pk")


def complaint_get_for(*, viewer, pk) -> Complaint:
    return get_scoped(Complaint.objects.select_related("customer", "contact"), viewer=viewer, scope="complaints", pk=pk)
