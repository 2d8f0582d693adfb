"""Writes of tickets, messages and complaints (U5, U11)."""

from __future__ import annotations

from django.db import transaction

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.billing.models import Invoice
from waarborg.core import clock
from waarborg.core.access import check_actor, is_customer_viewer
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email
from waarborg.correspondence.models import Complaint, Message, Ticket
from waarborg.customers.models import Contact, Customer
from waarborg.customers.services import clean_choice, clean_text, customer_ref, save_numbered

TICKET_NUMBER_PREFIX = "T"
TICKET_NUMBER_DIGITS = 6


def _author(actor) -> Account | None:
    return actor if isinstance(actor, Account) else None


def _default_direction(actor) -> str:
    if isinstance(actor, Account) and not is_customer_viewer(actor):
        return Message.Direction.OUT
    return Message.Direction.IN


def _clean_direction(actor, direction: str | None) -> str:
    direction = clean_choice(
        direction or _default_direction(actor), field="direction", choices=Message.Direction.choices
    )
    if is_customer_viewer(actor) and direction != Message.Direction.IN:
        raise ValidationError("correspondence.customer_message_incoming", field="direction")
    return direction


def _contact_of(actor, customer_id, contact: Contact | None) -> Contact | None:
    if contact is None and is_customer_viewer(actor):
        contact = actor.contact
    if contact is not None and contact.customer_id != customer_id:
        raise ValidationError("correspondence.contact_of_another_customer", field="contact")
    return contact


def _from_address(value: str, contact: Contact | None, direction: str) -> str:
    if value:
        return normalise_email(value)
    if direction == Message.Direction.IN and contact is not None:
        return contact.email
    return ""


def _new_message(*, actor, ticket: Ticket, body: str, direction: str, from_address: str) -> Message:
    return Message.objects.create(
        ticket=ticket,
        direction=direction,
        author=_author(actor),
        from_address=from_address,
        body=body,
        sent_at=clock.now(),
    )


@transaction.atomic
def ticket_open(
    *,
    actor,
    customer: Customer,
    subject: str,
    body: str,
    contact: Contact | None = None,
    from_address: str = "",
    direction: str | None = None,
    purpose: str = "U5",
) -> Ticket:
    """A support ticket with its first message (incoming unless staff write first)."""
    check_actor(actor=actor, scope="tickets", customer_id=customer.pk)
    subject = clean_text(subject, field="subject", max_length=200, required=True)
    body = clean_text(body, field="body", required=True, multiline=True)
    direction = _clean_direction(actor, direction)
    contact = _contact_of(actor, customer.pk, contact)
    sender = _from_address(from_address, contact, direction)
    status = Ticket.Status.OPEN if direction == Message.Direction.IN else Ticket.Status.WAITING
    ticket = Ticket(customer=customer, contact=contact, subject=subject, status=status, opened_at=clock.now())
    save_numbered(ticket, prefix=TICKET_NUMBER_PREFIX, width=TICKET_NUMBER_DIGITS)
    message = _new_message(actor=actor, ticket=ticket, body=body, direction=direction, from_address=sender)
    audit_record(
        actor=actor,
        action="ticket.open",
        purpose=purpose,
        object_type="correspondence.ticket",
        object_ids=[ticket.pk],
        subject_ref=customer_ref(customer.pk),
        data={
            "fields": ["subject", "body"] + (["from_address"] if sender else []),
            "message": message.pk,
            "direction": direction,
        },
    )
    return ticket


@transaction.atomic
def message_add(
    *,
    actor,
    ticket: Ticket,
    body: str,
    direction: str | None = None,
    from_address: str = "",
    purpose: str = "U5",
) -> Message:
    """A message in an open ticket; staff replies set it to waiting, customer messages to open."""
    check_actor(actor=actor, scope="tickets", customer_id=ticket.customer_id)
    body = clean_text(body, field="body", required=True, multiline=True)
    direction = _clean_direction(actor, direction)
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if current.status == Ticket.Status.CLOSED:
        raise ValidationError("correspondence.ticket_closed", field="ticket")
    contact = actor.contact if is_customer_viewer(actor) else current.contact
    sender = _from_address(from_address, contact, direction)
    message = _new_message(actor=actor, ticket=current, body=body, direction=direction, from_address=sender)
    status = Ticket.Status.OPEN if direction == Message.Direction.IN else Ticket.Status.WAITING
    if current.status != status:
        current.status = status
        current.save(update_fields=["status"])
        ticket.status = status
    audit_record(
        actor=actor,
        action="message.add",
        purpose=purpose,
        object_type="correspondence.message",
        object_ids=[message.pk],
        subject_ref=customer_ref(current.customer_id),
        data={
            "fields": ["body"] + (["from_address"] if sender else []),
            "ticket": current.pk,
            "direction": direction,
        },
    )
    return message


