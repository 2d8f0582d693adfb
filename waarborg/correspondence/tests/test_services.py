import pytest

from waarborg.core.actors import SYSTEM
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.correspondence.models import Complaint, Message, Ticket
from waarborg.correspondence.services import (
    complaint_handle,
    complaint_register,
    message_add,
    ticket_close,
    ticket_open,
)
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db

SUBJECT = "Mailbox alice.devries vol"
BODY = "Mijn mailbox is vol, bel me op 06-12345678."


@pytest.mark.promise("D11", "U5", "B4")
def test_it_opens_a_ticket_for_a_customer(alice, personas):
    ticket = ticket_open(actor=alice, customer=personas.alice_customer, subject=SUBJECT, body=BODY)
    assert ticket.number == "T000001"
    assert ticket.contact == alice.contact
    assert ticket.status == Ticket.Status.OPEN
    message = ticket.messages.get()
    assert (message.direction, message.author, message.from_address) == ("in", alice, "alice.devries@example.nl")
    assert message.body == BODY
    assert_clean_event(
        last_event(), action="ticket.open", values=[SUBJECT, "mailbox", "06-12345678", "alice.devries@example.nl"]
    )


@pytest.mark.promise("D11", "U5", "B4")
def test_it_keeps_the_conversation_status_in_step(alice, carol, personas):
    ticket = ticket_open(actor=alice, customer=personas.alice_customer, subject="Vraag", body="Hallo")
    reply = message_add(actor=carol, ticket=ticket, body="We kijken ernaar, Alice.")
    assert reply.direction == "out"
    assert reply.from_address == ""
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.WAITING
    assert_clean_event(last_event(), action="message.add", values=["Alice", "We kijken"])
    message_add(actor=alice, ticket=ticket, body="Dank je!")
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.OPEN
    ticket_close(actor=carol, ticket=ticket)
    assert_clean_event(last_event(), action="ticket.close", values=["Vraag", "Alice"])
    closed = Ticket.objects.get(pk=ticket.pk)
    assert closed.status == Ticket.Status.CLOSED and closed.closed_at is not None
    before = database_snapshot()
    with pytest.raises(ValidationError):
        message_add(actor=alice, ticket=ticket, body="Nog iets")
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_answers_not_found_when_a_customer_writes_in_another_customers_ticket(alice, bob):
    ticket = f.TicketFactory(customer=bob.contact.customer, contact=bob.contact)
    before = database_snapshot()
    with pytest.raises(NotFound):
        message_add(actor=alice, ticket=ticket, body="Hallo")
    with pytest.raises(NotFound):
        ticket_open(actor=alice, customer=bob.contact.customer, subject="x", body="y")
    with pytest.raises(NotFound):
        ticket_close(actor=alice, ticket=ticket)
    assert_nothing_changed(before)
    assert Ticket.objects.get(pk=ticket.pk).status == "open"


@pytest.mark.promise("B2")
def test_it_lets_no_finance_or_privacy_staff_write_in_tickets(dave, erin, bob):
    ticket = f.TicketFactory(customer=bob.contact.customer, contact=bob.contact)
    before = database_snapshot()
    for viewer in (dave, erin):
        with pytest.raises(PermissionDenied):
            message_add(actor=viewer, ticket=ticket, body="Hallo")
    assert_nothing_changed(before)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"subject": "", "body": "x"},
        {"subject": "x", "body": "   "},
        {"subject": "x", "body": "y", "from_address": "nope"},
    ],
)
def test_it_refuses_an_empty_ticket_and_stores_nothing(alice, personas, kwargs):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        ticket_open(actor=alice, customer=personas.alice_customer, **kwargs)
    assert_nothing_changed(before)


def test_it_refuses_an_outgoing_message_from_a_customer(alice, personas):
    ticket = f.TicketFactory(customer=personas.alice_customer, contact=alice.contact)
    with unchanged(), pytest.raises(ValidationError):
        message_add(actor=alice, ticket=ticket, body="x", direction="out")
    assert not Message.objects.filter(ticket=ticket).exists()


@pytest.mark.promise("U11", "D11", "B4")
def test_it_registers_a_complaint_from_anyone(db):
    complaint = complaint_register(
        actor=SYSTEM, name="Gerrit Klaassen", email="Gerrit@Example.nl", description="Site was offline."
    )
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.email, stored.status, stored.customer_id) == ("gerrit@example.nl", "open", None)
    assert_clean_event(
        last_event(), action="complaint.register", values=["Gerrit", "Klaassen", "gerrit@example.nl", "offline"]
    )


@pytest.mark.promise("U11", "B2")
def test_it_links_a_customers_complaint_to_them_only(alice, bob, personas):
    complaint = complaint_register(
        actor=alice, name="Alice de Vries", email="alice.devries@example.nl", description="Traag"
    )
    assert (complaint.customer, complaint.contact) == (personas.alice_customer, alice.contact)
    before = database_snapshot()
    with pytest.raises(NotFound):
        complaint_register(actor=alice, name="A", email="a@example.nl", description="x", customer=personas.bob_customer)
    with pytest.raises(NotFound):
        complaint_register(actor=alice, name="A", email="a@example.nl", description="x", contact=bob.contact)
    assert_nothing_changed(before)


@pytest.mark.parametrize(
    ("name", "email", "description"),
    [("", "a@example.nl", "x"), ("A", "not-an-email", "x"), ("A", "a@example.nl", "")],
)
def test_it_refuses_an_incomplete_complaint_and_stores_nothing(db, name, email, description):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        complaint_register(actor=SYSTEM, name=name, email=email, description=description)
    assert_nothing_changed(before)


@pytest.mark.promise("U11", "B4")
def test_it_records_how_a_complaint_was_handled(erin, alice):
    complaint = f.ComplaintFactory(customer=alice.contact.customer, contact=alice.contact)
    complaint_handle(actor=erin, complaint=complaint, resolution="Excuses aangeboden aan Alice.")
    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.status == "handled" and stored.closed_at is not None
    assert_clean_event(last_event(), action="complaint.handle", values=["Excuses", "Alice"])
    other = f.ComplaintFactory()
    with unchanged(), pytest.raises(PermissionDenied):
        complaint_handle(actor=alice, complaint=other, resolution="klaar")
