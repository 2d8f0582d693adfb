"""Services and invoices in the portal: states by the clock, only one's own (B2)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from waarborg.billing.models import Invoice
from waarborg.catalogue.models import Subscription
from waarborg.core import clock
from waarborg.portal.presenters import invoice_state
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

TODAY = dt.date(2026, 3, 16)


@pytest.fixture
def today():
    with clock.as_of(TODAY):
        yield TODAY


def _invoice(customer, number, *, due, paid="0.00", status=Invoice.Status.OPEN):
    return f.InvoiceFactory(
        customer=customer,
        billing_contact=None,
        number=number,
        issue_date=due - dt.timedelta(days=14),
        due_date=due,
        amount_paid=Decimal(paid),
        status=status,
    )


def test_it_names_the_state_of_an_invoice_by_its_due_date(db, today, personas):
    customer = personas.alice_customer
    assert invoice_state(_invoice(customer, "F1", due=today)).key == "open"  # due today is not late
    assert invoice_state(_invoice(customer, "F2", due=today, paid="21.00")).key == "partly_paid"
    late = invoice_state(_invoice(customer, "F3", due=today - dt.timedelta(days=3), paid="21.00"))
    assert (late.key, late.partly_paid, late.days_overdue) == ("overdue", True, 3)
    assert invoice_state(_invoice(customer, "F4", due=today - dt.timedelta(days=1))).key == "overdue"
    assert invoice_state(_invoice(customer, "F5", due=today, paid="121.00", status="paid")).key == "paid"
    assert invoice_state(_invoice(customer, "F6", due=today, status="cancelled")).key == "cancelled"


def test_it_lists_the_invoices_with_their_state(as_alice, personas, today):
    customer = personas.alice_customer
    _invoice(customer, "F-OPEN", due=today + dt.timedelta(days=10))
    _invoice(customer, "F-PART", due=today + dt.timedelta(days=10), paid="50.00")
    _invoice(customer, "F-LATE", due=today - dt.timedelta(days=20))
    _invoice(customer, "F-PAID", due=today - dt.timedelta(days=20), paid="121.00", status="paid")
    body = as_alice.get("/portaal/facturen/").content.decode()
    for number, label in (
        ("F-OPEN", "Openstaand"),
        ("F-PART", "Deels betaald"),
        ("F-LATE", "Te laat"),
        ("F-PAID", "Betaald"),
    ):
        assert number in body and label in body
    assert "€ 71,00" in body  # what is still to pay on the partly paid one, Dutch notation
    assert '<th scope="col">Vervaldatum</th>' in body


def test_it_shows_an_own_invoice_with_lines_and_payments(as_alice, personas, today):
    invoice = _invoice(personas.alice_customer, "F-ALICE", due=today - dt.timedelta(days=2), paid="21.00")
    f.InvoiceLineFactory(invoice=invoice, description="Webhosting Basis, maart")
    f.PaymentFactory(invoice=invoice, amount=Decimal("21.00"), reference="BETALING 77")
    body = as_alice.get(f"/portaal/facturen/{invoice.pk}/").content.decode()
    assert "F-ALICE" in body and "Webhosting Basis, maart" in body and "BETALING 77" in body
    assert "Te laat, deels betaald" in body and "2 dagen na de vervaldatum" in body
    assert "€ 100,00" in body


@pytest.mark.promise("B2")
def test_it_answers_404_for_another_customers_invoice_and_changes_nothing(as_alice, personas, today):
    theirs = _invoice(personas.bob_customer, "F-BOB", due=today)
    before = database_snapshot()
    for path in (f"/portaal/facturen/{theirs.pk}/", "/portaal/facturen/999999/"):
        response = as_alice.get(path)
        assert response.status_code == 404
        assert "F-BOB" not in response.content.decode()
    assert "F-BOB" not in as_alice.get("/portaal/facturen/").content.decode()
    assert_nothing_changed(before)
    theirs.refresh_from_db()
    assert theirs.status == Invoice.Status.OPEN and theirs.amount_paid == Decimal("0.00")


def test_it_lists_the_services_with_their_state(as_alice, personas, today):
    customer = personas.alice_customer
    product = f.ProductFactory(code="hosting-s", kind="webhosting", name="Webhosting S")
    f.SubscriptionFactory(customer=customer, product=product, label="alice.example.nl")
    f.SubscriptionFactory(
        customer=customer,
        product=product,
        label="blocked.example.nl",
        status=Subscription.Status.BLOCKED,
        block_reason=Subscription.BlockReason.NON_PAYMENT,
    )
    f.SubscriptionFactory(customer=customer, product=product, label="old.example.nl", status="cancelled")
    f.SubscriptionFactory(customer=personas.bob_customer, product=product, label="bakkerij.example.nl")
    body = as_alice.get("/portaal/diensten/").content.decode()
    for label in ("alice.example.nl", "blocked.example.nl", "old.example.nl"):
        assert label in body
    assert "bakkerij.example.nl" not in body
    for state in ("Actief", "Geblokkeerd", "Opgezegd"):
        assert state in body
    assert "omdat een factuur niet is betaald" in body


def test_it_sums_up_services_and_invoices_on_the_landing(as_alice, personas, today):
    customer = personas.alice_customer
    f.SubscriptionFactory(customer=customer)
    _invoice(customer, "F-LATE", due=today - dt.timedelta(days=1))
    response = as_alice.get("/portaal/")
    body = response.content.decode()
    assert response.context["services_active"] == 1 and response.context["invoices_overdue"] == 1
    assert "€ 121,00" in body
    assert 'id="privacy-requests"' in body and "Privacyverzoeken" in body
    assert 'id="payment-reminders"' in body and "Betalingsherinneringen" in body


def test_an_open_invoice_says_how_to_pay_it_by_transfer_and_a_paid_one_does_not(as_alice, personas, today):
    invoice = _invoice(personas.alice_customer, "F-OPEN", due=today + dt.timedelta(days=5), paid="21.00")
    body = as_alice.get(f"/portaal/facturen/{invoice.pk}/").content.decode()
    block = body.split("data-how-to-pay", 1)[1].split("</dl>", 1)[0]
    assert "NL91 ABNA 0417 1643 00" in block and "Duinhost B.V." in block
    assert f"€ {invoice.total_incl - Decimal('21.00'):.2f}".replace(".", ",") in block  # what is still open
    digits = re.search(r'data-reference="(\d{16})"', block).group(1)
    total = sum(int(d) * pow(2, i + 1, 11) for i, d in enumerate(reversed(digits[1:])))
    check = 11 - total % 11
    assert int(digits[0]) == (1 if check == 10 else 0 if check == 11 else check)  # weighted modulus 11
    paid = _invoice(personas.alice_customer, "F-PAID", due=today, paid="100.00", status=Invoice.Status.PAID)
    assert "data-how-to-pay" not in as_alice.get(f"/portaal/facturen/{paid.pk}/").content.decode()
