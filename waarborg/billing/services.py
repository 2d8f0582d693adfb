"""Writes of invoices, payments and payment methods (U3, U4).

An invoice keeps the name and address it was issued to (the fiscal record). Bank account
numbers are checked (ISO 13616 mod-97), encrypted at rest and otherwise kept only as their last
four characters and a keyed hash (D7).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.billing.models import Invoice, InvoiceLine, Payment, PaymentMethod
from waarborg.catalogue.models import Subscription
from waarborg.core import clock
from waarborg.core.access import check_actor
from waarborg.core.crypto import keyed_hash
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_iban
from waarborg.customers.models import Contact, Customer
from waarborg.customers.services import clean_choice, clean_text, customer_ref, save_numbered
from waarborg.dunning.payments import payment_booked

CENT = Decimal("0.01")
DEFAULT_VAT_RATE = Decimal("21")
VAT_RATES = (Decimal("0"), Decimal("9"), Decimal("21"))
PAYMENT_TERM_DAYS = 14
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _amount(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError("billing.not_an_amount", {"field": field}, field=field) from None
    if not amount.is_finite():
        raise ValidationError("billing.not_an_amount", {"field": field}, field=field)
    return amount


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _currency(value: str) -> str:
    code = (value or "").strip().upper()
    if not _CURRENCY.match(code):
        raise ValidationError("billing.currency", field="currency")
    return code


# --- IBAN (ISO 13616) ---------------------------------------------------------------------

# Lengths per country for the SEPA area; other countries are checked on the general form.
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GI": 23, "GL": 18, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19,
    "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip
_IBAN_FORM = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_NL_IBAN = re.compile(r"^NL[0-9]{2}[A-Z]{4}[0-9]{10}$")


def iban_mod97(iban: str) -> int:
    """The ISO 13616 check value: move the first four characters to the end, letters to 10–35."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97


def iban_validate(value: str) -> str:
    """The IBAN in its normal form (no spaces, upper case), or ValidationError."""
    iban = normalise_iban(value)
    if not _IBAN_FORM.match(iban):
        raise ValidationError("billing.iban", field="iban")
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        raise ValidationError("billing.iban_length", field="iban")
    if iban[:2] == "NL" and not _NL_IBAN.match(iban):
        raise ValidationError("billing.iban", field="iban")
    if iban_mod97(iban) != 1:
        raise ValidationError("billing.iban_check_digits", field="iban")
    return iban


def iban_hash(value: str) -> str:
    """The keyed hash an IBAN is found by (normalised first)."""
    return keyed_hash(normalise_iban(value), purpose="iban")


# --- Invoices -----------------------------------------------------------------------------


def _billing_contact_for(customer: Customer, billing_contact: Contact | None) -> Contact:
    if billing_contact is not None:
        if billing_contact.customer_id != customer.pk:
            raise ValidationError("billing.contact_of_another_customer", field="billing_contact")
        return billing_contact
    contacts = list(customer.contacts.order_by("pk"))
    for role in (Contact.Role.BILLING, Contact.Role.PRIMARY):
        for contact in contacts:
            if contact.role == role:
                return contact
    if contacts:
        return contacts[0]
    raise ValidationError("billing.no_contact", field="billing_contact")


def printed_name(customer: Customer, contact: Contact) -> str:
    name = customer.name
    if customer.kind == Customer.Kind.ORGANISATION and contact.full_name:
        name = f"{customer.name}, t.a.v. {contact.full_name}"
    return name[:200]


def printed_address(contact: Contact) -> str:
    if not (contact.street and contact.postcode and contact.town):
        raise ValidationError("billing.address_incomplete", field="address")
    parts = [contact.street, f"{contact.postcode} {contact.town}"]
    if contact.country and contact.country != "NL":
        parts.append(contact.country)
    address = ", ".join(parts)
    if len(address) > 300:
        raise ValidationError("billing.address_too_long", field="address")
    return address


def _clean_lines(lines, customer: Customer) -> list[dict]:
    if not lines:
        raise ValidationError("billing.no_lines", field="lines")
    clean = []
    for line in lines:
        description = clean_text(line.get("description"), field="description", max_length=300, required=True)
        quantity = _amount(line.get("quantity", 1), field="quantity")
        if quantity <= 0:
            raise ValidationError("billing.quantity", field="quantity")
        unit_price = _round(_amount(line.get("unit_price"), field="unit_price"))
        vat_rate = _amount(line.get("vat_rate", DEFAULT_VAT_RATE), field="vat_rate")
        if vat_rate not in VAT_RATES:
            raise ValidationError("billing.vat_rate", field="vat_rate")
        subscription = line.get("subscription")
        if subscription is not None:
            if not isinstance(subscription, Subscription):
                subscription = Subscription.objects.filter(pk=subscription).first()
            if subscription is None or subscription.customer_id != customer.pk:
                raise ValidationError("billing.subscription_of_another_customer", field="subscription")
        clean.append(
            {
                "description": description,
                "quantity": quantity.quantize(CENT),
                "unit_price": unit_price,
                "vat_rate": vat_rate.quantize(CENT),
                "subscription": subscription,
            }
        )
    return clean


