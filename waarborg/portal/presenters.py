"""How the portal shows what the selectors and the subject report return: labels, values, states.

Nothing here decides *what* a customer sees — the scoped selectors and the personal-data map do
that. This module only puts it in words, in the visitor's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from waarborg.billing.models import Invoice
from waarborg.catalogue.models import PRODUCT_KINDS, Subscription
from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.core import clock, datamap


def lang() -> str:
    """The language the subject report and the map's texts are wanted in: "nl" or "en"."""
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def pick(texts) -> str:
    """The visitor's language from an (nl, en, …) tuple of the map's vocabularies."""
    return texts[1] if lang() == "en" else texts[0]


# --- What we hold about you: the subject report, in words ----------------------------------

# The order records are listed in within a category; others follow alphabetically. Their names
# and the names of their values come from the personal-data map.
MODEL_ORDER = [
    "customers.Customer",
    "customers.Contact",
    "customers.ContactHistory",
    "customers.Document",
    "accounts.Account",
    "accounts.LoginEvent",
    "catalogue.Subscription",
    "billing.Invoice",
    "billing.InvoiceLine",
    "billing.Payment",
    "billing.PaymentMethod",
    "consents.ConsentRecord",
    "correspondence.Ticket",
    "correspondence.Message",
    "correspondence.Attachment",
    "correspondence.Complaint",
    "careers.JobApplication",
]


def retention_text(label: str, name: str) -> str:
    """The map's retention rule for one declared field, in the visitor's language."""
    return datamap.registry()[label].fields[name].retention.describe(lang())


def model_label(label: str) -> str:
    """What a record is ('Factuur' / 'Invoice'), from the map, in the visitor's language."""
    entry = datamap.entry_for(label)
    return pick(entry.record_label) if entry is not None else label


def _model_field(label: str, name: str) -> models.Field | None:
    entry = datamap.entry_for(label)
    if entry is None:
        return None
    try:
        return entry.model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def phone_display(value: str) -> str:
    """A stored phone number (E.164) in the international format people read: +31 6 12345678."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def display_value(label: str, name: str, text: str) -> str:
    """The report's plain text of a value, shown the way the visitor reads it."""
    model_field = _model_field(label, name)
    entry = datamap.entry_for(label)
    declared = entry.fields.get(name) if entry else None
    try:
        if declared is not None and declared.identifier == "phone":
            return phone_display(text)
        if (label, name) == ("consents.ConsentRecord", "kind") and text in CONSENT_PURPOSES:
            return pick(CONSENT_PURPOSES[text])
        if isinstance(model_field, models.DateTimeField):
            moment = dt.datetime.fromisoformat(text)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "DATETIME_FORMAT")
        if isinstance(model_field, models.DateField):
            return formats.date_format(dt.date.fromisoformat(text), "DATE_FORMAT")
        if isinstance(model_field, models.BooleanField):
            return str(_("yes")) if text in ("ja", "True", "true") else str(_("no"))
        if isinstance(model_field, models.DecimalField):
            return formats.number_format(Decimal(text), 2, force_grouping=True)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(text, text))
    except (ValueError, InvalidOperation):
        pass
    return text


@dataclass
class Row:
    held_in: str
    label: str
    value: str
    sort: tuple = ()


@dataclass
class CategoryView:
    """One category of the map (D1–D11) with what we hold in it and why, and how long."""

    id: str
    name: str
    rows: list[Row] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    bases: list[tuple[str, str]] = field(default_factory=list)  # (name, GDPR article)
    retention: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def _purpose_order(pid: str) -> int:
    return int(pid[1:])


def _field_index(label: str, name: str) -> int:
    entry = datamap.entry_for(label)
    if entry is None:
        return 0
    names = [f.name for f in entry.model._meta.get_fields()]
    return names.index(name) if name in names else len(names)


def _model_index(label: str) -> tuple[int, str]:
    return (MODEL_ORDER.index(label) if label in MODEL_ORDER else len(MODEL_ORDER), label)


def category_views(categories) -> list[CategoryView]:
    """The subject report (`waarborg.subjects.report.subject_report`) as the portal shows it.

    Purposes, legal bases, retention and recipients are collected from the declarations of the
    values shown, so a category says exactly why and how long for what it holds.
    """
    views = []
    for category in categories:
        purposes: set[str] = set()
        bases: set[str] = set()
        retention: list[str] = []
        recipients: list[str] = []
        rows = []
        for item in category.items:
            purposes.update(item.purposes)
            bases.add(item.basis)
            if item.retention not in retention:
                retention.append(item.retention)
            for recipient in item.recipients:
                if recipient not in recipients:
                    recipients.append(recipient)
            rows.append(
                Row(
                    held_in=model_label(item.model),
                    label=item.label,
                    value=display_value(item.model, item.field, item.value),
                    sort=(_model_index(item.model), str(item.pk).zfill(12), _field_index(item.model, item.field)),
                )
            )
        rows.sort(key=lambda row: row.sort)
        views.append(
            CategoryView(
                id=category.id,
                name=category.name,
                rows=rows,
                purposes=[pick(datamap.PURPOSES[p]) for p in sorted(purposes, key=_purpose_order)],
                bases=[(pick(datamap.BASES[b]), datamap.BASES[b][2]) for b in datamap.BASES if b in bases],
                retention=retention,
                recipients=[pick(datamap.RECIPIENT_CATEGORIES[r]) for r in recipients],
            )
        )
    return views


