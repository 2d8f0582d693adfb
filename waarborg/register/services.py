"""The register of recipients (T2, T3): who receives which data, why, under which agreement."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core.datamap import CATEGORIES, RECIPIENT_CATEGORIES
from waarborg.core.errors import ValidationError
from waarborg.customers.selectors import check_actor
from waarborg.customers.services import clean_choice, clean_text
from waarborg.register.models import Recipient

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _clean_dates(kind: str, signed: dt.date | None, expires: dt.date | None) -> None:
    if expires is not None and signed is None:
        raise ValidationError("an agreement that expires must have been signed", field="agreement_signed_at")
    if signed is not None and expires is not None and expires < signed:
        raise ValidationError("the agreement expires before it was signed", field="agreement_expires_at")


@transaction.atomic
def recipient_register(
    *,
    actor,
    key: str,
    name: str,
    kind: str,
    category: str,
    purpose: str,
    data_categories: list[str],
    country: str = "NL",
    agreement_signed_at: dt.date | None = None,
    agreement_expires_at: dt.date | None = None,
) -> Recipient:
    """Register a processor or third party with the data categories (D-ids) it receives.

    A processor without a signed agreement may be registered, but receives nothing until the
    agreement is recorded (Recipient.agreement_valid_on).
    """
    check_actor(actor=actor, scope="register", customers_may=False)
    key = (key or "").strip().lower()
    if not _KEY.match(key):
        raise ValidationError("a key is lower-case letters, digits and -", field="key")
    if Recipient.objects.filter(key=key).exists():
        raise ValidationError("a recipient with this key exists", field="key")
    name = clean_text(name, field="name", max_length=160, required=True)
    kind = clean_choice(kind, field="kind", choices=Recipient.Kind.choices)
    category = clean_choice(category, field="category", choices=list(RECIPIENT_CATEGORIES))
    purpose_text = clean_text(purpose, field="purpose", max_length=300, required=True)
    categories = list(dict.fromkeys(data_categories or []))
    if not categories:
        raise ValidationError("name the data categories the recipient receives", field="data_categories")
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise ValidationError(f"unknown data categories: {', '.join(map(str, unknown))}", field="data_categories")
    country = (country or "").strip().upper()
    if not _COUNTRY.match(country):
        raise ValidationError("a country is a two-letter code such as NL", field="country")
    _clean_dates(kind, agreement_signed_at, agreement_expires_at)
    recipient = Recipient.objects.create(
        key=key,
        name=name,
        kind=kind,
        category=category,
        purpose=purpose_text,
        data_categories=categories,
        country=country,
        agreement_signed_at=agreement_signed_at,
        agreement_expires_at=agreement_expires_at,
    )
    audit_record(
        actor=actor,
        action="recipient.register",
        purpose="U14",
        object_type="register.recipient",
        object_ids=[recipient.pk],
        data={
            "fields": ["key", "name", "kind", "category", "purpose", "data_categories", "country"]
            + [
                f
                for f, v in (
                    ("agreement_signed_at", agreement_signed_at),
                    ("agreement_expires_at", agreement_expires_at),
                )
                if v
            ],
            "kind": kind,
            "category": category,
            "data_categories": categories,
        },
    )
    return recipient


@transaction.atomic
def recipient_agreement_record(
    *,
    actor,
    recipient: Recipient,
    signed_at: dt.date,
    expires_at: dt.date | None = None,
) -> Recipient:
    """Record a (renewed) agreement with a recipient."""
    check_actor(actor=actor, scope="register", customers_may=False)
    if signed_at is None:
        raise ValidationError("the date the agreement was signed is required", field="agreement_signed_at")
    _clean_dates(recipient.kind, signed_at, expires_at)
    current = Recipient.objects.select_for_update().get(pk=recipient.pk)
    current.agreement_signed_at = signed_at
    current.agreement_expires_at = expires_at
    current.save(update_fields=["agreement_signed_at", "agreement_expires_at"])
    audit_record(
        actor=actor,
        action="recipient.agreement",
        purpose="U14",
        object_type="register.recipient",
        object_ids=[current.pk],
        data={"fields": ["agreement_signed_at", "agreement_expires_at"]},
    )
    recipient.agreement_signed_at, recipient.agreement_expires_at = signed_at, expires_at
    return current
