import datetime as dt
from decimal import Decimal

import pytest

from waarborg.catalogue.models import Subscription
from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.dunning.ladder_versions import ladder_update
from waarborg.dunning.models import Case, Decision, Ladder, Notice
from waarborg.testing import factories as f

D = dt.date
DUE = D(2026, 1, 5)  # a Monday
JOBS = ["dunning", "dunning-notices", "provisioning"]


@pytest.fixture(autouse=True)
def mailbox(smtp_server):
    """Every notice in these tests goes through Django's SMTP backend to a real local server."""
    return smtp_server


def run(day: dt.date) -> dict:
    return run_daily(day, only=JOBS)


def run_days(first: dt.date, last: dt.date) -> list[dict]:
    out = []
    day = first
    while day <= last:
        out.append(run(day))
        day += dt.timedelta(days=1)
    return out


class World:
    """A customer with two services, and helpers to invoice them."""

    def __init__(self, customer, contact):
        self.customer = customer
        self.contact = contact
        hosting = f.ProductFactory(code="webhosting-basis", kind="webhosting", name="Webhosting Basis")
        mail = f.ProductFactory(code="mail-basis", kind="email_hosting", name="E-mail Basis")
        self.hosting = f.SubscriptionFactory(
            customer=customer, product=hosting, label="site.example", start_date=D(2025, 1, 1)
        )
        self.mail = f.SubscriptionFactory(
            customer=customer, product=mail, label="mail.example", start_date=D(2025, 1, 1)
        )

    def invoice(self, *, due=DUE, amount="121.00", subscription=None, number=None, currency="EUR"):
        total = Decimal(amount)
        kwargs = {"number": number} if number else {}
        invoice = f.InvoiceFactory(
            customer=self.customer,
            billing_contact=self.contact,
            issue_date=due - dt.timedelta(days=14),
            due_date=due,
            total_excl=(total / Decimal("1.21")).quantize(Decimal("0.01")),
            vat_amount=total - (total / Decimal("1.21")).quantize(Decimal("0.01")),
            total_incl=total,
            currency=currency,
            **kwargs,
        )
        f.InvoiceLineFactory(invoice=invoice, subscription=subscription or self.hosting, unit_price=invoice.total_excl)
        return invoice

    def case(self) -> Case | None:
        return Case.objects.filter(customer=self.customer).order_by("-pk").first()

    def decisions(self) -> list[str]:
        return list(
            Decision.objects.filter(customer=self.customer).order_by("decided_at", "pk").values_list("kind", flat=True)
        )

    def notices(self, status=Notice.Status.SENT) -> list[str]:
        return list(
            Notice.objects.filter(customer=self.customer, status=status).order_by("pk").values_list("kind", flat=True)
        )

    def refresh(self):
        for sub in (self.hosting, self.mail):
            sub.refresh_from_db()
        return self

    def status(self) -> tuple[str, str]:
        self.refresh()
        return (self.hosting.status, self.mail.status)


AGREED_ON = D(2024, 1, 1)


def agree_to_email_notices(customer, *, on=AGREED_ON):
    """The customer agreed, in their contract, to written notices by e-mail: the fourteen-day
    letter goes by e-mail (without this it goes by post, see test_post.py)."""
    return f.NoticeAgreementFactory(customer=customer, agreed_on=on)


@pytest.fixture
def consumer(personas) -> World:
    """Alice: a private person, so a consumer (WIK), who agreed to written notices by e-mail."""
    agree_to_email_notices(personas.alice_customer)
    return World(personas.alice_customer, personas.alice_contact)


@pytest.fixture
def paper_consumer(personas) -> World:
    """Alice again, but without an agreement to written notices by e-mail: her fourteen-day letter goes by post."""
    return World(personas.alice_customer, personas.alice_contact)


@pytest.fixture
def business(personas) -> World:
    """Bakkerij Jansen B.V.: a business customer."""
    return World(personas.bob_customer, personas.bob_contact)


@pytest.fixture
def today():
    """Move the clock: `with today(day): ...`."""
    return clock.as_of


ACTIVE, BLOCKED, CANCELLED = (Subscription.Status.ACTIVE, Subscription.Status.BLOCKED, Subscription.Status.CANCELLED)


@pytest.fixture
def finance_ladder_update(personas):
    """Write a new version of a default ladder as Dave (finance): `update("consumer", steps=..., settings=...)`."""

    def update(key: str, *, steps=None, settings=None, note="test"):
        ladder = Ladder.objects.get(key=key)
        current = ladder.current()
        return ladder_update(
            actor=personas.dave,
            ladder=ladder,
            steps=steps if steps is not None else current.steps,
            settings={**current.settings, **(settings or {})},
            note=note,
        )

    return update
