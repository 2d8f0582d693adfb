from waarborg.core.datamap import ID_CHECK, Link, declare, exempt, pd, retention
from waarborg.privacy.models import (
    DownloadLink,
    IdDocument,
    PackagePush,
    PrivacyRequest,
    ProcessingStop,
    RecipientNotice,
    RectificationProposal,
    Restriction,
    VerificationLink,
)

# Handling a rights request is a legal obligation (GDPR art. 12–22); the record of it is kept to
# show that it was handled (art. 5(2)), then goes.
PRIVACY_REQUEST_2Y = retention(
    "privacy_request_2y",
    "closed",
    years=2,
    nl="2 jaar na de afhandeling van uw verzoek, als bewijs dat het is afgehandeld.",
    en="2 years after your request was handled, as proof that it was handled.",
)
RIGHTS_RECORD_1Y = retention(
    "rights_record_1y",
    "withdrawal",
    years=1,
    nl="Zolang uw bezwaar of beperking geldt, daarna 1 jaar als bewijs.",
    en="While your objection or restriction applies, then 1 year as proof.",
)

_R = dict(purposes="U14", basis="legal_obligation", retention=PRIVACY_REQUEST_2Y, erasure="retain")


def _request_field(category: str, key: str, portability: str, label: tuple[str, str], **more):
    """A field of the record of a request (kept 2 years after it was handled, to show it was)."""
    return pd(category, key, portability=portability, label=label, **_R, **more)


_REQUEST_LINKS = (
    Link("contact", "customers.Contact", "privacy request of this contact person", up=False),
    Link("account", "accounts.Account", "privacy request made with this account", up=False),
)


def _via_request(what: str) -> tuple[Link, ...]:
    return (
        Link("request__contact", "customers.Contact", f"{what} of a privacy request of this contact person", up=False),
        Link("request__account", "accounts.Account", f"{what} of a privacy request made with this account", up=False),
    )


