"""Dunning's entries in the personal-data map.

A case, its decisions and notices say that a customer did not pay on time, with amounts and
invoice numbers: part of the financial record (fiscal term, locked away). The record of the
claim itself — a contest and the decision on it, the approval to hand the claim to a bailiff,
that hand-off, the notices of those decisions and the case file the bailiff received — is kept
to establish or defend the claim (art. 17(3)(e) GDPR) until it is time-barred: 5 years after
the case closed (art. 3:307 BW), not as a fiscal record. The webhook outbox names a service (a
domain may name a person) and goes to the hosting platform.
"""

from waarborg.core.datamap import (
    ADMIN_LOG_1Y,
    FISCAL_7Y,
    LEGAL_CLAIM_5Y,
    WHILE_CUSTOMER,
    Link,
    Variant,
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


def _claim(category: str, key: str, purposes: str = "U15", *, recipients="", source="system", portability="derived"):
    """The record of a legal claim: kept until 5 years after the case closed, locked away."""
    return pd(
        category,
        key,
        purposes,
        "legal_claim",
        LEGAL_CLAIM_5Y,
        "retain",
        portability,
        recipients=recipients,
        source=source,
    )


# Where the record of a claim counts its 5 years from: the day its case closed.
CLAIM_CLOSED = {"claim_closed": "case__closed_on"}
# Decisions that are the record of the claim: a person's decision on a contest, and the hand-off
# to the bailiff (the values of dunning.decisions.CONTEST_DECIDED and BAILIFF_HANDOFF).
CLAIM_DECISIONS = ("contest_decided", "bailiff_handoff")
# When an erasure keeps these rows for the fiscal term, it locks them away (R4): from then on only
# the fiscal archive reads them.
_RESTRICTED = _collection("user.financial.restriction", portability="excluded")
# The same lock on a record of a claim: it goes with the claim's 5 years.
_RESTRICTED_CLAIM = _claim("D7", "user.financial.restriction", "U4 U15", portability="excluded")


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
    dates={"fiscal_year_end": "decided_on", **CLAIM_CLOSED},
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
    variants=(
        Variant(
            when={"kind__in": CLAIM_DECISIONS},
            why="the decision on a contest and the hand-off to the bailiff are the record of the claim",
            fields={
                "restricted_at": _RESTRICTED_CLAIM,
                "facts": _claim("D7", "user.financial.collection.decision", "U4 U15", recipients="bailiff"),
                "outcome": _claim("D7", "user.financial.collection.decision", "U4 U15"),
                "outcome_data": _claim("D7", "user.financial.collection.decision", "U4 U15", recipients="bailiff"),
                "next_on": _claim("D7", "user.financial.collection.date", "U4 U15"),
                "decided_on": _claim("D7", "user.financial.collection.date", "U4 U15"),
                "decided_at": _claim("D7", "user.financial.collection.date", "U4 U15"),
                "reason": _claim(
                    "D7",
                    "user.financial.collection.decision",
                    "U4 U15",
                    source="staff",
                    portability="provided",
                ),
            },
        ),
    ),
)

declare(
    Notice,
    dates={"fiscal_year_end": "created_at", **CLAIM_CLOSED},
    subject="the customer, and the contact person the notice went to",
    fields={
        "sent_at": _collection("user.financial.collection.notice", recipients="bailiff"),
        "next_on": _collection("user.financial.collection.notice"),
        "term_end": _collection("user.financial.collection.notice", recipients="bailiff"),
        "costs_amount": _collection("user.financial.collection.costs", recipients="bailiff"),
        "language": _collection("user.financial.collection.notice"),
        "posted_on": _collection("user.financial.collection.notice", recipients="bailiff"),
        "posting_recorded_at": _collection("user.financial.collection.notice"),
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
        "channel",
        "posted_by",
    ),
    links=(
        _customer_link("dunning notice to this customer"),
        Link("contact", "customers.Contact", "dunning notice sent to this contact person"),
    ),
    variants=(
        Variant(
            when={"decision__kind__in": CLAIM_DECISIONS},
            why="the notice of a decision on a contest or of the hand-off goes with that decision",
            fields={
                "restricted_at": _RESTRICTED_CLAIM,
                "sent_at": _claim("D7", "user.financial.collection.notice", "U4 U15", recipients="bailiff"),
                "next_on": _claim("D7", "user.financial.collection.notice", "U4 U15"),
                "term_end": _claim("D7", "user.financial.collection.notice", "U4 U15", recipients="bailiff"),
                "costs_amount": _claim("D7", "user.financial.collection.costs", "U4 U15", recipients="bailiff"),
                "language": _claim("D7", "user.financial.collection.notice", "U4 U15"),
                "posted_on": _claim("D7", "user.financial.collection.notice", "U4 U15", recipients="bailiff"),
                "posting_recorded_at": _claim("D7", "user.financial.collection.notice", "U4 U15"),
            },
        ),
    ),
)

declare(
    Contest,
    dates=CLAIM_CLOSED,
    subject="the customer who contested, and the account that sent it",
    fields={
        "statement": _claim(
            "D11", "user.correspondence.complaint", "U11 U15", source="subject", portability="provided"
        ),
        "reason": _claim("D11", "user.correspondence.complaint_answer", "U11 U15", source="staff"),
        "received_at": _claim("D11", "user.correspondence.date", "U11 U15", portability="observed"),
        "decided_at": _claim("D11", "user.correspondence.date", "U11 U15", portability="observed"),
        "status": _claim("D11", "user.correspondence.complaint_outcome", "U11 U15", source="staff"),
        "restricted_at": _RESTRICTED_CLAIM,
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
    dates={"fiscal_year_end": "requested_on", **CLAIM_CLOSED},
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
    variants=(
        Variant(
            when={"kind": "bailiff"},
            why="the approval to hand the claim to a bailiff is the record of the claim",
            fields={
                "restricted_at": _RESTRICTED_CLAIM,
                "requested_on": _claim("D7", "user.financial.collection.date", "U4 U15"),
                "status": _claim("D7", "user.financial.collection.decision", "U4 U15"),
                "decided_at": _claim("D7", "user.financial.collection.date", "U4 U15"),
                "reason": _claim(
                    "D7",
                    "user.financial.collection.decision",
                    "U4 U15",
                    source="staff",
                    portability="provided",
                ),
            },
        ),
    ),
)

declare(
    CaseFile,
    dates=CLAIM_CLOSED,
    subject="the customer whose claim went to a bailiff",
    fields={
        "content": _claim("D7", "user.financial.collection.case_file", "U4 U15", recipients="bailiff"),
        "text": _claim("D7", "user.financial.collection.case_file", "U4 U15", recipients="bailiff"),
        "handed_on": _claim("D7", "user.financial.collection.date", "U4 U15", recipients="bailiff"),
        "sent_at": _claim("D7", "user.financial.collection.date", "U4 U15", recipients="bailiff"),
        "restricted_at": _RESTRICTED_CLAIM,
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
