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
    NO_LABEL,
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


def _collection(
    key: str, *, recipients: str = "", source: str = "system", portability: str = "derived", label=NO_LABEL
):
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
        label=label,
    )


def _claim(
    category: str,
    key: str,
    purposes: str = "U15",
    *,
    recipients="",
    source="system",
    portability="derived",
    label=NO_LABEL,
):
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
        label=label,
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
        "status": _collection("user.financial.collection.status", label=("Status van de zaak", "Status of the case")),
        "opened_on": _collection("user.financial.collection.date", label=("Geopend op", "Opened on")),
        "closed_on": _collection("user.financial.collection.date", label=("Gesloten op", "Closed on")),
        "close_reason": _collection(
            "user.financial.collection.status", label=("Reden van sluiten", "Reason for closing")
        ),
        "anchor_date": _collection(
            "user.financial.collection.date",
            label=("Vervaldatum waarvan de termijnen tellen", "Due date the terms count from"),
        ),
        "next_step_on": _collection("user.financial.collection.date", label=("Volgende stap op", "Next step on")),
        "last_effective_on": _collection(
            "user.financial.collection.date", label=("Laatste stap van kracht op", "Last step effective on")
        ),
        "last_notice_on": _collection("user.financial.collection.date", label=("Laatste bericht op", "Last notice on")),
        "paused_on": _collection("user.financial.collection.date", label=("Stilgezet op", "Paused on")),
        "costs_amount": _collection(
            "user.financial.collection.costs", recipients="bailiff", label=("Incassokosten", "Collection costs")
        ),
        "costs_from": _collection(
            "user.financial.collection.costs",
            recipients="bailiff",
            label=("Incassokosten verschuldigd vanaf", "Collection costs due from"),
        ),
        "costs_invoices": _collection(
            "user.financial.collection.costs",
            recipients="bailiff",
            label=("Facturen waarover kosten gelden", "Invoices the costs apply to"),
        ),
        "restricted_at": _RESTRICTED.labelled(("Afgeschermd sinds", "Locked away since")),
    },
    not_personal=("customer", "ladder_version", "next_index", "pending_notice", "shift_days"),
    links=(_customer_link("dunning case of this customer"),),
    label=("Incassozaak", "Collection case"),
)