declare(
    PrivacyRequest,
    dates={"closed": "closed_at"},
    subject="the person who exercises a right (and whom the request is about)",
    fields={
        "type": _request_field("D11", "user.privacy_request.type", "provided", ("Soort verzoek", "Kind of request")),
        "channel": _request_field(
            "D11", "user.privacy_request.channel", "provided", ("Ontvangen via", "Received through")
        ),
        "language": _request_field("D11", "user.preference.language", "provided", ("Taal", "Language")),
        "received_at": _request_field(
            "D11", "user.privacy_request.date", "observed", ("Ontvangen op", "Received on"), source="system"
        ),
        "email": _request_field(
            "D3", "user.contact.email", "provided", ("E-mailadres", "E-mail address"), identifier="email"
        ),
        "phone": _request_field(
            "D4", "user.contact.phone_number", "provided", ("Telefoonnummer", "Phone number"), identifier="phone"
        ),
        "customer_number": _request_field(
            "D5",
            "user.unique_id.customer_number",
            "provided",
            ("Klantnummer", "Customer number"),
            identifier="customer_number",
        ),
        "name": _request_field("D2", "user.name", "provided", ("Naam", "Name"), identifier="name"),
        "postcode": _request_field(
            "D2", "user.contact.address.postal_code", "provided", ("Postcode", "Postcode"), identifier="postcode"
        ),
        "details": _request_field("D11", "user.privacy_request.details", "provided", ("Toelichting", "Details")),
        "purposes": _request_field(
            "D9", "user.consent.objection", "provided", ("Doelen waartegen u bezwaar maakt", "Purposes you object to")
        ),
        "consent_kinds": _request_field(
            "D9", "user.consent.withdrawal", "provided", ("Toestemmingen die u intrekt", "Consents you withdraw")
        ),
        "transmit_to": _request_field(
            "D11", "user.privacy_request.portability_recipient", "provided", ("Doorsturen naar", "Transmit to")
        ),
        "email_on_file": _request_field(
            "D11",
            "user.privacy_request.identity_check",
            "derived",
            ("E-mailadres bij ons bekend", "E-mail address on file"),
            source="system",
        ),
        "verification_method": _request_field(
            "D11",
            "user.privacy_request.identity_check",
            "observed",
            ("Manier van identiteitscontrole", "Method of identity check"),
            source="system",
        ),
        "verified_at": _request_field(
            "D11",
            "user.privacy_request.identity_check",
            "observed",
            ("Identiteit vastgesteld op", "Identity verified on"),
            source="system",
        ),
        "extension_reason": _request_field(
            "D11",
            "user.privacy_request.extension",
            "derived",
            ("Reden van verlenging", "Reason for extension"),
            source="staff",
        ),
        "erasure_plan": _request_field(
            "D11", "user.privacy_request.erasure_plan", "derived", ("Wisplan", "Erasure plan"), source="system"
        ),
        "answer_note": _request_field(
            "D11",
            "user.privacy_request.answer",
            "derived",
            ("Toelichting bij het antwoord", "Note with the answer"),
            source="staff",
        ),
        "refusal_ground": _request_field(
            "D11",
            "user.privacy_request.refusal",
            "derived",
            ("Grond van weigering", "Ground for refusal"),
            source="staff",
        ),
        "refusal_reason": _request_field(
            "D11",
            "user.privacy_request.refusal",
            "derived",
            ("Reden van weigering", "Reason for refusal"),
            source="staff",
        ),
        "refusal_justification": _request_field(
            "D11",
            "user.privacy_request.refusal",
            "derived",
            ("Onderbouwing van de weigering", "Justification of the refusal"),
            source="staff",
        ),
        "answered_at": _request_field(
            "D11", "user.privacy_request.date", "observed", ("Beantwoord op", "Answered on"), source="system"
        ),
        "closed_at": _request_field(
            "D11", "user.privacy_request.date", "observed", ("Afgesloten op", "Closed on"), source="system"
        ),
    },
    not_personal=(
        "number",
        "status",
        "promise_due",
        "legal_due",
        "extended_due",
        "extension_notice_sent_at",
        "paused_since",
        "paused_days",
        "contact",
        "account",
        "subject_rows",
        "handler",
        "created_by",
        "verified_by",
        "erasure_plan_status",
        "erasure_plan_reviewed_at",
        "erasure_plan_reviewed_by",
        "package_ref",
        "earlier_requests",
        "answered_by",
    ),
    links=_REQUEST_LINKS,
    label=("Privacyverzoek", "Privacy request"),
    context={
        "number": ("Nummer", "Number"),
        "status": ("Status", "Status"),
        "promise_due": ("Beloofd antwoord uiterlijk", "Answer promised by"),
        "legal_due": ("Wettelijke termijn tot", "Legal term until"),
        "extended_due": ("Verlengde termijn tot", "Extended term until"),
    },
    groups=("requesters",),
)

declare(
    VerificationLink,
    dates={"closed": "request__closed_at"},
    subject="the requester the one-time link was sent to",
    fields={
        "created_at": _request_field(
            "D11", "user.privacy_request.identity_check", "observed", ("Aangemaakt op", "Created on"), source="system"
        ),
        "used_at": _request_field(
            "D11", "user.privacy_request.identity_check", "observed", ("Gebruikt op", "Used on"), source="system"
        ),
    },
    not_personal=("public_id", "request", "kind", "token_hash", "expires_at", "revoked_at", "failed_attempts"),
    links=_via_request("one-time link"),
    label=("Link voor de identiteitscontrole", "Identity check link"),
    context=("kind", "expires_at"),
    groups=("requesters",),
)

declare(
    DownloadLink,
    dates={"closed": "request__closed_at"},
    subject="the person whose portability package the one-time link gives",
    fields={
        "sent_to": _request_field(
            "D11",
            "user.privacy_request.portability_recipient",
            "provided",
            ("Verzonden aan", "Sent to"),
            source="subject",
        ),
        "created_at": _request_field(
            "D11", "user.privacy_request.delivery", "observed", ("Aangemaakt op", "Created on"), source="system"
        ),
        "used_at": _request_field(
            "D11", "user.privacy_request.delivery", "observed", ("Gebruikt op", "Used on"), source="system"
        ),
    },
    not_personal=(
        "public_id",
        "request",
        "recipient",
        "package_name",
        "token_hash",
        "expires_at",
        "failed_attempts",
    ),
    links=_via_request("download link"),
    label=("Downloadlink", "Download link"),
    context={"recipient": ("Ontvanger", "Recipient"), "expires_at": ("Verloopt op", "Expires on")},
    groups=("requesters",),
)

