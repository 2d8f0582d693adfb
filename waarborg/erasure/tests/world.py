"""A customer with everything that can hang off one, for the erasure and retention tests.

`build_alice(personas)` gives Alice (a private customer, her own contact person) services that
ended, paid invoices with lines and payments, a SEPA mandate, sign-ins, a ticket with an
attachment, a consent, a complaint, a corrected contact field and an assignment document —
with the files stored under the data directory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from waarborg.billing.models import Invoice
from waarborg.catalogue.models import Subscription
from waarborg.core import clock
from waarborg.correspondence.models import Ticket
from waarborg.testing import factories as f

ALICE_IBAN = f.iban_for(424242)
ALICE_IP = "198.51.100.77"


@dataclass
class World:
    account: object
    contact: object
    customer: object
    invoices: list
    paid_invoice: object
    payment: object
    attachment: object
    document: object
    application: object
    files: list[str]


def _store(name: str, text: str) -> str:
    return default_storage.save(name, ContentFile(text.encode()))


def build_alice(personas, *, unpaid: bool = False, running: bool = False, files: bool = True) -> World:
    account = personas.alice
    contact = account.contact
    customer = contact.customer
    today = clock.today()
    start = today - dt.timedelta(days=400)
    end = None if running else today - dt.timedelta(days=1)
    f.SubscriptionFactory(
        customer=customer,
        label="alicedevries.example",
        start_date=start,
        end_date=end,
        status=Subscription.Status.ACTIVE if running else Subscription.Status.CANCELLED,
    )
    invoices = []
    for months_back in (3, 2, 1):
        issue = today - dt.timedelta(days=30 * months_back)
        inv = f.InvoiceFactory(
            customer=customer,
            billing_contact=contact,
            issue_date=issue,
            status=Invoice.Status.PAID,
            amount_paid=Decimal("121.00"),
            name_printed="Alice de Vries",
            address_printed="Lindenlaan 7, 3521 AB Utrecht",
        )
        f.InvoiceLineFactory(invoice=inv, description="Webhosting alicedevries.example")
        invoices.append(inv)
    payment = f.PaymentFactory(invoice=invoices[0], amount=Decimal("121.00"), reference="Betaling A de Vries")
    if unpaid:
        invoices.append(
            f.InvoiceFactory(
                customer=customer,
                billing_contact=contact,
                issue_date=today,
                name_printed="Alice de Vries",
                address_printed="Lindenlaan 7, 3521 AB Utrecht",
            )
        )
    f.PaymentMethodFactory(customer=customer, holder_name="A. de Vries", iban=ALICE_IBAN)
    for days_back in (1, 20, 200):
        f.LoginEventFactory(account=account, ip_address=ALICE_IP, at=clock.now() - dt.timedelta(days=days_back))
    ticket = f.TicketFactory(customer=customer, contact=contact, status=Ticket.Status.CLOSED, closed_at=clock.now())
    message = f.MessageFactory(
        ticket=ticket,
        body="Beste Duinhost, mijn nummer is +31612345678. Groet, Alice de Vries",
    )
    stored = []
    attachment_name = ""
    document_file = ""
    if files:
        attachment_name = _store("attachments/2025/scan-alice.txt", "Alice de Vries, alice.devries@example.nl")
        document_file = _store("documents/2025/ontwerp.txt", "Ontwerp voor Alice de Vries")
        stored = [attachment_name, document_file]
    attachment = f.AttachmentFactory(message=message, filename="scan-alice.txt", file=attachment_name or "x")
    f.ConsentRecordFactory(account=account, contact=contact, kind="marketing_email")
    f.ComplaintFactory(customer=customer, contact=contact, closed_at=clock.now())
    from waarborg.customers.models import ContactHistory

    ContactHistory.objects.create(
        contact=contact, field="street", old_value="Oude Gracht 1", changed_at=clock.now(), changed_by=None
    )
    document = f.DocumentFactory(customer=customer, title="Ontwerp website", file=document_file)
    application = f.JobApplicationFactory(
        first_name="Alice", last_name="de Vries", email="alice.devries@example.nl", phone=""
    )
    return World(
        account=account,
        contact=contact,
        customer=customer,
        invoices=invoices,
        paid_invoice=invoices[0],
        payment=payment,
        attachment=attachment,
        document=document,
        application=application,
        files=stored,
    )
