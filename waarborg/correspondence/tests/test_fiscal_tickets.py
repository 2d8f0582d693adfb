"""Correspondence about an invoice's amount or VAT is part of the fiscal record (R3, R4).

A ticket marked with the invoice it is about follows that invoice's fiscal term — kept up to and
including 31 December of the invoice year + 7 years, erased on 1 January after — survives an
erasure and is locked away like the invoice, while every other ticket keeps its own term (2
years after it closed) and goes with the customer. The dates are written out from those rules.
"""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from waarborg.core import clock
from waarborg.core.datamap import AMSTERDAM, CORRESPONDENCE_2Y, FISCAL_7Y
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.correspondence.models import Attachment, Message, Ticket
from waarborg.correspondence.selectors import message_list_for, ticket_get_for, ticket_list_for
from waarborg.correspondence.services import ticket_mark_fiscal
from waarborg.erasure.archive import fiscal_archive_read
from waarborg.erasure.cases import erasure_request
from waarborg.erasure.plan import erasure_plan
from waarborg.erasure.tests.world import build_alice
from waarborg.exports.access import access_package_content
from waarborg.subjects.finder import Query, subject_find
from waarborg.subjects.report import subject_report
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db

D = dt.date
ONE = dt.timedelta(days=1)
ALICE = "alice.devries@example.nl"


@pytest.fixture(autouse=True)
def _fresh_files(files_in_a_fresh_directory):
    return files_in_a_fresh_directory


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=AMSTERDAM)


def daily(day: dt.date) -> str:
    out = io.StringIO()
    call_command("daily", "--as-of", day.isoformat(), "--only", "retention", stdout=out)
    return out.getvalue()


def ticket_with_mail(customer, contact, *, closed: dt.date, subject: str, body: str, file: str = ""):
    ticket = f.TicketFactory(
        customer=customer, contact=contact, status=Ticket.Status.CLOSED, subject=subject, closed_at=at(closed)
    )
    message = f.MessageFactory(ticket=ticket, body=body, sent_at=at(closed))
    attachment = f.AttachmentFactory(message=message, filename="factuur.pdf", file=file or "x") if file else None
    return ticket, message, attachment


@pytest.mark.promise("R3", "D11")
def test_a_ticket_about_an_invoice_follows_the_fiscal_term_and_an_ordinary_one_its_own(personas):
    customer, contact = personas.bob_customer, personas.bob_contact
    invoice = f.InvoiceFactory(customer=customer, billing_contact=contact, issue_date=D(2026, 2, 1))
    fiscal, fiscal_message, _ = ticket_with_mail(
        customer, contact, closed=D(2026, 3, 1), subject="Btw op factuur", body="Het btw-bedrag klopt niet."
    )
    ordinary, ordinary_message, _ = ticket_with_mail(
        customer, contact, closed=D(2026, 3, 1), subject="Mailbox vol", body="Mijn mailbox is vol."
    )
    ticket_mark_fiscal(actor=personas.carol, ticket=fiscal, invoice=invoice)

    daily(D(2028, 3, 1))  # 1 March 2026 + 2 years: the ordinary ticket's last day
    assert Ticket.objects.filter(pk__in=[fiscal.pk, ordinary.pk]).count() == 2
    out = daily(D(2028, 3, 2))
    assert not Ticket.objects.filter(pk=ordinary.pk).exists()
    assert not Message.objects.filter(pk=ordinary_message.pk).exists()
    assert "correspondence_2y=2" in out
    assert Ticket.objects.filter(pk=fiscal.pk).exists() and Message.objects.filter(pk=fiscal_message.pk).exists()

    daily(D(2033, 12, 31))  # 31 December 2026 + 7 years: the last day of the invoice and its ticket
    assert Ticket.objects.filter(pk=fiscal.pk).exists() and Message.objects.filter(pk=fiscal_message.pk).exists()
    out = daily(D(2034, 1, 1))
    assert not Ticket.objects.filter(pk=fiscal.pk).exists()
    assert not Message.objects.filter(pk=fiscal_message.pk).exists()
    assert not type(invoice).objects.filter(pk=invoice.pk).exists()
    assert "fiscal_7y=" in out