declare(
    Decision,
    dates={"fiscal_year_end": "decided_on", **CLAIM_CLOSED},
    subject="the customer the decision is about",
    fields={
        "facts": _collection(
            "user.financial.collection.decision",
            recipients="bailiff",
            label=("Feiten van het besluit", "Facts of the decision"),
        ),
        "outcome": _collection("user.financial.collection.decision", label=("Uitkomst", "Outcome")),
        "outcome_data": _collection(
            "user.financial.collection.decision",
            recipients="bailiff",
            label=("Gegevens van de uitkomst", "Details of the outcome"),
        ),
        "next_on": _collection("user.financial.collection.date", label=("Volgende stap op", "Next step on")),
        "decided_on": _collection("user.financial.collection.date", label=("Besloten op (datum)", "Decided on (date)")),
        "decided_at": _collection("user.financial.collection.date", label=("Besloten op", "Decided on")),
        "reason": _collection(
            "user.financial.collection.decision", source="staff", portability="provided", label=("Reden", "Reason")
        ),
        "restricted_at": _RESTRICTED.labelled(("Afgeschermd sinds", "Locked away since")),
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
    label=("Incassobesluit", "Collection decision"),
    context={"kind": ("Soort", "Kind"), "rule": ("Toegepaste regel", "Rule applied")},
)

declare(
    Notice,
    dates={"fiscal_year_end": "created_at", **CLAIM_CLOSED},
    subject="the customer, and the contact person the notice went to",
    fields={
        "sent_at": _collection(
            "user.financial.collection.notice", recipients="bailiff", label=("Verzonden op", "Sent on")
        ),
        "next_on": _collection("user.financial.collection.notice", label=("Volgende stap op", "Next step on")),
        "term_end": _collection(
            "user.financial.collection.notice",
            recipients="bailiff",
            label=("Einde van de betaaltermijn", "End of the payment term"),
        ),
        "costs_amount": _collection(
            "user.financial.collection.costs", recipients="bailiff", label=("Incassokosten", "Collection costs")
        ),
        "language": _collection("user.financial.collection.notice", label=("Taal", "Language")),
        "posted_on": _collection(
            "user.financial.collection.notice", recipients="bailiff", label=("Per post verstuurd op", "Posted on")
        ),
        "posting_recorded_at": _collection(
            "user.financial.collection.notice", label=("Verzending vastgelegd op", "Posting recorded on")
        ),
        "restricted_at": _RESTRICTED.labelled(("Afgeschermd sinds", "Locked away since")),
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
    label=("Incassobericht", "Collection notice"),
    context=("kind", "channel", "status", "created_at"),
)

declare(
    Contest,
    dates=CLAIM_CLOSED,
    subject="the customer who contested, and the account that sent it",
    fields={
        "statement": _claim(
            "D11",
            "user.correspondence.complaint",
            "U11 U15",
            source="subject",
            portability="provided",
            label=("Uw standpunt", "Your statement"),
        ),
        "reason": _claim(
            "D11",
            "user.correspondence.complaint_answer",
            "U11 U15",
            source="staff",
            label=("Reden van het besluit", "Reason for the decision"),
        ),
        "received_at": _claim(
            "D11", "user.correspondence.date", "U11 U15", portability="observed", label=("Ontvangen op", "Received on")
        ),
        "decided_at": _claim(
            "D11", "user.correspondence.date", "U11 U15", portability="observed", label=("Besloten op", "Decided on")
        ),
        "status": _claim(
            "D11", "user.correspondence.complaint_outcome", "U11 U15", source="staff", label=("Uitkomst", "Outcome")
        ),
        "restricted_at": _RESTRICTED_CLAIM.labelled(("Afgeschermd sinds", "Locked away since")),
    },
    not_personal=("case", "customer", "kind", "via_decision", "submitted_by", "decided_by"),
    links=(
        _customer_link("contest by this customer"),
        Link("submitted_by", "accounts.Account", "contest sent from this account"),
    ),
    label=("Betwisting van een incassostap", "Contest of a collection step"),
    context=("kind",),
)

declare(
    Hold,
    dates={"fiscal_year_end": "created_at"},
    subject="the customer whose invoice an employee took out of dunning",
    fields={
        "created_at": _collection(
            "user.financial.collection.date", label=("Buiten de incasso gehouden sinds", "Kept out of collection since")
        ),
        "released_at": _collection(
            "user.financial.collection.date", label=("Weer in de incasso op", "Back in collection on")
        ),
        "restricted_at": _RESTRICTED.labelled(("Afgeschermd sinds", "Locked away since")),
    },
    not_personal=("invoice", "customer", "contest", "released_by"),
    links=(_customer_link("invoice of this customer taken out of dunning"),),
    label=("Factuur buiten de incasso gehouden", "Invoice kept out of collection"),
)

declare(
    Approval,
    dates={"fiscal_year_end": "requested_on", **CLAIM_CLOSED},
    subject="the customer the step is about",
    fields={
        "requested_on": _collection("user.financial.collection.date", label=("Aangevraagd op", "Requested on")),
        "status": _collection("user.financial.collection.decision", label=("Status", "Status")),
        "decided_at": _collection("user.financial.collection.date", label=("Besloten op", "Decided on")),
        "reason": _collection(
            "user.financial.collection.decision", source="staff", portability="provided", label=("Reden", "Reason")
        ),
        "restricted_at": _RESTRICTED.labelled(("Afgeschermd sinds", "Locked away since")),
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
    label=("Goedkeuring van een incassostap", "Approval of a collection step"),
    context=("kind",),
)

declare(
    CaseFile,
    dates=CLAIM_CLOSED,
    subject="the customer whose claim went to a bailiff",
    fields={
        "content": _claim(
            "D7",
            "user.financial.collection.case_file",
            "U4 U15",
            recipients="bailiff",
            label=("Inhoud van het dossier", "Content of the case file"),
        ),
        "text": _claim(
            "D7",
            "user.financial.collection.case_file",
            "U4 U15",
            recipients="bailiff",
            label=("Tekst van het dossier", "Text of the case file"),
        ),
        "handed_on": _claim(
            "D7",
            "user.financial.collection.date",
            "U4 U15",
            recipients="bailiff",
            label=("Overgedragen op", "Handed over on"),
        ),
        "sent_at": _claim(
            "D7", "user.financial.collection.date", "U4 U15", recipients="bailiff", label=("Verzonden op", "Sent on")
        ),
        "restricted_at": _RESTRICTED_CLAIM.labelled(("Afgeschermd sinds", "Locked away since")),
    },
    # sent_to: the bailiff's office address, not the customer's
    not_personal=("case", "customer", "approval", "recipient", "sent_to"),
    links=(_customer_link("case file about this customer"),),
    label=("Dossier voor de gerechtsdeurwaarder", "Case file for the bailiff"),
    context={"sent_to": ("Verzonden aan", "Sent to")},
)

declare(
    NoticePreference,
    dates={"relationship_end": "customer__ended_at"},
    subject="the customer",
    fields={
        "language": pd(
            "D11",
            "user.preference.language",
            "U6",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            label=("Taal van incassoberichten", "Language of collection notices"),
        ),
    },
    not_personal=("customer",),
    links=(_customer_link("notice language of this customer"),),
    label=("Taalvoorkeur voor incassoberichten", "Language preference for collection notices"),
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
            label=("Inhoud van het bericht", "Content of the message"),
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
    label=("Bericht aan het hostingplatform", "Message to the hosting platform"),
    context={
        "action": ("Handeling", "Action"),
        "status": ("Status", "Status"),
        "created_at": ("Aangemaakt op", "Created on"),
        "delivered_at": ("Afgeleverd op", "Delivered on"),
    },
)
