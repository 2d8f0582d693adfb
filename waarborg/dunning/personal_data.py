"""Dunning's entries in the personal-data map.

A case, its decisions, notices and the case file say that a customer did not pay on time, with
amounts and invoice numbers: part of the financial record (fiscal term, locked away). A
contest's statement and a person's answer are correspondence about a complaint. The webhook
outbox names a service (a domain may name a person) and goes to the hosting platform.
"""

from waarborg.core.datamap import (
    ADMIN_LOG_1Y,
    COMPLAINT_2Y,
    FISCAL_7Y,
    WHILE_CUSTOMER,
    Link,
    declare,
    exempt,
    pd,
)
from waarborg.customers.personal_data import NATURAL
from waarborg.dunning.models import (
    Approval,
    Case,
    CaseFile,
    Contest,
    Decision,
    Hold,
    Notice,
    NoticePreference,
    ProvisioningMessage,
)

exempt("dunning.Ladder", why="dunning ladders: names and markets")
exempt("dunning.LadderVersion", why="the steps and settings of a ladder, and which staff account wrote them")


def _collection(key: str, *, recipients: str = "", source: str = "system", portability: str = "derived"):
    return pd(
        "D7",
        key,
        "U3 U4 U15",
        "contract",
        FISCAL_7Y,
        "retain",
        portability,
        recipients=recipients,
        source=source,
    )


# When an erasure keeps these rows for the fiscal term, it locks them away (R4): from then on only
# the fiscal archive reads them.
_RESTRICTED = _collection("user.financial.restriction", portability="excluded")


def _customer_link(rule: str) -> Link:
    return Link("customer", "customers.Customer", rule, up_when=NATURAL)


declare(
    Case,
    dates={"fiscal_year_end": "opened_on"},
    subject="the customer whose invoices are overdue",
    fields={
        "status": _collection("user.financial.collection.status"),
        "opened_on": _collection("user.financial.collection.date"),
        "closed_on": _collection("user.financial.collection.date"),
        "close_reason": _collection("user.financial.collection.status"),
        "anchor_date": _collection("user.financial.collection.date"),
        "next_step_on": _collection("user.financial.collection.date"),
        "last_effective_on": _collection("user.financial.collection.date"),
        "last_notice_on": _collection("user.financial.collection.date"),
        "paused_on": _collection("user.financial.collection.date"),
        "costs_amount": _collection("user.financial.collection.costs", recipients="bailiff"),
        "costs_from": _collection("user.financial.collection.costs", recipients="bailiff"),
        "costs_invoices": _collection("user.financial.collection.costs", recipients="bailiff"),
        "restricted_at": _RESTRICTED,
    },
    not_personal=("customer", "ladder_version", "next_index", "pending_notice", "shift_days"),
    links=(_customer_link("dunning case of this customer"),),
)

declare(
    Decision,
    dates={"fiscal_year_end": "decided_on"},
    subject="the customer the decision is about",
    fields={
        "facts": _collection("user.financial.collection.decision", recipients="bailiff"),
        "outcome": _collection("user.financial.collection.decision"),
        "outcome_data": _collection("user.financial.collection.decision", recipients="bailiff"),
        "next_on": _collection("user.financial.collection.date"),
        "decided_on": _collection("user.financial.collection.date"),
        "decided_at": _collection("user.financial.collection.date"),
        "reason": _collection("user.financial.collection.decision", source="staff", portability="provided"),
        "restricted_at": _RESTRICTED,
    },
    not_personal=(
        "case",
        "customer",
        "ladder_version",
        "kind",
        "step_index",
        "step_key",
        "rule",
        "next_kind",
        "decided_by",
        "key",
    ),
    links=(_customer_link("dunning decision about this customer"),),
)

declare(
    Notice,
    dates={"fiscal_year_end": "created_at"},
    subject="the customer, and the contact person the notice went to",
    fields={
        "sent_at": _collection("user.financial.collection.notice", recipients="bailiff"),
        "next_on": _collection("user.financial.collection.notice"),
        "term_end": _collection("user.financial.collection.notice", recipients="bailiff"),
        "costs_amount": _collection("user.financial.collection.costs", recipients="bailiff"),
        "language": _collection("user.financial.collection.notice"),
        "restricted_at": _RESTRICTED,
    },
    not_personal=(
        "case",
        "customer",
        "decision",
        "kind",
        "gates_next_step",
        "contact",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "key",
    ),
    links=(
        _customer_link("dunning notice to this customer"),
        Link("contact", "customers.Contact", "dunning notice sent to this contact person"),
    ),
)