@pytest.mark.promise("R3", "R4", "G3", "B2")
def test_an_erasure_keeps_the_fiscal_ticket_locked_away_and_erases_the_ordinary_one(
    personas, django_capture_on_commit_callbacks
):
    today = D(2026, 6, 15)
    with clock.as_of(today):
        world = build_alice(personas)
        ordinary = Ticket.objects.get(customer=world.customer)
        stored = default_storage.save("attachments/2026/factuur-alice.pdf", ContentFile(b"factuur F2026"))
        fiscal, message, attachment = ticket_with_mail(
            world.customer,
            world.contact,
            closed=D(2026, 5, 20),
            subject="Btw op mijn factuur",
            body="Het btw-bedrag op mijn factuur klopt niet. Alice de Vries",
            file=stored,
        )
        ticket_mark_fiscal(actor=personas.carol, ticket=fiscal, invoice=world.invoices[0])
        plan = erasure_plan(subject_find(Query(email=ALICE)))
        planned = {(r.model, r.pk): r for r in plan.rows}
        assert planned[("correspondence.Ticket", ordinary.pk)].action == "delete"
        kept = planned[("correspondence.Ticket", fiscal.pk)]
        assert kept.stays and kept.restrict and kept.until == D(2033, 12, 31)
        assert planned[("correspondence.Message", message.pk)].restrict
        assert planned[("correspondence.Attachment", attachment.pk)].restrict
        assert "tot en met 31-12-2033" in plan.notice("nl")
        with django_capture_on_commit_callbacks(execute=True):
            erasure_request(actor=personas.erin, query=Query(email=ALICE), reason="verzoek")

    assert not Ticket.objects.filter(pk=ordinary.pk).exists()
    locked = Ticket.objects.get(pk=fiscal.pk)
    assert locked.restricted_at is not None and locked.subject == "Btw op mijn factuur"
    assert Message.objects.get(pk=message.pk).restricted_at is not None
    assert Message.objects.get(pk=message.pk).body.startswith("Het btw-bedrag")
    assert Attachment.objects.get(pk=attachment.pk).restricted_at is not None and default_storage.exists(stored)
    # locked away: no screen shows it, to any role that reads tickets
    assert not ticket_list_for(viewer=personas.carol).filter(pk=fiscal.pk).exists()
    with unchanged(), pytest.raises(NotFound):
        ticket_get_for(viewer=personas.carol, pk=fiscal.pk)
    with unchanged(), pytest.raises(NotFound):
        message_list_for(viewer=personas.carol, ticket=fiscal.pk)
    # only the fiscal archive opens it, with a reason
    record = fiscal_archive_read(viewer=personas.gina, customer_or_invoice=world.customer, reason_code="tax_audit")
    (archived,) = record.correspondence
    assert archived["id"] == fiscal.pk and archived["invoice"] == world.invoices[0].number
    assert archived["messages"][0]["body"].startswith("Het btw-bedrag")
    assert archived["messages"][0]["attachments"] == ("factuur.pdf",)
    with unchanged(), pytest.raises(PermissionDenied):
        fiscal_archive_read(viewer=personas.carol, customer_or_invoice=world.customer, reason_code="tax_audit")

    daily(D(2033, 12, 31))
    assert Ticket.objects.filter(pk=fiscal.pk, restricted_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):  # stored files go once the deletion commits
        daily(D(2034, 1, 1))
    assert not Ticket.objects.filter(pk=fiscal.pk).exists()
    assert (
        not Message.objects.filter(pk=message.pk).exists() and not Attachment.objects.filter(pk=attachment.pk).exists()
    )
    assert not default_storage.exists(stored)


@pytest.mark.promise("R3", "G1")
def test_the_access_report_gives_each_ticket_its_own_term(personas):
    customer, contact = personas.bob_customer, personas.bob_contact
    invoice = f.InvoiceFactory(customer=customer, billing_contact=contact, issue_date=D(2026, 2, 1))
    fiscal, _, _ = ticket_with_mail(customer, contact, closed=D(2026, 3, 1), subject="Btw", body="Btw klopt niet.")
    ordinary, _, _ = ticket_with_mail(customer, contact, closed=D(2026, 3, 1), subject="Mail", body="Vol.")
    ticket_mark_fiscal(actor=personas.carol, ticket=fiscal, invoice=invoice)
    with clock.as_of(D(2026, 6, 1)):
        package = access_package_content(hits=subject_find(Query(customer_number=customer.number)))
    d11 = next(c for c in package.data["categories"] if c["id"] == "D11")
    records = {r["record"]: r for r in d11["records"]}
    (fiscal_term,) = records[f"correspondence.Ticket#{fiscal.pk}"]["retention"]
    (ordinary_term,) = records[f"correspondence.Ticket#{ordinary.pk}"]["retention"]
    assert fiscal_term["rule"] == "fiscal_7y" and fiscal_term["erase_on"] == "2034-01-01"
    assert fiscal_term["text"]["en"] == "up to and including 31 December 2033; erased on 1 January 2034"
    assert ordinary_term["rule"] == "correspondence_2y" and ordinary_term["kept_until"] == "2028-03-01"
    assert ordinary_term["text"]["nl"] == "tot en met 1 maart 2028; gewist op 2 maart 2028"
    bases = {b["basis"] for p in d11["art15"]["a"] for b in p["bases"]}
    assert {"contract", "legal_obligation"} <= bases
    # the portal's "my data" says the same per ticket
    items = [i for c in subject_report(subject_find(Query(customer_number=customer.number))) for i in c.items]
    terms = {(i.pk, i.retention) for i in items if i.model == "correspondence.Ticket" and i.field == "subject"}
    assert terms == {(fiscal.pk, FISCAL_7Y.nl), (ordinary.pk, CORRESPONDENCE_2Y.nl)}


@pytest.mark.promise("R3", "B2", "B4")
def test_only_staff_mark_a_ticket_and_only_with_an_invoice_of_its_customer(personas):
    customer, contact = personas.bob_customer, personas.bob_contact
    ticket = f.TicketFactory(customer=customer, contact=contact, subject="Btw-vraag van Bob")
    own = f.InvoiceFactory(customer=customer, billing_contact=contact)
    other = f.InvoiceFactory(customer=personas.alice_customer, billing_contact=personas.alice_contact)
    before = database_snapshot()
    with pytest.raises(ValidationError, match="another customer"):
        ticket_mark_fiscal(actor=personas.carol, ticket=ticket, invoice=other)
    for who in (personas.bob, personas.dave):  # the customer; finance, who does not read tickets
        with pytest.raises(PermissionDenied):
            ticket_mark_fiscal(actor=who, ticket=ticket, invoice=own)
    assert_nothing_changed(before)
    assert Ticket.objects.get(pk=ticket.pk).fiscal_invoice_id is None
    ticket_mark_fiscal(actor=personas.carol, ticket=ticket, invoice=own)
    assert Ticket.objects.get(pk=ticket.pk).is_fiscal
    assert_clean_event(last_event(), action="ticket.fiscal", values=["Btw-vraag", "Bob"])
    ticket_mark_fiscal(actor=personas.carol, ticket=ticket, invoice=None)
    assert not Ticket.objects.get(pk=ticket.pk).is_fiscal
    assert last_event().action == "ticket.fiscal_removed"
