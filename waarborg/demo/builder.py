"""Building the demo world: `load_demo()` fills an empty database with the world of `data.py`.

A small, realistic and reproducible world: the customers with their contact persons and
services, SEPA mandates with encrypted IBANs, staff accounts with a published authenticator key,
two customer portal accounts, a year of monthly invoices (`invoices.py`) and what else happened
in it (`activity.py`). The rows are written with the ORM in one transaction; every random
choice comes from one seeded generator, so the same seed and the same date give the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.billing.models import PaymentMethod
from waarborg.catalogue.models import Product, Subscription
from waarborg.core import clock, roles
from waarborg.core.actors import SYSTEM
from waarborg.core.crypto import keyed_hash
from waarborg.core.errors import ConfigError, ValidationError
from waarborg.core.identifiers import normalise_email, normalise_iban, normalise_phone, normalise_postcode
from waarborg.customers.models import Contact, Customer
from waarborg.demo import vocab
from waarborg.demo.activity import (
    make_applications,
    make_complaints,
    make_consents,
    make_documents,
    make_logins,
    make_notice_agreements,
    make_recipients,
    make_tickets,
)
from waarborg.demo.data import CATALOGUE, CUSTOMERS, DEMO_LOGINS, DEMO_PASSWORD, demo_loaded, demo_totp_key
from waarborg.demo.invoices import make_invoices, month_last_day

DEMO_SEED = 20250101


class DemoAlreadyLoaded(ValidationError):
    """The demo accounts are there already: the world is loaded once."""


def refuse_production(command: str) -> None:
    """Raise ConfigError when this is a production installation: `command` (e.g. `waarborg demo`)
    is for development only."""
    if settings.PRODUCTION:
        raise ConfigError("demo.not_in_production", {"command": command}, field="WAARBORG_ENV")


def load_demo(*, seed: int = DEMO_SEED) -> dict[str, int]:
    """Create the demo world in one transaction; returns the number of rows per kind."""
    refuse_production("waarborg demo")
    if demo_loaded():
        raise DemoAlreadyLoaded("demo.already_loaded")
    with transaction.atomic():
        counts = DemoBuilder(random.Random(seed), clock.today()).run()
        audit_record(actor=SYSTEM, action="demo.load", object_type="demo", data=counts)
    return counts


def ensure_catalogue() -> dict[str, object]:
    """The catalogue's products by kind, created when missing."""
    products = {}
    for code, kind, name, price in CATALOGUE:
        product, _ = Product.objects.get_or_create(
            code=code, defaults={"kind": kind, "name": name, "monthly_price": Decimal(price)}
        )
        products[kind] = product
    return products


def set_iban(method, iban: str) -> None:
    """Store an IBAN the way the model wants it: encrypted, last four digits, keyed hash."""
    normal = normalise_iban(iban)
    if not vocab.iban_valid(normal):
        raise ValidationError("demo.iban_invalid", field="iban")
    method.iban = normal
    method.iban_last4 = normal[-4:]
    method.iban_hash = keyed_hash(normal, purpose="iban")


