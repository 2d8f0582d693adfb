"""A customer's record as staff open it: the sections their role may read, and the opening
written to the audit trail with its purpose (B2, B4).

Opening a record is one use case: what is shown and what is recorded come from the same list of
sections, in one transaction, so no record is shown without its audited read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef

from waarborg.accounts.models import Account
from waarborg.accounts.selectors import login_event_list_for
from waarborg.audit.services import audit_record
from waarborg.billing.selectors import invoice_list_for, payment_list_for, payment_method_list_for
from waarborg.catalogue.selectors import subscription_list_for
from waarborg.consents.selectors import customer_consents_for
from waarborg.core import roles
from waarborg.correspondence.selectors import message_list_for, ticket_list_for
from waarborg.customers.models import Customer
from waarborg.customers.selectors import contact_list_for

LOGIN_HISTORY_LIMIT = 50

# The sections of a customer's record, in page order, each shown only with its scope.
RECORD_SECTIONS = (
    "contacts",
    "subscriptions",
    "invoices",
    "payments",
    "payment_methods",
    "tickets",
    "consents",
    "login_events",
)


@dataclass(frozen=True)
class CustomerRecord:
    customer: Customer
    shown: list[str]  # the sections this viewer's role may read, in page order
    sections: dict = field(default_factory=dict)


def _sections(viewer, customer, shown) -> dict:
    sections: dict = {}
    if "contacts" in shown:
        with_account = Exists(Account.objects.filter(contact=OuterRef("pk")))
        sections["contacts"] = list(
            contact_list_for(viewer=viewer, customer=customer).annotate(has_portal_account=with_account)
        )
    if "subscriptions" in shown:
        sections["subscriptions"] = list(subscription_list_for(viewer=viewer, customer=customer))
    if "invoices" in shown:
        sections["invoices"] = list(invoice_list_for(viewer=viewer, customer=customer))
    if "payments" in shown:
        sections["payments"] = list(payment_list_for(viewer=viewer, customer=customer))
    if "payment_methods" in shown:
        sections["payment_methods"] = payment_method_list_for(viewer=viewer, customer=customer)
    if "tickets" in shown:
        sections["tickets"] = [
            {"ticket": ticket, "messages": list(message_list_for(viewer=viewer, ticket=ticket))}
            for ticket in ticket_list_for(viewer=viewer, customer=customer)
        ]
    if "consents" in shown:
        sections["consents"] = list(customer_consents_for(viewer=viewer, customer=customer))
    if "login_events" in shown:
        sections["login_events"] = list(login_event_list_for(viewer=viewer, customer=customer)[:LOGIN_HISTORY_LIMIT])
    return sections


@transaction.atomic
def customer_record_open(*, viewer, customer: Customer, purpose: str) -> CustomerRecord:
    """The record of `customer` as `viewer` may read it, its opening audited with `purpose`.

    The caller has fetched `customer` through a scoped selector and checked that the purpose is
    one the viewer's role may give.
    """
    roles.require(viewer, "customers")
    shown = [scope for scope in RECORD_SECTIONS if roles.can(viewer, scope)]
    record = CustomerRecord(customer=customer, shown=shown, sections=_sections(viewer, customer, shown))
    audit_record(
        actor=viewer,
        action="customer.view",
        purpose=purpose,
        object_type="customers.customer",
        object_ids=[customer.pk],
        subject_ref=f"customer:{customer.pk}",
        data={"sections": shown},
    )
    return record