@transaction.atomic
def ticket_close(*, actor, ticket: Ticket, purpose: str = "U5") -> Ticket:
    """Close a ticket; its retention term counts from now."""
    check_actor(actor=actor, scope="tickets", customer_id=ticket.customer_id)
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if current.status == Ticket.Status.CLOSED:
        raise ValidationError("correspondence.ticket_closed_already", field="status")
    current.status = Ticket.Status.CLOSED
    current.closed_at = clock.now()
    current.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="ticket.close",
        purpose=purpose,
        object_type="correspondence.ticket",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"fields": ["status", "closed_at"]},
    )
    ticket.status, ticket.closed_at = current.status, current.closed_at
    return current


@transaction.atomic
def ticket_mark_fiscal(*, actor, ticket: Ticket, invoice, purpose: str = "U14") -> Ticket:
    """Mark a ticket as being about this invoice's amount or VAT: it is then part of the fiscal
    record and follows the invoice's term, locked away after an erasure like the invoice (R3,
    R4). `invoice=None` takes the mark off again (a ticket marked by mistake). Staff only."""
    check_actor(actor=actor, scope="tickets", customer_id=ticket.customer_id, customers_may=False)
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if current.restricted_at is not None:
        raise ValidationError("correspondence.ticket_archived", field="ticket")
    invoice_pk = getattr(invoice, "pk", invoice)
    if invoice_pk is not None:
        found = Invoice.objects.filter(pk=invoice_pk, customer_id=current.customer_id).first()
        if found is None:
            raise ValidationError("correspondence.invoice_unknown", field="invoice")
        invoice_pk = found.pk
    if current.fiscal_invoice_id == invoice_pk:
        return current
    current.fiscal_invoice_id = invoice_pk
    current.save(update_fields=["fiscal_invoice"])
    audit_record(
        actor=actor,
        action="ticket.fiscal" if invoice_pk is not None else "ticket.fiscal_removed",
        purpose=purpose,
        object_type="correspondence.ticket",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"fields": ["fiscal_invoice"], "invoice": invoice_pk},
    )
    ticket.fiscal_invoice_id = current.fiscal_invoice_id
    return current


@transaction.atomic
def complaint_register(
    *,
    actor,
    name: str,
    email: str,
    description: str,
    customer: Customer | None = None,
    contact: Contact | None = None,
    purpose: str = "U11",
) -> Complaint:
    """A complaint from anyone (U11). A signed-in customer's complaint is linked to them."""
    if is_customer_viewer(actor):
        own = actor.customer_id
        for named in (customer and customer.pk, contact and contact.customer_id):
            if named is not None:
                check_actor(actor=actor, scope="complaints", customer_id=named)  # another's: NotFound
        check_actor(actor=actor, scope="complaints", customer_id=own)
        customer = Customer.objects.filter(pk=own).first() if own else None
        contact = contact or actor.contact
    else:
        check_actor(actor=actor, scope="complaints")
        if contact is not None and customer is None:
            customer = contact.customer
        if contact is not None and contact.customer_id != customer.pk:
            raise ValidationError("correspondence.contact_of_another_customer", field="contact")
    name = clean_text(name, field="name", max_length=160, required=True)
    email = normalise_email(email)
    description = clean_text(description, field="description", required=True, multiline=True)
    complaint = Complaint.objects.create(
        customer=customer,
        contact=contact,
        name=name,
        email=email,
        description=description,
        status=Complaint.Status.OPEN,
        received_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action="complaint.register",
        purpose=purpose,
        object_type="correspondence.complaint",
        object_ids=[complaint.pk],
        subject_ref=customer_ref(customer.pk) if customer else f"complaint:{complaint.pk}",
        data={"fields": ["name", "email", "description"]},
    )
    return complaint


@transaction.atomic
def complaint_handle(*, actor, complaint: Complaint, resolution: str, purpose: str = "U11") -> Complaint:
    """Record how a complaint was handled and close it; its retention term counts from now."""
    check_actor(actor=actor, scope="complaints", customers_may=False)
    resolution = clean_text(resolution, field="resolution", required=True, multiline=True)
    current = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if current.status == Complaint.Status.HANDLED:
        raise ValidationError("correspondence.complaint_handled", field="status")
    current.resolution = resolution
    current.status = Complaint.Status.HANDLED
    current.closed_at = clock.now()
    current.save(update_fields=["resolution", "status", "closed_at"])
    audit_record(
        actor=actor,
        action="complaint.handle",
        purpose=purpose,
        object_type="correspondence.complaint",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id) if current.customer_id else f"complaint:{current.pk}",
        data={"fields": ["resolution", "status", "closed_at"]},
    )
    complaint.resolution, complaint.status, complaint.closed_at = resolution, current.status, current.closed_at
    return current
