"""The fiscal archive (R3, R4): what an erasure had to keep, locked away.

Invoices, their lines, payments, the correspondence about an invoice's amount or VAT — and the
customer record and assignment documents they hang on — that were kept after an erasure are
marked restricted: no selector shows them to any role. Only
`fiscal_archive_read` opens them, only for the finance_archive role, only with a reason code;
every opening is an audit event and an e-mail to the privacy officers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.mail import send_mail
from django.db import transaction

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.billing.models import Invoice, InvoiceLine, Payment
from waarborg.core import roles
from waarborg.core.errors import NotFound, ValidationError, WaarborgError
from waarborg.correspondence.models import Attachment, Message, Ticket
from waarborg.customers.models import Customer, Document

SCOPE = "fiscal_archive"
# reason code -> (purpose id, nl, en)
REASONS: dict[str, tuple[str, str, str]] = {
    "tax_audit": ("U14", "Belastingcontrole", "Tax audit"),
    "legal_claim": ("U15", "Juridische claim", "Legal claim"),
    "subject_request": ("U14", "Verzoek van de betrokkene", "Request by the person"),
}


@dataclass(frozen=True)
class ArchivedInvoice:
    id: int
    number: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    total_excl: Decimal
    vat_amount: Decimal
    total_incl: Decimal
    amount_paid: Decimal
    status: str
    name_printed: str
    address_printed: str
    lines: tuple[dict, ...]
    payments: tuple[dict, ...]


@dataclass(frozen=True)
class ArchiveRecord:
    customer_id: int
    customer_number: str
    customer_name: str
    ended_at: dt.datetime | None
    restricted_at: dt.datetime | None
    invoices: tuple[ArchivedInvoice, ...] = ()
    documents: tuple[dict, ...] = field(default_factory=tuple)
    correspondence: tuple[dict, ...] = field(default_factory=tuple)  # locked tickets about an invoice's amount


class AlertFailed(WaarborgError):
    """The privacy officer could not be alerted; the archive stays closed."""


def _customer_of(customer_or_invoice):
    obj = customer_or_invoice
    if isinstance(obj, Invoice):
        return Customer.objects.filter(pk=obj.customer_id).first(), obj.pk
    if isinstance(obj, Customer):
        return Customer.objects.filter(pk=obj.pk).first(), None
    if isinstance(obj, str) and obj.strip():
        text = obj.strip().upper()
        customer = Customer.objects.filter(number=text).first()
        if customer is not None:
            return customer, None
        invoice = Invoice.objects.filter(number=obj.strip()).first()
        if invoice is not None:
            return Customer.objects.filter(pk=invoice.customer_id).first(), invoice.pk
    return None, None


def fiscal_archive_read(*, viewer, customer_or_invoice, reason_code: str) -> ArchiveRecord:
    """The locked-away records of one customer (or one invoice), for a tax audit, a legal claim
    or the person's own request. Every other role gets PermissionDenied; unknown or not
    archived: NotFound."""
    roles.require(viewer, SCOPE)
    if reason_code not in REASONS:
        raise ValidationError("erasure.archive_reason_code", {"codes": ", ".join(sorted(REASONS))}, field="reason_code")
    purpose = REASONS[reason_code][0]
    customer, invoice_pk = _customer_of(customer_or_invoice)
    if customer is None:
        raise NotFound("erasure.archive_not_found")
    invoices = Invoice.objects.filter(customer=customer, restricted_at__isnull=False)
    if invoice_pk is not None:
        invoices = invoices.filter(pk=invoice_pk)
    invoice_rows = list(invoices.order_by("issue_date", "pk"))
    documents = []
    if invoice_pk is None:
        documents = list(Document.objects.filter(customer=customer, restricted_at__isnull=False).order_by("pk"))
    tickets = _locked_tickets(customer, invoice_pk)
    if customer.restricted_at is None and not invoice_rows and not documents and not tickets:
        raise NotFound("erasure.archive_not_found")
    lines: dict[int, list[dict]] = {}
    for line in InvoiceLine.objects.filter(invoice__in=invoice_rows).order_by("pk"):
        lines.setdefault(line.invoice_id, []).append(
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "vat_rate": line.vat_rate,
            }
        )
    payments: dict[int, list[dict]] = {}
    for pay in Payment.objects.filter(invoice__in=invoice_rows).order_by("received_at", "pk"):
        payments.setdefault(pay.invoice_id, []).append(
            {"amount": pay.amount, "currency": pay.currency, "received_at": pay.received_at, "reference": pay.reference}
        )
    record = ArchiveRecord(
        customer_id=customer.pk,
        customer_number=customer.number,
        customer_name=customer.name,
        ended_at=customer.ended_at,
        restricted_at=customer.restricted_at,
        invoices=tuple(
            ArchivedInvoice(
                id=i.pk,
                number=i.number,
                issue_date=i.issue_date,
                due_date=i.due_date,
                currency=i.currency,
                total_excl=i.total_excl,
                vat_amount=i.vat_amount,
                total_incl=i.total_incl,
                amount_paid=i.amount_paid,
                status=i.status,
                name_printed=i.name_printed,
                address_printed=i.address_printed,
                lines=tuple(lines.get(i.pk, [])),
                payments=tuple(payments.get(i.pk, [])),
            )
            for i in invoice_rows
        ),
        documents=tuple({"id": d.pk, "title": d.title, "kind": d.kind, "file": d.file.name} for d in documents),
        correspondence=tickets,
    )
    with transaction.atomic():
        event = audit_record(
            actor=viewer,
            action="archive.read",
            purpose=purpose,
            reason=reason_code,
            object_type="billing.invoice" if invoice_pk is not None else "customers.customer",
            object_ids=[invoice_pk] if invoice_pk is not None else [customer.pk],
            subject_ref=f"customer:{customer.pk}",
            data={
                "reason_code": reason_code,
                "invoices": len(record.invoices),
                "documents": len(record.documents),
                "tickets": len(record.correspondence),
            },
        )
        _alert_privacy_officers(viewer, reason_code, customer.pk, invoice_pk, event.seq, record)
    return record


def _locked_tickets(customer, invoice_pk) -> tuple[dict, ...]:
    """The locked tickets about an invoice's amount or VAT, with their messages and attachments."""
    tickets = Ticket.objects.filter(customer=customer, restricted_at__isnull=False, fiscal_invoice__isnull=False)
    if invoice_pk is not None:
        tickets = tickets.filter(fiscal_invoice_id=invoice_pk)
    rows = list(tickets.select_related("fiscal_invoice").order_by("opened_at", "pk"))
    messages: dict[int, list[dict]] = {}
    attachments: dict[int, list[str]] = {}
    for a in Attachment.objects.filter(message__ticket__in=rows).order_by("pk"):
        attachments.setdefault(a.message_id, []).append(a.filename)
    for m in Message.objects.filter(ticket__in=rows).order_by("sent_at", "pk"):
        messages.setdefault(m.ticket_id, []).append(
            {
                "direction": m.direction,
                "sent_at": m.sent_at,
                "from_address": m.from_address,
                "body": m.body,
                "attachments": tuple(attachments.get(m.pk, [])),
            }
        )
    return tuple(
        {
            "id": t.pk,
            "number": t.number,
            "subject": t.subject,
            "invoice": t.fiscal_invoice.number,
            "opened_at": t.opened_at,
            "closed_at": t.closed_at,
            "messages": tuple(messages.get(t.pk, [])),
        }
        for t in rows
    )