# --- Services and invoices ----------------------------------------------------------------

SUBSCRIPTION_STATES = {
    Subscription.Status.ACTIVE: pgettext_lazy("service", "Active"),
    Subscription.Status.BLOCKED: pgettext_lazy("service", "Blocked"),
    Subscription.Status.CANCELLED: pgettext_lazy("service", "Cancelled"),
}
BLOCK_REASONS = {
    Subscription.BlockReason.NON_PAYMENT: _("because an invoice was not paid"),
    Subscription.BlockReason.ABUSE: _("because of suspected misuse"),
    Subscription.BlockReason.CUSTOMER_REQUEST: _("at your request"),
}


@dataclass(frozen=True)
class ServiceView:
    subscription: Subscription
    kind: str
    state: str
    state_label: str
    reason: str


def service_view(subscription: Subscription) -> ServiceView:
    kind = PRODUCT_KINDS.get(subscription.product.kind)
    return ServiceView(
        subscription=subscription,
        kind=(kind["en"] if lang() == "en" else kind["nl"]) if kind else subscription.product.kind,
        state=subscription.status,
        state_label=str(SUBSCRIPTION_STATES.get(subscription.status, subscription.status)),
        reason=str(BLOCK_REASONS.get(subscription.block_reason, "")) if subscription.status == "blocked" else "",
    )


OPEN, PARTLY_PAID, OVERDUE, PAID, CANCELLED = "open", "partly_paid", "overdue", "paid", "cancelled"
INVOICE_STATES = {
    OPEN: pgettext_lazy("invoice", "Open"),
    PARTLY_PAID: pgettext_lazy("invoice", "Partly paid"),
    OVERDUE: pgettext_lazy("invoice", "Overdue"),
    PAID: pgettext_lazy("invoice", "Paid"),
    CANCELLED: pgettext_lazy("invoice", "Cancelled"),
}


@dataclass(frozen=True)
class InvoiceState:
    key: str
    label: str
    partly_paid: bool = False
    days_overdue: int = 0


def invoice_state(invoice: Invoice, today: dt.date | None = None) -> InvoiceState:
    """Open, partly paid, overdue (due date passed, by the project's clock), paid or cancelled."""
    today = today or clock.today()
    if invoice.status == Invoice.Status.CANCELLED:
        return InvoiceState(CANCELLED, str(INVOICE_STATES[CANCELLED]))
    if invoice.status == Invoice.Status.PAID or invoice.amount_open <= 0:
        return InvoiceState(PAID, str(INVOICE_STATES[PAID]))
    partly = invoice.amount_paid > 0
    if invoice.due_date < today:
        label = pgettext_lazy("invoice", "Overdue, partly paid") if partly else INVOICE_STATES[OVERDUE]
        return InvoiceState(OVERDUE, str(label), partly, (today - invoice.due_date).days)
    if partly:
        return InvoiceState(PARTLY_PAID, str(INVOICE_STATES[PARTLY_PAID]), True)
    return InvoiceState(OPEN, str(INVOICE_STATES[OPEN]))


# --- Consents -----------------------------------------------------------------------------


@dataclass
class ConsentView:
    """One kind of consent with its current state, for the consent page."""

    kind: str
    name: str
    purposes: list[str]
    given: bool
    latest: object | None
    current_version: bool
    state: str  # given, given_earlier_version, withdrawn, refused, never

    @property
    def action(self) -> str:
        """The one thing the visitor can do now: withdraw what stands, or give."""
        return "withdraw" if self.given else "give"


def consent_view(kind: str, latest, *, given: bool, policy_version: str) -> ConsentView:
    nl, en, purposes = CONSENT_PURPOSES[kind]
    current = bool(latest is not None and latest.policy_version == policy_version)
    if given:
        state = "given" if current else "given_earlier_version"
    elif latest is None:
        state = "never"
    elif latest.granted:
        state = "withdrawn"
    else:
        state = "refused"
    return ConsentView(
        kind=kind,
        name=en if lang() == "en" else nl,
        purposes=[pick(datamap.PURPOSES[p]) for p in purposes],
        given=given,
        latest=latest,
        current_version=current,
        state=state,
    )


def consent_kind_name(kind: str) -> str:
    return pick(CONSENT_PURPOSES[kind]) if kind in CONSENT_PURPOSES else kind