class DemoBuilder:
    """Builds the demo world with the ORM; every random choice comes from `rng`. The parts of the
    world built elsewhere (invoices, activity) read and fill the same attributes."""

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng = rng
        self.today = today
        self.counts: dict[str, int] = {}
        self.customers: dict[str, object] = {}
        self.contacts: dict[str, list] = {}  # customer name -> contacts, primary first
        self.specs: dict[str, dict] = {}
        self.subscriptions: dict[str, list] = {}
        self.methods: dict[str, object] = {}
        self.staff: dict[str, object] = {}
        self.portal: dict[str, object] = {}

    def at(self, days_ago: int, hour: int | None = None, minute: int | None = None) -> dt.datetime:
        """A moment `days_ago` days before today, at an office-like hour, in Amsterdam."""
        day = self.today - dt.timedelta(days=days_ago)
        hour = self.rng.randint(8, 21) if hour is None else hour
        minute = self.rng.randint(0, 59) if minute is None else minute
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.AMSTERDAM)

    def on(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.AMSTERDAM)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def address(self, town_name: str) -> dict:
        town = vocab.TOWN_BY_NAME[town_name]
        number = self.rng.randint(1, 180)
        suffix = self.rng.choice(["", "", "", "", "a", "-2", " bis"])
        return {
            "street": f"{self.rng.choice(vocab.STREETS)} {number}{suffix}",
            "postcode": normalise_postcode(vocab.postcode(self.rng, town)),
            "town": town_name,
        }

    def run(self) -> dict[str, int]:
        """Build the whole world, in a fixed order; returns the number of rows per kind."""
        self.products = ensure_catalogue()
        self.count("products", len(self.products))
        self.make_staff()
        for number, spec in enumerate(CUSTOMERS, start=100001):
            self.make_customer(number, spec)
        self.make_portal_accounts()
        make_invoices(self)
        make_tickets(self)
        make_documents(self)
        make_consents(self)
        make_notice_agreements(self)
        make_logins(self)
        make_complaints(self)
        make_applications(self)
        make_recipients(self)
        return dict(sorted(self.counts.items()))

    def make_staff(self) -> None:
        for login in DEMO_LOGINS:
            if login["role"] == roles.CUSTOMER:
                continue
            extra = {"role": login["role"], "display_name": login["name"]}
            if login["role"] == roles.ADMIN:
                account = Account.objects.create_superuser(login["email"], DEMO_PASSWORD, **extra)
            else:
                account = Account.objects.create_user(login["email"], DEMO_PASSWORD, **extra)
            # A confirmed authenticator with a published key, so that the demo's staff can sign
            # in at once (the start page and `waarborg demo` print the key). Demo only.
            TOTPDevice.objects.create(user=account, name="Demo", key=demo_totp_key(login["email"]), confirmed=True)
            self.staff[login["role"]] = account
            self.count("accounts")

    def make_customer(self, number: int, spec: dict) -> None:
        rng = self.rng
        kind = {"org": Customer.Kind.ORGANISATION, "sole": Customer.Kind.SOLE_TRADER, "private": Customer.Kind.PRIVATE}[
            spec["kind"]
        ]
        since = self.today - dt.timedelta(days=spec.get("since_days") or rng.randint(420, 2900))
        kvk = vat = ""
        if spec["kind"] != "private" and spec.get("kvk", True):
            kvk = vocab.kvk_number(rng.randint(0, 89_999_999))
            if spec.get("vat", True):
                vat = vocab.vat_number(rng.randint(10_000_000, 99_999_999))
        status = spec.get("status", Customer.Status.ACTIVE)
        ended_at = self.at(rng.randint(60, 90), 17, 0) if status == Customer.Status.ENDED else None
        customer = Customer.objects.create(
            number=f"K{number:06d}",
            kind=kind,
            market=Customer.Market.B2B if (kvk or vat) else Customer.Market.B2C,
            name=spec["name"],
            kvk_number=kvk,
            vat_number=vat,
            status=status,
            created_at=self.on(since, rng.randint(9, 17), rng.randint(0, 59)),
            ended_at=ended_at,
        )
        self.count("customers")
        self.customers[spec["name"]] = customer
        self.specs[spec["name"]] = spec

        town = vocab.TOWN_BY_NAME[spec["town"]]
        if spec["kind"] == "private":
            first, last = spec["name"].split(" ", 1)
            people = [(first, last, "primary", None)]
        else:
            people = spec["contacts"]
        office = self.address(spec["town"])
        contacts = []
        for first, last, role, mailbox in people:
            # Private persons live at their own address; a company's contacts at the office.
            where = self.address(spec["town"]) if spec["kind"] == "private" else office
            email = spec["email"] if mailbox is None else f"{mailbox}@{spec['domain']}"
            phone = (
                vocab.mobile(rng) if (spec["kind"] == "private" or rng.random() < 0.4) else vocab.landline(rng, town)
            )
            contact = Contact.objects.create(
                customer=customer,
                role=role,
                first_name=first,
                last_name=last,
                country="NL",
                email=normalise_email(email),
                phone=normalise_phone(phone),
                created_at=customer.created_at + dt.timedelta(days=len(contacts) * rng.randint(0, 200)),
                **where,
            )
            contacts.append(contact)
            self.count("contacts")
        self.contacts[spec["name"]] = contacts

        subscriptions = []
        end_date = ended_at.astimezone(clock.AMSTERDAM).date() if ended_at else None
        if status == Customer.Status.TERMINATING:
            end_date = month_last_day(self.today + dt.timedelta(days=31))
        for index, product_kind in enumerate(spec["products"]):
            start = (
                since
                if index == 0
                else min(since + dt.timedelta(days=rng.randint(0, 400)), self.today - dt.timedelta(days=20))
            )
            sub_status = Subscription.Status.ACTIVE
            block_reason = ""
            if status == Customer.Status.ENDED:
                sub_status = Subscription.Status.CANCELLED
            elif spec.get("blocked") and product_kind == "webhosting":
                sub_status = Subscription.Status.BLOCKED
                block_reason = Subscription.BlockReason.NON_PAYMENT
            subscriptions.append(
                Subscription.objects.create(
                    customer=customer,
                    product=self.products[product_kind],
                    label=self.label(product_kind, spec["domain"]),
                    start_date=start,
                    end_date=end_date,
                    status=sub_status,
                    block_reason=block_reason,
                )
            )
            self.count("subscriptions")
        self.subscriptions[spec["name"]] = subscriptions

        holder = spec["name"]
        method = PaymentMethod(customer=customer, kind=spec["pay"], holder_name=holder, created_at=customer.created_at)
        if spec["pay"] == "sepa_mandate":
            iban = vocab.iban_nl(rng.choice(vocab.BANK_CODES), vocab.account_number(rng.randint(10**8, 10**9 - 1)))
            set_iban(method, iban)
            method.mandate_reference = f"DH-{customer.number}-01"
            method.mandate_signed_at = customer.created_at
        method.save()
        self.methods[spec["name"]] = method
        self.count("payment_methods")

    def label(self, kind: str, domain: str) -> str:
        return {
            "domain": domain,
            "webhosting": domain,
            "website": domain,
            "email_hosting": domain,
            "email_security": domain,
            "ssl": f"www.{domain}",
            "vps": f"server1.{domain}",
            "backup": f"backup.{domain}",
            "marketing": domain,
            "development": f"webshop.{domain}",
            "applications": f"wordpress.{domain}",
        }[kind]

    def make_portal_accounts(self) -> None:
        for login in DEMO_LOGINS:
            if login["role"] != roles.CUSTOMER:
                continue
            contact = next(c for contacts in self.contacts.values() for c in contacts if c.email == login["email"])
            self.portal[login["email"]] = Account.objects.create_user(
                login["email"], DEMO_PASSWORD, role=roles.CUSTOMER, contact=contact
            )
            self.count("accounts")