declare(
    Contest,
    dates={"closed": "decided_at"},
    subject="the customer who contested, and the account that sent it",
    fields={
        "statement": pd(
            "D11", "user.correspondence.complaint", "U11 U15", "legal_obligation", COMPLAINT_2Y, "delete", "provided"
        ),
        "reason": pd(
            "D11",
            "user.correspondence.complaint_answer",
            "U11 U15",
            "legal_obligation",
            COMPLAINT_2Y,
            "delete",
            "derived",
            source="staff",
        ),
        "received_at": pd(
            "D11",
            "user.correspondence.date",
            "U11",
            "legal_obligation",
            COMPLAINT_2Y,
            "delete",
            "observed",
            source="system",
        ),
        "decided_at": pd(
            "D11",
            "user.correspondence.date",
            "U11",
            "legal_obligation",
            COMPLAINT_2Y,
            "delete",
            "observed",
            source="system",
        ),
        "status": pd(
            "D11",
            "user.correspondence.complaint_outcome",
            "U11",
            "legal_obligation",
            COMPLAINT_2Y,
            "delete",
            "derived",
            source="staff",
        ),
    },
    not_personal=("case", "customer", "kind", "via_decision", "submitted_by", "decided_by"),
    links=(
        _customer_link("contest by this customer"),
        Link("submitted_by", "accounts.Account", "contest sent from this account"),
    ),
)

declare(
    Hold,
    dates={"fiscal_year_end": "created_at"},
    subject="the customer whose invoice an employee took out of dunning",
    fields={
        "created_at": _collection("user.financial.collection.date"),
        "released_at": _collection("user.financial.collection.date"),
        "restricted_at": _RESTRICTED,
    },
    not_personal=("invoice", "customer", "contest", "released_by"),
    links=(_customer_link("invoice of this customer taken out of dunning"),),
)

declare(
    Approval,
    dates={"fiscal_year_end": "requested_on"},
    subject="the customer the step is about",
    fields={
        "requested_on": _collection("user.financial.collection.date"),
        "status": _collection("user.financial.collection.decision"),
        "decided_at": _collection("user.financial.collection.date"),
        "reason": _collection("user.financial.collection.decision", source="staff", portability="provided"),
        "restricted_at": _RESTRICTED,
    },
    not_personal=("case", "customer", "kind", "decision", "decided_by", "recipient"),
    links=(_customer_link("dunning approval about this customer"),),
)

declare(
    CaseFile,
    dates={"fiscal_year_end": "handed_on"},
    subject="the customer whose claim went to a bailiff",
    fields={
        "content": _collection("user.financial.collection.case_file", recipients="bailiff"),
        "text": _collection("user.financial.collection.case_file", recipients="bailiff"),
        "handed_on": _collection("user.financial.collection.date", recipients="bailiff"),
        "sent_at": _collection("user.financial.collection.date", recipients="bailiff"),
        "restricted_at": _RESTRICTED,
    },
    # sent_to: the bailiff's office address, not the customer's
    not_personal=("case", "customer", "approval", "recipient", "sent_to"),
    links=(_customer_link("case file about this customer"),),
)

declare(
    NoticePreference,
    dates={"relationship_end": "customer__ended_at"},
    subject="the customer",
    fields={
        "language": pd("D11", "user.preference.language", "U6", "contract", WHILE_CUSTOMER, "delete", "provided"),
    },
    not_personal=("customer",),
    links=(_customer_link("notice language of this customer"),),
)

declare(
    ProvisioningMessage,
    dates={"event": "created_at"},
    subject="the customer whose service is blocked, unblocked or cancelled",
    fields={
        "payload": pd(
            "D1",
            "user.workplace.domain_name",
            "U1 U4",
            "contract",
            ADMIN_LOG_1Y,
            "delete",
            "excluded",
            recipients="datacenter",
            source="system",
        ),
    },
    not_personal=(
        "key",
        "action",
        "subscription",
        "customer",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "delivered_at",
    ),
    links=(_customer_link("provisioning message about this customer's service"),),
)
