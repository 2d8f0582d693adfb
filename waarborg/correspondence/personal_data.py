"""Correspondence's entries in the personal-data map.

Support tickets, their messages and attachments are kept 2 years after the ticket closed and
go with the customer relationship. A ticket about an invoice's amount or VAT (`fiscal_invoice`
set) is part of the fiscal record: it, its messages and their attachments follow that invoice's
fiscal term (31 December of the invoice year + 7 years), survive an erasure and are locked away
meanwhile, like the invoice itself (R3, R4).
"""

from waarborg.core.datamap import COMPLAINT_2Y, CORRESPONDENCE_2Y, FISCAL_7Y, NO_LABEL, Link, Variant, declare, pd
from waarborg.correspondence.models import Attachment, Complaint, Message, Ticket
from waarborg.customers.personal_data import NATURAL


def _fiscal(key: str, portability: str = "provided", *, identifier=None, source="subject", label=NO_LABEL):
    return pd(
        "D11",
        key,
        "U3 U14",
        "legal_obligation",
        FISCAL_7Y,
        "retain",
        portability,
        recipients="accountant tax_authority",
        identifier=identifier,
        source=source,
        label=label,
    )


def _fiscal_variant(path: str, fields: dict) -> tuple[Variant, ...]:
    return (
        Variant(
            when={f"{path}fiscal_invoice__isnull": False},
            why="correspondence about an invoice's amount or VAT is part of the fiscal record",
            fields=fields,
        ),
    )


_RESTRICTED = pd("D11", "user.correspondence.restriction", "U5", "contract", CORRESPONDENCE_2Y, "delete", "excluded")

declare(
    Ticket,
    dates={"closed": "closed_at", "fiscal_year_end": "fiscal_invoice__issue_date"},
    subject="the customer and the contact person who asked",
    fields={
        "subject": pd(
            "D11",
            "user.correspondence.subject",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "provided",
            label=("Onderwerp", "Subject"),
        ),
        "opened_at": pd(
            "D11",
            "user.correspondence.date",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "observed",
            source="system",
            label=("Geopend op", "Opened on"),
        ),
        "closed_at": pd(
            "D11",
            "user.correspondence.date",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "observed",
            source="system",
            label=("Gesloten op", "Closed on"),
        ),
        "restricted_at": _RESTRICTED.labelled(("Afgeschermd sinds", "Locked away since")),
    },
    not_personal=("customer", "contact", "number", "status", "fiscal_invoice"),
    links=(
        Link("customer", "customers.Customer", "ticket of this customer", up_when=NATURAL),
        Link("contact", "customers.Contact", "ticket opened by this contact person"),
    ),
    variants=_fiscal_variant(
        "",
        {
            "subject": _fiscal("user.correspondence.subject"),
            "opened_at": _fiscal("user.correspondence.date", "observed", source="system"),
            "closed_at": _fiscal("user.correspondence.date", "observed", source="system"),
            "restricted_at": _fiscal("user.correspondence.restriction", "excluded", source="system"),
        },
    ),
    label=("Ticket", "Ticket"),
    context=("number", "status"),
)

declare(
    Message,
    dates={"closed": "ticket__closed_at", "fiscal_year_end": "ticket__fiscal_invoice__issue_date"},
    subject="the writer and the people the ticket is about",
    fields={
        "from_address": pd(
            "D11",
            "user.contact.email",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "provided",
            identifier="email",
            label=("Verzonden vanaf", "Sent from"),
        ),
        "body": pd(
            "D11",
            "user.correspondence.body",
            "U5 U11",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "provided",
            label=("Bericht", "Message"),
        ),
        "sent_at": pd(
            "D11",
            "user.correspondence.date",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "observed",
            source="system",
            label=("Verzonden op", "Sent on"),
        ),
        "restricted_at": _RESTRICTED.labelled(("Afgeschermd sinds", "Locked away since")),
    },
    not_personal=("ticket", "direction", "author"),
    links=(
        Link("ticket__customer", "customers.Customer", "message in a ticket of this customer", up_when=NATURAL),
        Link("ticket__contact", "customers.Contact", "message in a ticket of this contact person"),
    ),
    variants=_fiscal_variant(
        "ticket__",
        {
            "from_address": _fiscal("user.contact.email", identifier="email"),
            "body": _fiscal("user.correspondence.body"),
            "sent_at": _fiscal("user.correspondence.date", "observed", source="system"),
            "restricted_at": _fiscal("user.correspondence.restriction", "excluded", source="system"),
        },
    ),
    label=("Bericht", "Message"),
    context=("direction",),
)

declare(
    Attachment,
    dates={"closed": "message__ticket__closed_at", "fiscal_year_end": "message__ticket__fiscal_invoice__issue_date"},
    subject="the writer of the message it came with",
    fields={
        "filename": pd(
            "D11",
            "user.correspondence.attachment",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "provided",
            label=("Bestandsnaam", "File name"),
        ),
        "file": pd(
            "D11",
            "user.correspondence.attachment",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "provided",
            label=("Bestand", "File"),
        ),
        "restricted_at": _RESTRICTED.labelled(("Afgeschermd sinds", "Locked away since")),
    },
    not_personal=("message", "content_type", "size"),
    links=(
        Link(
            "message__ticket__customer",
            "customers.Customer",
            "attachment in a ticket of this customer",
            up_when=NATURAL,
        ),
        Link("message__ticket__contact", "customers.Contact", "attachment in a ticket of this contact person"),
    ),
    variants=_fiscal_variant(
        "message__ticket__",
        {
            "filename": _fiscal("user.correspondence.attachment"),
            "file": _fiscal("user.correspondence.attachment"),
            "restricted_at": _fiscal("user.correspondence.restriction", "excluded", source="system"),
        },
    ),
    label=("Bijlage", "Attachment"),
    context=("content_type", "size"),
)

declare(
    Complaint,
    dates={"closed": "closed_at"},
    subject="the person who complained",
    fields={
        "name": pd(
            "D2", "user.name", "U11", "legitimate_interest", COMPLAINT_2Y, "delete", "provided", label=("Naam", "Name")
        ),
        "email": pd(
            "D3",
            "user.contact.email",
            "U11",
            "legitimate_interest",
            COMPLAINT_2Y,
            "delete",
            "provided",
            identifier="email",
            label=("E-mailadres", "E-mail address"),
        ),
        "description": pd(
            "D11",
            "user.correspondence.complaint",
            "U11",
            "legitimate_interest",
            COMPLAINT_2Y,
            "delete",
            "provided",
            label=("Klacht", "Complaint"),
        ),
        "resolution": pd(
            "D11",
            "user.correspondence.complaint",
            "U11",
            "legitimate_interest",
            COMPLAINT_2Y,
            "delete",
            "derived",
            source="staff",
            label=("Afhandeling", "Resolution"),
        ),
        "received_at": pd(
            "D11",
            "user.correspondence.date",
            "U11",
            "legitimate_interest",
            COMPLAINT_2Y,
            "delete",
            "observed",
            source="system",
            label=("Ontvangen op", "Received on"),
        ),
        "closed_at": pd(
            "D11",
            "user.correspondence.date",
            "U11",
            "legitimate_interest",
            COMPLAINT_2Y,
            "delete",
            "observed",
            source="system",
            label=("Gesloten op", "Closed on"),
        ),
    },
    not_personal=("customer", "contact", "status"),
    links=(
        Link("customer", "customers.Customer", "complaint by this customer", up_when=NATURAL),
        Link("contact", "customers.Contact", "complaint by this contact person"),
    ),
    label=("Klacht", "Complaint"),
    context=("status",),
)