def invoice_totals(lines: list[dict]) -> tuple[Decimal, Decimal, Decimal]:
    """(total excl. VAT, VAT, total incl. VAT); VAT is computed per rate over the line totals."""
    per_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        net = _round(line["quantity"] * line["unit_price"])
        per_rate[line["vat_rate"]] = per_rate.get(line["vat_rate"], Decimal("0")) + net
    total_excl = sum(per_rate.values(), Decimal("0"))
    vat = sum((_round(net * rate / 100) for rate, net in per_rate.items()), Decimal("0"))
    return _round(total_excl), _round(vat), _round(total_excl + vat)


@transaction.atomic
def invoice_create(
    *,
    actor,
    customer: Customer,
    lines: list[dict],
    billing_contact: Contact | None = None,
    issue_date: dt.date | None = None,
    due_date: dt.date | None = None,
    payment_term_days: int = PAYMENT_TERM_DAYS,
    currency: str = "EUR",
    purpose: str = "U3",
) -> Invoice:
    """Issue an invoice.

    `lines` are dicts with description, unit_price, and optionally quantity (1), vat_rate (21)
    and subscription. The name and address printed are taken from the customer and the billing
    contact (the billing contact, else the primary one) as they are today, and kept so.
    """
    check_actor(actor=actor, scope="invoices", customer_id=customer.pk, customers_may=False)
    currency = _currency(currency)
    issue = issue_date or clock.today()
    if due_date is None:
        if payment_term_days < 0:
            raise ValidationError("billing.payment_term", field="payment_term_days")
        due_date = issue + dt.timedelta(days=payment_term_days)
    if due_date < issue:
        raise ValidationError("billing.due_before_issue", field="due_date")
    clean = _clean_lines(lines, customer)
    total_excl, vat, total_incl = invoice_totals(clean)
    if total_incl <= 0:
        raise ValidationError("billing.total", field="lines")
    contact = _billing_contact_for(customer, billing_contact)
    invoice = Invoice(
        customer=customer,
        billing_contact=contact,
        issue_date=issue,
        due_date=due_date,
        currency=currency,
        total_excl=total_excl,
        vat_amount=vat,
        total_incl=total_incl,
        amount_paid=Decimal("0.00"),
        status=Invoice.Status.OPEN,
        name_printed=printed_name(customer, contact),
        address_printed=printed_address(contact),
    )
    save_numbered(invoice, prefix=f"{issue.year}-", width=6)
    InvoiceLine.objects.bulk_create([InvoiceLine(invoice=invoice, **line) for line in clean])
    audit_record(
        actor=actor,
        action="invoice.create",
        purpose=purpose,
        object_type="billing.invoice",
        object_ids=[invoice.pk],
        subject_ref=customer_ref(customer.pk),
        data={
            "fields": ["name_printed", "address_printed", "total_excl", "vat_amount", "total_incl"],
            "lines": len(clean),
            "billing_contact": contact.pk,
        },
    )
    return invoice


@transaction.atomic
def invoice_cancel(*, actor, invoice: Invoice, purpose: str = "U3") -> Invoice:
    """Cancel an invoice nothing has been paid on yet."""
    check_actor(actor=actor, scope="invoices", customer_id=invoice.customer_id, customers_may=False)
    current = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if current.status != Invoice.Status.OPEN or current.amount_paid != 0:
        raise ValidationError("billing.cancel_not_open", field="status")
    current.status = Invoice.Status.CANCELLED
    current.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="invoice.cancel",
        purpose=purpose,
        object_type="billing.invoice",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"fields": ["status"]},
    )
    invoice.status = current.status
    return current


# --- Payments -----------------------------------------------------------------------------


def _invoice_locked(invoice) -> Invoice:
    """The invoice, locked for the update; an unknown invoice is bad input."""
    qs = Invoice.objects.select_for_update()
    try:
        if isinstance(invoice, Invoice):
            return qs.get(pk=invoice.pk)
        if isinstance(invoice, int):
            return qs.get(pk=invoice)
        if isinstance(invoice, str) and invoice.strip():
            return qs.get(number=invoice.strip())
    except Invoice.DoesNotExist:
        pass
    raise ValidationError("billing.unknown_invoice", field="invoice")


