"""An overdue invoice of Alice's, taken down the consumer ladder to its final notice: the start
of the browser tests of the dunning screens."""

import datetime as dt
from decimal import Decimal
from importlib import import_module

from django.apps import apps

from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.customers.models import NoticeAgreement
from waarborg.testing import factories as f

JOBS = ["dunning", "dunning-notices", "provisioning"]


def alice_with_a_final_notice(personas, days_overdue: int = 36):
    """Alice's hosting invoice, due `days_overdue` days ago, with every daily run since: reminder,
    fourteen-day letter and final notice taken."""
    # The default ladders come with a migration; a live-server test before this one may have
    # emptied the tables, so they are put back the way the migration does it.
    import_module("waarborg.dunning.migrations.0002_default_ladders").create(apps, None)
    customer = personas.alice_customer
    # She agreed to written notices by e-mail: her fourteen-day letter is e-mailed, not posted.
    if not NoticeAgreement.objects.filter(customer=customer).exists():
        f.NoticeAgreementFactory(customer=customer)
    hosting = f.SubscriptionFactory(
        customer=customer,
        product=f.ProductFactory(code="webhosting-basis", kind="webhosting", name="Webhosting Basis"),
        label="alicedevries.nl",
    )
    today = clock.today()
    due = today - dt.timedelta(days=days_overdue)
    invoice = f.InvoiceFactory(
        customer=customer,
        billing_contact=personas.alice_contact,
        issue_date=due - dt.timedelta(days=14),
        due_date=due,
        total_excl=Decimal("100.00"),
        vat_amount=Decimal("21.00"),
        total_incl=Decimal("121.00"),
    )
    f.InvoiceLineFactory(invoice=invoice, subscription=hosting, unit_price=Decimal("100.00"))
    day = due
    while day <= today:
        run_daily(day, only=JOBS)
        day += dt.timedelta(days=1)
    return invoice
