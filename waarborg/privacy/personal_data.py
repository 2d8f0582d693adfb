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
        "type": pd("D11", "user.privacy_request.type", portability="provided", **_R),
        "channel": pd("D11", "user.privacy_request.channel", portability="provided", **_R),
        "language": pd("D11", "user.preference.language", portability="provided", **_R),
        "received_at": pd("D11", "user.privacy_request.date", portability="observed", source="system", **_R),
        "email": pd("D3", "user.contact.email", portability="provided", identifier="email", **_R),
        "phone": pd("D4", "user.contact.phone_number", portability="provided", identifier="phone", **_R),
        "customer_number": pd(
            "D5", "user.unique_id.customer_number", portability="provided", identifier="customer_number", **_R
        ),
        "name": pd("D2", "user.name", portability="provided", identifier="name", **_R),
        "postcode": pd("D2", "user.contact.address.postal_code", portability="provided", identifier="postcode", **_R),
        "details": pd("D11", "user.privacy_request.details", portability="provided", **_R),
        "purposes": pd("D9", "user.consent.objection", portability="provided", **_R),
        "consent_kinds": pd("D9", "user.consent.withdrawal", portability="provided", **_R),
        "transmit_to": pd("D11", "user.privacy_request.portability_recipient", portability="provided", **_R),
        "email_on_file": pd("D11", "user.privacy_request.identity_check", portability="derived", source="system", **_R),
        "verification_method": pd(
            "D11", "user.privacy_request.identity_check", portability="observed", source="system", **_R
        ),
        "verified_at": pd("D11", "user.privacy_request.identity_check", portability="observed", source="system", **_R),
        "extension_reason": pd("D11", "user.privacy_request.extension", portability="derived", source="staff", **_R),
        "erasure_plan": pd("D11", "user.privacy_request.erasure_plan", portability="derived", source="system", **_R),
        "answer_note": pd("D11", "user.privacy_request.answer", portability="derived", source="staff", **_R),
        "refusal_ground": pd("D11", "user.privacy_request.refusal", portability="derived", source="staff", **_R),
        "refusal_reason": pd("D11", "user.privacy_request.refusal", portability="derived", source="staff", **_R),
        "refusal_justification": pd("D11", "user.privacy_request.refusal", portability="derived", source="staff", **_R),
        "answered_at": pd("D11", "user.privacy_request.date", portability="observed", source="system", **_R),
        "closed_at": pd("D11", "user.privacy_request.date", portability="observed", source="system", **_R),
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
)

declare(
    VerificationLink,
    dates={"closed": "request__closed_at"},
    subject="the requester the one-time link was sent to",
    fields={
        "created_at": pd("D11", "user.privacy_request.identity_check", portability="observed", source="system", **_R),
        "used_at": pd("D11", "user.privacy_request.identity_check", portability="observed", source="system", **_R),
    },
    not_personal=("public_id", "request", "kind", "token_hash", "expires_at", "revoked_at", "failed_attempts"),
    links=_via_request("one-time link"),
)