declare(
    PackagePush,
    dates={"closed": "request__closed_at"},
    subject="the person whose portability package was sent to the organisation they named",
    fields={
        "url": _request_field(
            "D11",
            "user.privacy_request.portability_recipient",
            "provided",
            ("Adres van de ontvanger", "Recipient's address"),
            source="subject",
        ),
        "created_at": _request_field(
            "D11", "user.privacy_request.delivery", "observed", ("Aangemaakt op", "Created on"), source="system"
        ),
        "sent_at": _request_field(
            "D11", "user.privacy_request.delivery", "observed", ("Verzonden op", "Sent on"), source="system"
        ),
    },
    not_personal=("request", "package_name", "status", "attempts", "last_attempt_at", "last_error"),
    links=_via_request("package transmission"),
    label=("Doorgifte aan een andere partij", "Transmission to another party"),
    context=("status",),
    groups=("requesters",),
)

_ID = dict(purposes="U14", basis="legal_obligation", retention=ID_CHECK, erasure="delete")

declare(
    IdDocument,
    # The file goes at the review, or 7 days after the upload at the latest (jobs.py); the row then
    # keeps only when and with what result.
    dates={"verification": "destroyed_at"},
    subject="the requester whose identity is checked",
    fields={
        "stored_name": pd(
            "D2",
            "user.government_id.redacted_copy",
            portability="excluded",
            **_ID,
            label=("Opgeslagen kopie (versleuteld)", "Stored copy (encrypted)"),
        ),
        "redaction_confirmed": pd(
            "D11",
            "user.privacy_request.identity_check",
            portability="provided",
            **_ID,
            label=("Afgeschermde gegevens bevestigd", "Redaction confirmed"),
        ),
        "uploaded_at": pd(
            "D11",
            "user.privacy_request.identity_check",
            portability="observed",
            source="system",
            **_ID,
            label=("Geüpload op", "Uploaded on"),
        ),
        "reviewed_at": pd(
            "D11",
            "user.privacy_request.identity_check",
            portability="observed",
            source="staff",
            **_ID,
            label=("Gecontroleerd op", "Reviewed on"),
        ),
        "result": pd(
            "D11",
            "user.privacy_request.identity_check",
            portability="derived",
            source="staff",
            **_ID,
            label=("Uitkomst van de controle", "Outcome of the check"),
        ),
        "destroyed_at": pd(
            "D11",
            "user.privacy_request.identity_check",
            portability="observed",
            source="system",
            **_ID,
            label=("Vernietigd op", "Destroyed on"),
        ),
    },
    not_personal=("request", "link", "content_type", "size", "reviewed_by"),
    links=_via_request("identity document"),
    label=("Kopie van een identiteitsbewijs", "Copy of an identity document"),
    context=("content_type", "size"),
    groups=("requesters",),
)

declare(
    RectificationProposal,
    dates={"closed": "request__closed_at"},
    subject="the contact person who asked for a correction",
    fields={
        "value": pd(
            "D2",
            "user.contact.proposed_correction",
            "U1 U14",
            "legal_obligation",
            PRIVACY_REQUEST_2Y,
            "delete",
            "provided",
            label=("Voorgestelde waarde", "Proposed value"),
        ),
        "proposed_at": _request_field(
            "D11", "user.privacy_request.date", "observed", ("Voorgesteld op", "Proposed on"), source="system"
        ),
        "reject_reason": _request_field(
            "D11",
            "user.privacy_request.answer",
            "derived",
            ("Reden van afwijzing", "Reason for rejection"),
            source="staff",
        ),
    },
    not_personal=("request", "contact", "field", "status", "decided_at", "decided_by"),
    links=(
        Link("contact", "customers.Contact", "correction asked for this contact person", up=False),
        *_via_request("correction"),
    ),
    label=("Voorgestelde correctie", "Proposed correction"),
    context={
        "field": ("Te corrigeren gegeven", "Field to correct"),
        "status": ("Status", "Status"),
        "decided_at": ("Besloten op", "Decided on"),
    },
    groups=("requesters",),
)

