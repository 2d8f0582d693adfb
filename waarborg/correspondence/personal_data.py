from waarborg.core.datamap import COMPLAINT_2Y, CORRESPONDENCE_2Y, Link, declare, pd
from waarborg.correspondence.models import Attachment, Complaint, Message, Ticket
from waarborg.customers.personal_data import NATURAL

declare(
    Ticket,
    dates={"closed": "closed_at"},
    subject="the customer and the contact person who asked",
    fields={
        "subject": pd("D11", "user.correspondence.subject", "U5", "contract", CORRESPONDENCE_2Y, "delete", "provided"),
        "opened_at": pd(
            "D11",
            "user.correspondence.date",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "observed",
            source="system",
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
        ),
    },
    not_personal=("customer", "contact", "number", "status"),
    links=(
        Link("customer", "customers.Customer", "ticket of this customer", up_when=NATURAL),
        Link("contact", "customers.Contact", "ticket opened by this contact person"),
    ),
)

declare(
    Message,
    dates={"closed": "ticket__closed_at"},
    subject="the writer and the people the ticket is about",
    fields={
        "from_address": pd(
            "D11", "user.contact.email", "U5", "contract", CORRESPONDENCE_2Y, "delete", "provided", identifier="email"
        ),
        "body": pd("D11", "user.correspondence.body", "U5 U11", "contract", CORRESPONDENCE_2Y, "delete", "provided"),
        "sent_at": pd(
            "D11",
            "user.correspondence.date",
            "U5",
            "contract",
            CORRESPONDENCE_2Y,
            "delete",
            "observed",
            source="system",
        ),
    },
    not_personal=("ticket", "direction", "author"),
    links=(
        Link("ticket__customer", "customers.Customer", "message in a ticket of this customer", up_when=NATURAL),
        Link("ticket__contact", "customers.Contact", "message in a ticket of this contact person"),
    ),
)

declare(
    Attachment,
    dates={"closed": "message__ticket__closed_at"},
    subject="the writer of the message it came with",
    fields={
        "filename": pd(
            "D11", "user.correspondence.attachment", "U5", "contract", CORRESPONDENCE_2Y, "delete", "provided"
        ),
        "file": pd("D11", "user.correspondence.attachment", "U5", "contract", CORRESPONDENCE_2Y, "delete", "provided"),
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
)

declare(
    Complaint,
    dates={"closed": "closed_at"},
    subject="the person who complained",
    fields={
        "name": pd("D2", "user.name", "U11", "legitimate_interest", COMPLAINT_2Y, "delete", "provided"),
        "email": pd(
            "D3",
            "user.contact.email",
            "U11",
            "legitimate_interest",
            COMPLAINT_2Y,
            "delete",
            "provided",
            identifier="email",
        ),
        "description": pd(
            "D11", "user.correspondence.complaint", "U11", "legitimate_interest", COMPLAINT_2Y, "delete", "provided"
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
        ),
    },
    not_personal=("customer", "contact", "status"),
    links=(
        Link("customer", "customers.Customer", "complaint by this customer", up_when=NATURAL),
        Link("contact", "customers.Contact", "complaint by this contact person"),
    ),
)