declare(
    DownloadLink,
    dates={"closed": "request__closed_at"},
    subject="the person whose portability package the one-time link gives",
    fields={
        "sent_to": pd(
            "D11", "user.privacy_request.portability_recipient", portability="provided", source="subject", **_R
        ),
        "created_at": pd("D11", "user.privacy_request.delivery", portability="observed", source="system", **_R),
        "used_at": pd("D11", "user.privacy_request.delivery", portability="observed", source="system", **_R),
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
)

declare(
    PackagePush,
    dates={"closed": "request__closed_at"},
    subject="the person whose portability package was sent to the organisation they named",
    fields={
        "url": pd("D11", "user.privacy_request.portability_recipient", portability="provided", source="subject", **_R),
        "created_at": pd("D11", "user.privacy_request.delivery", portability="observed", source="system", **_R),
        "sent_at": pd("D11", "user.privacy_request.delivery", portability="observed", source="system", **_R),
    },
    not_personal=("request", "package_name", "status", "attempts", "last_attempt_at", "last_error"),
    links=_via_request("package transmission"),
)

_ID = dict(purposes="U14", basis="legal_obligation", retention=ID_CHECK, erasure="delete")

declare(
    IdDocument,
    # The file goes at the review, or 7 days after the upload at the latest (jobs.py); the row then
    # keeps only when and with what result.
    dates={"verification": "destroyed_at"},
    subject="the requester whose identity is checked",
    fields={
        "stored_name": pd("D2", "user.government_id.redacted_copy", portability="excluded", **_ID),
        "redaction_confirmed": pd("D11", "user.privacy_request.identity_check", portability="provided", **_ID),
        "uploaded_at": pd("D11", "user.privacy_request.identity_check", portability="observed", source="system", **_ID),
        "reviewed_at": pd("D11", "user.privacy_request.identity_check", portability="observed", source="staff", **_ID),
        "result": pd("D11", "user.privacy_request.identity_check", portability="derived", source="staff", **_ID),
        "destroyed_at": pd(
            "D11", "user.privacy_request.identity_check", portability="observed", source="system", **_ID
        ),
    },
    not_personal=("request", "link", "content_type", "size", "reviewed_by"),
    links=_via_request("identity document"),
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
        ),
        "proposed_at": pd("D11", "user.privacy_request.date", portability="observed", source="system", **_R),
        "reject_reason": pd("D11", "user.privacy_request.answer", portability="derived", source="staff", **_R),
    },
    not_personal=("request", "contact", "field", "status", "decided_at", "decided_by"),
    links=(
        Link("contact", "customers.Contact", "correction asked for this contact person", up=False),
        *_via_request("correction"),
    ),
)

declare(
    RecipientNotice,
    dates={"closed": "request__closed_at"},
    subject="the person whose rectified, erased or restricted data a recipient is told about",
    fields={
        "categories": pd("D11", "user.privacy_request.recipient_notice", portability="derived", source="system", **_R),
        "closed_at": pd("D11", "user.privacy_request.recipient_notice", portability="observed", source="staff", **_R),
        "note": pd("D11", "user.privacy_request.recipient_notice", portability="derived", source="staff", **_R),
    },
    not_personal=("request", "recipient", "cause", "status", "created_at", "closed_by"),
    links=_via_request("recipient notice"),
)

_S = dict(basis="legal_obligation", retention=RIGHTS_RECORD_1Y, erasure="delete")

declare(
    ProcessingStop,
    dates={"withdrawal": "lifted_at"},
    subject="the person who objected or withdrew consent",
    fields={
        "purpose": pd("D9", "user.consent.objection", "U14", portability="provided", **_S),
        "bases": pd("D9", "user.consent.objection", "U14", portability="derived", **_S),
        "stopped_at": pd("D9", "user.consent.objection", "U14", portability="observed", source="system", **_S),
        "lifted_at": pd("D9", "user.consent.objection", "U14", portability="observed", source="system", **_S),
    },
    not_personal=("request", "subject_row", "contact", "account"),
    links=(
        Link("contact", "customers.Contact", "purpose stopped for this contact person"),
        Link("account", "accounts.Account", "purpose stopped for this account"),
    ),
)

declare(
    Restriction,
    dates={"withdrawal": "lifted_at"},
    subject="the person whose data is restricted",
    fields={
        "categories": pd("D11", "user.privacy_request.restriction", "U14", portability="derived", **_S),
        "started_at": pd(
            "D11", "user.privacy_request.restriction", "U14", portability="observed", source="system", **_S
        ),
        "lifted_at": pd(
            "D11", "user.privacy_request.restriction", "U14", portability="observed", source="system", **_S
        ),
        "lift_reason": pd(
            "D11", "user.privacy_request.restriction", "U14", portability="derived", source="staff", **_S
        ),
    },
    not_personal=("request", "subject_row", "contact", "account"),
    links=(
        Link("contact", "customers.Contact", "restriction of this contact person's data"),
        Link("account", "accounts.Account", "restriction of this account's data"),
    ),
)

exempt("privacy.DeadlineWarning", why="which deadline warning went out for which request, and when")