declare(
    RecipientNotice,
    dates={"closed": "request__closed_at"},
    subject="the person whose rectified, erased or restricted data a recipient is told about",
    fields={
        "categories": _request_field(
            "D11",
            "user.privacy_request.recipient_notice",
            "derived",
            ("Soorten gegevens", "Categories of data"),
            source="system",
        ),
        "closed_at": _request_field(
            "D11", "user.privacy_request.recipient_notice", "observed", ("Afgesloten op", "Closed on"), source="staff"
        ),
        "note": _request_field(
            "D11", "user.privacy_request.recipient_notice", "derived", ("Toelichting", "Note"), source="staff"
        ),
    },
    not_personal=("request", "recipient", "cause", "status", "created_at", "closed_by"),
    links=_via_request("recipient notice"),
    label=("Bericht aan een ontvanger", "Notice to a recipient"),
    context={
        "cause": ("Aanleiding", "Cause"),
        "status": ("Status", "Status"),
        "created_at": ("Aangemaakt op", "Created on"),
    },
    groups=("requesters",),
)

_S = dict(basis="legal_obligation", retention=RIGHTS_RECORD_1Y, erasure="delete")

declare(
    ProcessingStop,
    dates={"withdrawal": "lifted_at"},
    subject="the person who objected or withdrew consent",
    fields={
        "purpose": pd("D9", "user.consent.objection", "U14", portability="provided", **_S, label=("Doel", "Purpose")),
        "bases": pd(
            "D9", "user.consent.objection", "U14", portability="derived", **_S, label=("Grondslagen", "Legal bases")
        ),
        "stopped_at": pd(
            "D9",
            "user.consent.objection",
            "U14",
            portability="observed",
            source="system",
            **_S,
            label=("Gestopt op", "Stopped on"),
        ),
        "lifted_at": pd(
            "D9",
            "user.consent.objection",
            "U14",
            portability="observed",
            source="system",
            **_S,
            label=("Opgeheven op", "Lifted on"),
        ),
    },
    not_personal=("request", "subject_row", "contact", "account"),
    links=(
        Link("contact", "customers.Contact", "purpose stopped for this contact person"),
        Link("account", "accounts.Account", "purpose stopped for this account"),
    ),
    label=("Gestopte verwerking (bezwaar)", "Processing stopped (objection)"),
    groups=("requesters",),
)

declare(
    Restriction,
    dates={"withdrawal": "lifted_at"},
    subject="the person whose data is restricted",
    fields={
        "categories": pd(
            "D11",
            "user.privacy_request.restriction",
            "U14",
            portability="derived",
            **_S,
            label=("Beperkte soorten gegevens", "Categories restricted"),
        ),
        "started_at": pd(
            "D11",
            "user.privacy_request.restriction",
            "U14",
            portability="observed",
            source="system",
            **_S,
            label=("Beperkt sinds", "Restricted since"),
        ),
        "lifted_at": pd(
            "D11",
            "user.privacy_request.restriction",
            "U14",
            portability="observed",
            source="system",
            **_S,
            label=("Opgeheven op", "Lifted on"),
        ),
        "lift_reason": pd(
            "D11",
            "user.privacy_request.restriction",
            "U14",
            portability="derived",
            source="staff",
            **_S,
            label=("Reden van opheffen", "Reason for lifting"),
        ),
    },
    not_personal=("request", "subject_row", "contact", "account"),
    links=(
        Link("contact", "customers.Contact", "restriction of this contact person's data"),
        Link("account", "accounts.Account", "restriction of this account's data"),
    ),
    label=("Beperking van de verwerking", "Restriction of processing"),
    groups=("requesters",),
)

exempt("privacy.DeadlineWarning", why="which deadline warning went out for which request, and when")
