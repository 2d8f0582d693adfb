"""Writes of customers and contact persons.

Every write validates and normalises its input first (nothing is stored when one value is
wrong), then stores and records an audit event in the same transaction. Audit events name
fields, ids and codes, never the values.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.core import clock
from waarborg.core.access import check_actor
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email, normalise_phone, normalise_postcode
from waarborg.customers.models import Contact, ContactHistory, Customer, NoticeAgreement

# --- Helpers shared by the services of the other apps -------------------------------------


def clean_text(
    value, *, field: str, max_length: int | None = None, required: bool = False, multiline: bool = False
) -> str:
    """Trimmed text within the column's length; a required field may not be empty.

    One-line fields have their inner whitespace collapsed; multi-line text is only trimmed.
    """
    raw = "" if value is None else str(value)
    text = raw.strip() if multiline else " ".join(raw.split())
    if required and not text:
        raise ValidationError("input.required", {"field": field}, field=field)
    if max_length is not None and len(text) > max_length:
        raise ValidationError("input.too_long", {"field": field, "max": max_length}, field=field)
    return text


def clean_choice(value, *, field: str, choices) -> str:
    allowed = [c[0] if isinstance(c, tuple) else c for c in choices]
    if value not in allowed:
        choices = ", ".join(str(a) for a in allowed if a)
        raise ValidationError("input.one_of", {"field": field, "choices": choices}, field=field)
    return value


def next_number(model, *, prefix: str, width: int, field: str = "number") -> str:
    """The next free number of the form prefix + `width` digits (K000123, T000045, 2025-000017)."""
    pattern = rf"^{re.escape(prefix)}[0-9]{{{width}}}$"
    last = (
        model.objects.filter(**{f"{field}__regex": pattern}).order_by(f"-{field}").values_list(field, flat=True).first()
    )
    following = int(last[len(prefix) :]) + 1 if last else 1
    if following >= 10**width:
        raise ValidationError("customers.series_full", {"name": field, "prefix": prefix}, field=field)
    return f"{prefix}{following:0{width}d}"


def save_numbered(obj, *, prefix: str, width: int, field: str = "number", attempts: int = 5):
    """Insert `obj` with the next free number; a number taken meanwhile is retried."""
    for attempt in range(attempts):
        setattr(obj, field, next_number(type(obj), prefix=prefix, width=width, field=field))
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return obj
        except IntegrityError:
            obj.pk = None
            if attempt == attempts - 1:
                raise
    return obj  # pragma: no cover


def customer_ref(customer_id) -> str:
    return f"customer:{customer_id}" if customer_id else ""


# --- Customers ----------------------------------------------------------------------------

CUSTOMER_NUMBER_PREFIX = "K"
CUSTOMER_NUMBER_DIGITS = 6

_KVK = re.compile(r"^[0-9]{8}$")
_NL_VAT = re.compile(r"^NL[0-9]{9}B[0-9]{2}$")


def normalise_kvk(value: str) -> str:
    kvk = re.sub(r"[\s.]", "", value or "")
    if kvk and not _KVK.match(kvk):
        raise ValidationError("customers.kvk_form", field="kvk_number")
    return kvk


def normalise_vat(value: str) -> str:
    vat = re.sub(r"[\s.\-]", "", value or "").upper()
    if vat and not _NL_VAT.match(vat):
        raise ValidationError("customers.vat_form", field="vat_number")
    return vat


@transaction.atomic
def customer_create(
    *,
    actor,
    kind: str,
    name: str,
    kvk_number: str = "",
    vat_number: str = "",
    market: str | None = None,
    purpose: str = "U1",
) -> Customer:
    """A new customer with the next customer number (K + 6 digits).

    The market is B2B only with evidence (a KvK number or a Dutch VAT number); without it, or
    for a private person, the customer is a consumer. Asking for B2B without evidence is refused.
    """
    check_actor(actor=actor, scope="customers", customers_may=False)
    kind = clean_choice(kind, field="kind", choices=Customer.Kind.choices)
    name = clean_text(name, field="name", max_length=200, required=True)
    kvk = normalise_kvk(kvk_number)
    vat = normalise_vat(vat_number)
    if kind == Customer.Kind.PRIVATE and (kvk or vat):
        raise ValidationError("customers.private_without_kvk", field="kind")
    evidence = bool(kvk or vat)
    if market is None:
        market = Customer.Market.B2B if evidence else Customer.Market.B2C
    market = clean_choice(market, field="market", choices=Customer.Market.choices)
    if market == Customer.Market.B2B and not evidence:
        raise ValidationError("customers.business_needs_kvk", field="market")

    customer = Customer(
        kind=kind,
        market=market,
        name=name,
        kvk_number=kvk,
        vat_number=vat,
        status=Customer.Status.ACTIVE,
        created_at=clock.now(),
    )
    save_numbered(customer, prefix=CUSTOMER_NUMBER_PREFIX, width=CUSTOMER_NUMBER_DIGITS)
    fields = ["number", "kind", "market", "name"] + [f for f, v in (("kvk_number", kvk), ("vat_number", vat)) if v]
    audit_record(
        actor=actor,
        action="customer.create",
        purpose=purpose,
        object_type="customers.customer",
        object_ids=[customer.pk],
        subject_ref=customer_ref(customer.pk),
        data={"fields": fields, "kind": kind, "market": market},
    )
    return customer


# --- Contact persons ----------------------------------------------------------------------

CONTACT_FIELDS = ("role", "first_name", "last_name", "street", "postcode", "town", "country", "email", "phone")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _clean_contact(values: dict) -> dict:
    """Validate and normalise contact fields; `values` holds the full set after the change."""
    country = str(values.get("country") or "NL").strip().upper()
    if not _COUNTRY.match(country):
        raise ValidationError("customers.country_form", field="country")
    clean = {
        "role": clean_choice(values.get("role") or Contact.Role.PRIMARY, field="role", choices=Contact.Role.choices),
        "first_name": clean_text(values.get("first_name"), field="first_name", max_length=80, required=True),
        "last_name": clean_text(values.get("last_name"), field="last_name", max_length=120, required=True),
        "street": clean_text(values.get("street"), field="street", max_length=160),
        "town": clean_text(values.get("town"), field="town", max_length=80),
        "country": country,
        "email": normalise_email(values.get("email") or ""),
    }
    postcode = (values.get("postcode") or "").strip()
    clean["postcode"] = normalise_postcode(postcode, country) if postcode else ""
    phone = (values.get("phone") or "").strip()
    clean["phone"] = normalise_phone(phone, country) if phone else ""
    return clean


@transaction.atomic
def contact_create(
    *,
    actor,
    customer: Customer,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    street: str = "",
    postcode: str = "",
    town: str = "",
    country: str = "NL",
    role: str = Contact.Role.PRIMARY,
    purpose: str = "U1",
) -> Contact:
    """A contact person of `customer`; e-mail, phone (E.164) and postcode are normalised."""
    check_actor(actor=actor, scope="contacts", customer_id=customer.pk)
    clean = _clean_contact(
        {
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "street": street,
            "postcode": postcode,
            "town": town,
            "country": country,
            "email": email,
            "phone": phone,
        }
    )
    contact = Contact.objects.create(customer=customer, created_at=clock.now(), **clean)
    audit_record(
        actor=actor,
        action="contact.create",
        purpose=purpose,
        object_type="customers.contact",
        object_ids=[contact.pk],
        subject_ref=customer_ref(customer.pk),
        data={"fields": sorted(k for k, v in clean.items() if v)},
    )
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, data: dict, purpose: str = "U1") -> Contact:
    """Correct a contact person's details (G2). Only the fields in `data` change.

    Unknown fields are refused; a value that is not valid refuses the whole change. When nothing
    differs from what is stored, nothing is written and no event is recorded.
    """
    check_actor(actor=actor, scope="contacts", customer_id=contact.customer_id)
    unknown = sorted(set(data) - set(CONTACT_FIELDS))
    if unknown:
        raise ValidationError("customers.fields_fixed", {"fields": ", ".join(unknown)}, field=unknown[0])
    current = Contact.objects.select_for_update().get(pk=contact.pk)
    merged = {name: getattr(current, name) for name in CONTACT_FIELDS}
    merged.update(data)
    clean = _clean_contact(merged)
    changed = [name for name in CONTACT_FIELDS if clean[name] != getattr(current, name)]
    if not changed:
        return current
    # The old value is kept only as long as the map's retention rule for ContactHistory says
    # (a short term, to undo an account takeover); the retention sweep removes it after.
    ContactHistory.objects.bulk_create(
        ContactHistory(
            contact=current,
            field=name,
            old_value=str(getattr(current, name) or ""),
            changed_at=clock.now(),
            changed_by=actor if isinstance(actor, Account) else None,
        )
        for name in changed
    )
    for name in changed:
        setattr(current, name, clean[name])
    current.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="contact.update",
        purpose=purpose,
        object_type="customers.contact",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"fields": changed},
    )
    for name in changed:
        setattr(contact, name, clean[name])
    return current


# --- Notices by e-mail (art. 6:227a BW) ---------------------------------------------------


def _clean_day(value, *, field: str):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError("customers.date_form", {"field": field}, field=field) from None
    if not isinstance(value, dt.date):
        raise ValidationError("customers.date_form", {"field": field}, field=field)
    return value


@transaction.atomic
def notice_agreement_record(
    *, actor, customer: Customer, source: str, agreed_on, reference: str, purpose: str = "U1"
) -> NoticeAgreement:
    """Record that the customer agreed to get written notices — the fourteen-day letter among
    them — by e-mail: a term of their contract (`source` "contract", `reference` the terms and
    article) or an agreement given separately ("consent", `reference` how it was given). It
    replaces an earlier record of the customer's; a customer may record only their own consent."""
    check_actor(actor=actor, scope="customers", customer_id=customer.pk)
    source = clean_choice(source, field="source", choices=NoticeAgreement.Source.choices)
    if getattr(actor, "role", None) == "customer" and source != NoticeAgreement.Source.CONSENT:
        raise ValidationError("customers.agreement_own_only", field="source")
    agreed_on = _clean_day(agreed_on, field="agreed_on")
    if agreed_on > clock.today():
        raise ValidationError("customers.day_in_future", {"field": "agreed_on"}, field="agreed_on")
    reference = clean_text(reference, field="reference", max_length=120, required=True)
    agreement, _ = NoticeAgreement.objects.update_or_create(
        customer=customer,
        defaults={
            "source": source,
            "agreed_on": agreed_on,
            "reference": reference,
            "recorded_at": clock.now(),
            "recorded_by": actor if isinstance(actor, Account) else None,
            "withdrawn_on": None,
        },
    )
    audit_record(
        actor=actor,
        action="customer.notice_agreement.record",
        purpose=purpose,
        object_type="customers.noticeagreement",
        object_ids=[agreement.pk],
        subject_ref=customer_ref(customer.pk),
        data={"fields": ["source", "agreed_on", "reference"], "source": source},
    )
    return agreement


@transaction.atomic
def notice_agreement_withdraw(*, actor, customer: Customer, on=None, purpose: str = "U1") -> NoticeAgreement:
    """The customer no longer wants written notices by e-mail, from `on` (default today): the
    next fourteen-day letter goes by post."""
    check_actor(actor=actor, scope="customers", customer_id=customer.pk)
    current = NoticeAgreement.objects.select_for_update().filter(customer=customer).first()
    if current is None or current.withdrawn_on is not None:
        raise ValidationError("customers.no_agreement_to_withdraw", field="customer")
    on = clock.today() if on is None else _clean_day(on, field="withdrawn_on")
    if on < current.agreed_on:
        raise ValidationError("customers.before_agreement", {"field": "withdrawn_on"}, field="withdrawn_on")
    current.withdrawn_on = on
    current.save(update_fields=["withdrawn_on"])
    audit_record(
        actor=actor,
        action="customer.notice_agreement.withdraw",
        purpose=purpose,
        object_type="customers.noticeagreement",
        object_ids=[current.pk],
        subject_ref=customer_ref(customer.pk),
        data={"fields": ["withdrawn_on"]},
    )
    return current
