"""Dutch-first labels for the codes the back office shows (the models' choices are English)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waarborg.catalogue.models import PRODUCT_KINDS
from waarborg.consents.models import CONSENT_PURPOSES

LABELS: dict[str, dict[str, str]] = {
    "customer_status": {"active": _("Active"), "terminating": _("Terminating"), "ended": _("Ended")},
    "customer_kind": {
        "organisation": _("Organisation"),
        "sole_trader": _("Sole trader"),
        "private": _("Private person"),
    },
    "market": {"b2b": _("Business"), "b2c": _("Consumer")},
    "contact_role": {"primary": _("Primary contact"), "billing": _("Billing"), "technical": _("Technical")},
    "subscription_status": {"active": _("Active"), "blocked": _("Blocked"), "cancelled": _("Cancelled")},
    "block_reason": {
        "non_payment": _("Non-payment"),
        "abuse": _("Abuse"),
        "customer_request": _("Customer request"),
        "other": _("Other"),
    },
    "invoice_status": {"open": _("Open"), "paid": _("Paid"), "cancelled": _("Cancelled")},
    "payment_method": {
        "sepa_mandate": _("SEPA direct debit"),
        "transfer": _("Bank transfer"),
        "ideal": _("iDEAL"),
    },
    "ticket_status": {"open": _("Open"), "waiting": _("Waiting for customer"), "closed": _("Closed")},
    "direction": {"in": _("From the customer"), "out": _("To the customer")},
    "login_method": {
        "password": _("Password"),
        "totp": _("Authenticator code"),
        "throttled": _("Refused (too many attempts)"),
    },
    "consent_source": {
        "portal": _("Portal"),
        "signup": _("Sign-up"),
        "website": _("Website"),
        "email": _("E-mail"),
        "staff": _("Staff"),
    },
}


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def label(kind: str, code) -> str:
    code = "" if code is None else str(code)
    if kind == "product_kind":
        entry = PRODUCT_KINDS.get(code)
        return (entry["en"] if _english() else entry["nl"]) if entry else code
    if kind == "consent_kind":
        entry = CONSENT_PURPOSES.get(code)
        return (entry[1] if _english() else entry[0]) if entry else code
    return str(LABELS.get(kind, {}).get(code, code))