def _alert_privacy_officers(viewer, reason_code, customer_pk, invoice_pk, seq, record) -> None:
    recipients = sorted(Account.objects.filter(role=roles.PRIVACY, is_active=True).values_list("email", flat=True))
    if not recipients:
        raise AlertFailed("erasure.archive_no_officer")
    _, nl, en = REASONS[reason_code]
    what = f"factuur-id {invoice_pk}" if invoice_pk else f"klant-id {customer_pk}"
    what_en = f"invoice id {invoice_pk}" if invoice_pk else f"customer id {customer_pk}"
    body = (
        f"Het fiscale archief is geopend.\n\n"
        f"Door: account {viewer.pk} (rol {viewer.role})\nReden: {nl}\nOnderwerp: {what}\n"
        f"Facturen: {len(record.invoices)}, documenten: {len(record.documents)}\n"
        f"Audit-gebeurtenis: #{seq}\n\n"
        f"The fiscal archive was opened.\n\n"
        f"By: account {viewer.pk} (role {viewer.role})\nReason: {en}\nRecords of: {what_en}\n"
        f"Invoices: {len(record.invoices)}, documents: {len(record.documents)}\n"
        f"Audit event: #{seq}\n"
    )
    try:
        send_mail(
            f"Fiscaal archief geopend / Fiscal archive opened (#{seq})",
            body,
            None,
            recipients,
            fail_silently=False,
        )
    except Exception as exc:
        raise AlertFailed("erasure.archive_alert_failed", {"error": type(exc).__name__}) from exc