@transaction.atomic
def payment_record(
    *,
    actor,
    invoice,
    amount,
    currency: str = "EUR",
    received_at: dt.datetime | None = None,
    reference: str = "",
    payment_method: PaymentMethod | None = None,
    purpose: str = "U4",
) -> Payment:
    """Record a (partial) payment on an invoice (an Invoice, its id or its number).

    Refused: an unknown invoice, another currency than the invoice's, an amount of zero or less
    or more than what is still open, and a cancelled invoice. The invoice's amount paid and
    status follow.
    """
    check_actor(actor=actor, scope="payments", customers_may=False)
    current = _invoice_locked(invoice)
    paid = _round(_amount(amount, field="amount"))
    if paid <= 0:
        raise ValidationError("billing.payment_amount", field="amount")
    if _currency(currency) != current.currency:
        raise ValidationError("billing.payment_currency", field="currency")
    if current.status == Invoice.Status.CANCELLED:
        raise ValidationError("billing.invoice_cancelled", field="invoice")
    if paid > current.amount_open:
        raise ValidationError("billing.payment_above_open", field="amount")
    if payment_method is not None and payment_method.customer_id != current.customer_id:
        raise ValidationError("billing.payment_method_of_another_customer", field="payment_method")
    reference = clean_text(reference, field="reference", max_length=140)
    payment = Payment.objects.create(
        invoice=current,
        customer_id=current.customer_id,
        payment_method=payment_method,
        amount=paid,
        currency=current.currency,
        received_at=received_at or clock.now(),
        reference=reference,
    )
    current.amount_paid = current.amount_paid + paid
    if current.amount_open <= 0:
        current.status = Invoice.Status.PAID
    current.save(update_fields=["amount_paid", "status"])
    audit_record(
        actor=actor,
        action="payment.record",
        purpose=purpose,
        object_type="billing.payment",
        object_ids=[payment.pk],
        subject_ref=customer_ref(current.customer_id),
        data={
            "fields": ["amount", "received_at"] + (["reference"] if reference else []),
            "invoice": current.pk,
            "invoice_status": current.status,
        },
    )
    payment_booked(payment)
    if isinstance(invoice, Invoice):
        invoice.amount_paid = current.amount_paid
        invoice.status = current.status
    return payment


# --- Payment methods ----------------------------------------------------------------------

_MANDATE_REF = re.compile(r"^[A-Za-z0-9+?/:().,' -]{1,35}$")
IBAN_KINDS = (PaymentMethod.Kind.SEPA_MANDATE, PaymentMethod.Kind.TRANSFER)


@transaction.atomic
def payment_method_add(
    *,
    actor,
    customer: Customer,
    kind: str,
    iban: str = "",
    holder_name: str = "",
    mandate_reference: str = "",
    mandate_signed_at: dt.datetime | None = None,
    purpose: str = "U3",
) -> PaymentMethod:
    """Add a way to pay. The IBAN is checked, encrypted at rest, and otherwise kept only as its
    last four characters and a keyed hash; a SEPA mandate gets a reference when none is given.
    """
    check_actor(actor=actor, scope="payment_methods", customer_id=customer.pk)
    kind = clean_choice(kind, field="kind", choices=PaymentMethod.Kind.choices)
    holder = clean_text(holder_name, field="holder_name", max_length=120)
    normalised = ""
    if iban or kind in IBAN_KINDS:
        normalised = iban_validate(iban)
    reference = ""
    signed_at = None
    if kind == PaymentMethod.Kind.SEPA_MANDATE:
        if not holder:
            raise ValidationError("billing.mandate_holder", field="holder_name")
        reference = (mandate_reference or "").strip() or f"{customer.number}-{secrets.token_hex(4).upper()}"
        if not _MANDATE_REF.match(reference):
            raise ValidationError("billing.mandate_reference", field="mandate_reference")
        signed_at = mandate_signed_at or clock.now()
    elif mandate_reference or mandate_signed_at:
        raise ValidationError("billing.mandate_reference_only", field="mandate_reference")
    method = PaymentMethod.objects.create(
        customer=customer,
        kind=kind,
        holder_name=holder,
        iban=normalised,
        iban_last4=normalised[-4:] if normalised else "",
        iban_hash=keyed_hash(normalised, purpose="iban") if normalised else "",
        mandate_reference=reference,
        mandate_signed_at=signed_at,
        created_at=clock.now(),
    )
    fields = ["kind"]
    if holder:
        fields.append("holder_name")
    if normalised:
        fields += ["iban", "iban_last4", "iban_hash"]
    if reference:
        fields += ["mandate_reference", "mandate_signed_at"]
    audit_record(
        actor=actor,
        action="payment_method.add",
        purpose=purpose,
        object_type="billing.paymentmethod",
        object_ids=[method.pk],
        subject_ref=customer_ref(customer.pk),
        data={"fields": fields, "kind": kind},
    )
    return method
