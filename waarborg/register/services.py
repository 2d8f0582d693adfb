"""The register of recipients (T2, T3): who receives which data, why, under which agreement."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.formats import date_format

from waarborg.audit.services import audit_record
from waarborg.core import clock
from waarborg.core.access import check_actor, is_customer_viewer, own_customer_id
from waarborg.core.datamap import CATEGORIES, RECIPIENT_CATEGORIES
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.customers.services import clean_choice, clean_text, customer_ref
from waarborg.register.models import ProcessorAgreement, Recipient, SubprocessorChange
from waarborg.register.selectors import processor_notice_addresses

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Day:
    """A day in a message: YYYY-MM-DD in the English line, in words on a screen or in a mail."""

    day: dt.date

    def words(self, lang: str, plain: bool) -> str:
        return self.day.isoformat() if plain else date_format(self.day, "j F Y")


def _clean_dates(kind: str, signed: dt.date | None, expires: dt.date | None) -> None:
    if expires is not None and signed is None:
        raise ValidationError("register.expires_unsigned", field="agreement_signed_at")
    if signed is not None and expires is not None and expires < signed:
        raise ValidationError("register.expires_before_signed", field="agreement_expires_at")


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
        raise ValidationError("register.key_form", field="key")
    if Recipient.objects.filter(key=key).exists():
        raise ValidationError("register.key_taken", field="key")
    name = clean_text(name, field="name", max_length=160, required=True)
    kind = clean_choice(kind, field="kind", choices=Recipient.Kind.choices)
    category = clean_choice(category, field="category", choices=list(RECIPIENT_CATEGORIES))
    purpose_text = clean_text(purpose, field="purpose", max_length=300, required=True)
    categories = list(dict.fromkeys(data_categories or []))
    if not categories:
        raise ValidationError("register.categories_required", field="data_categories")
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise ValidationError(
            "register.categories_unknown", {"categories": ", ".join(map(str, unknown))}, field="data_categories"
        )
    country = (country or "").strip().upper()
    if not _COUNTRY.match(country):
        raise ValidationError("register.country_form", field="country")
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
        raise ValidationError("register.signed_required", field="agreement_signed_at")
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


# --- As processor for the customers' own data (X7, art. 28) ------------------------------------

PROCESSOR_AGREEMENT_VERSION = "2026-01"  # the version of the terms on /verwerkersovereenkomst/
SUBPROCESSOR_NOTICE_DAYS = 30  # customers are told this long before a sub-processor change


def processor_agreement_accept(*, actor) -> ProcessorAgreement:
    """The signed-in customer accepts the processing agreement in force (electronic form, 28(9))."""
    if not is_customer_viewer(actor):
        raise PermissionDenied("register.customer_only")
    customer_id = own_customer_id(actor)
    if customer_id is None:
        raise PermissionDenied("register.no_customer")
    with transaction.atomic():
        if ProcessorAgreement.objects.filter(customer_id=customer_id, version=PROCESSOR_AGREEMENT_VERSION).exists():
            raise ValidationError("register.accepted_already", field="version")
        agreement = ProcessorAgreement.objects.create(
            customer_id=customer_id,
            version=PROCESSOR_AGREEMENT_VERSION,
            accepted_at=clock.now(),
            accepted_by=actor,
        )
        audit_record(
            actor=actor,
            action="processor_agreement.accept",
            purpose="U1",
            object_type="register.processoragreement",
            object_ids=[agreement.pk],
            subject_ref=customer_ref(customer_id),
            data={"version": agreement.version},
        )
    return agreement


def subprocessor_change_announce(
    *, actor, recipient: Recipient, change: str, effective_on: dt.date
) -> SubprocessorChange:
    """Tell every customer with a processing agreement about a sub-processor added or removed,
    at least SUBPROCESSOR_NOTICE_DAYS before it takes effect, so that they can object (28(2)).

    All or nothing: when a mail cannot be handed to the mail server, nothing is recorded.
    """
    check_actor(actor=actor, scope="register", customers_may=False)
    change = clean_choice(change, field="change", choices=SubprocessorChange.Change.choices)
    if recipient.kind != Recipient.Kind.PROCESSOR:
        raise ValidationError("register.processor_only", field="recipient")
    if not isinstance(effective_on, dt.date):
        raise ValidationError("register.effective_on_required", field="effective_on")
    earliest = clock.today() + dt.timedelta(days=SUBPROCESSOR_NOTICE_DAYS)
    if effective_on < earliest:
        raise ValidationError(
            "register.notice_too_short",
            {"days": SUBPROCESSOR_NOTICE_DAYS, "earliest": Day(earliest)},
            field="effective_on",
        )
    addresses = sorted(processor_notice_addresses().items())
    with transaction.atomic():
        made = SubprocessorChange.objects.create(
            recipient=recipient,
            change=change,
            effective_on=effective_on,
            announced_at=clock.now(),
            customers_told=len(addresses),
        )
        audit_record(
            actor=actor,
            action="subprocessor.announce",
            purpose="U1",
            object_type="register.subprocessorchange",
            object_ids=[made.pk],
            data={
                "recipient": recipient.key,
                "change": change,
                "told": len(addresses),
            },
        )
        if addresses:
            _send_subprocessor_notices(made, [email for _, email in addresses])
    return made


def _send_subprocessor_notices(change: SubprocessorChange, addresses: list[str]) -> None:
    context = {
        "change": change,
        "recipient": change.recipient,
        "controller": settings.WAARBORG_CONTROLLER,
        "site_url": settings.WAARBORG_SITE_URL,
    }
    subject = "Wijziging subverwerker / Change of sub-processor: " + change.recipient.name
    body = render_to_string("register/subprocessor_notice.txt", context)
    with get_connection() as connection:
        for email in addresses:  # one mail per customer: no customer sees another's address
            EmailMessage(subject, body, None, [email], connection=connection).send()
