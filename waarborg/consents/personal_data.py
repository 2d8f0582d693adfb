from waarborg.consents.models import ConsentRecord
from waarborg.core.datamap import CONSENT_PROOF_1Y, Link, declare, pd

declare(
    ConsentRecord,
    dates={"withdrawal": "withdrawn_at"},
    subject="the person who gave or refused consent",
    fields={
        "device_id": pd(
            "D9",
            "user.device.cookie_id",
            "U8 U9 U10",
            "consent",
            CONSENT_PROOF_1Y,
            "delete",
            "observed",
            source="system",
        ),
        "kind": pd(
            "D9", "user.consent.purpose", "U6 U8 U9 U10", "legal_obligation", CONSENT_PROOF_1Y, "delete", "provided"
        ),
        "granted": pd(
            "D9", "user.consent.choice", "U6 U8 U9 U10", "legal_obligation", CONSENT_PROOF_1Y, "delete", "provided"
        ),
        "policy_version": pd(
            "D9",
            "user.consent.policy_version",
            "U6 U8 U9 U10",
            "legal_obligation",
            CONSENT_PROOF_1Y,
            "delete",
            "observed",
            source="system",
        ),
        "given_at": pd(
            "D9",
            "user.consent.date",
            "U6 U8 U9 U10",
            "legal_obligation",
            CONSENT_PROOF_1Y,
            "delete",
            "observed",
            source="system",
        ),
        "withdrawn_at": pd(
            "D9",
            "user.consent.date",
            "U6 U8 U9 U10",
            "legal_obligation",
            CONSENT_PROOF_1Y,
            "delete",
            "observed",
            source="system",
        ),
        "parental_consent_ref": pd(
            "D9", "user.consent.parental", "U6 U8 U9 U10", "legal_obligation", CONSENT_PROOF_1Y, "delete", "provided"
        ),
    },
    not_personal=("account", "contact", "source"),
    links=(
        Link("account", "accounts.Account", "consent given with this account"),
        Link("contact", "customers.Contact", "consent of this contact person"),
    ),
)
