"""Finance's invoice page (A2, A5): the payment reference and the account to pay to; a payment
received by transfer is registered there, which closes the dunning case and lifts the non-payment
blocks at once; bad input is refused at its field with nothing changed."""

import re

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.auth_web.testing import sign_in
from waarborg.billing.models import Invoice, Payment
from waarborg.core import clock
from waarborg.dunning.tests.conftest import ACTIVE, BLOCKED, DUE, D, World, agree_to_email_notices, run_days
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db
BLOCK_DAY = D(2026, 2, 16)  # the consumer ladder blocks on day 42
PAY_DAY = D(2026, 2, 18)


def _oracle_valid(reference: str) -> bool:
    total = sum(int(d) * pow(2, i + 1, 11) for i, d in enumerate(reversed(reference[1:])))
    c = 11 - total % 11
    return len(reference) == 16 and int(reference[0]) == (1 if c == 10 else 0 if c == 11 else c)


@pytest.fixture
def world(personas, smtp_server):
    agree_to_email_notices(personas.alice_customer)
    return World(personas.alice_customer, personas.alice_contact)


@pytest.fixture
def finance(personas):
    client = Client()
    sign_in(client, personas.dave)
    return client


# The invoice page records every opening, the one that shows a refused payment too.
PAGE_READ = {"audit.AuditEvent": "the page shown again with the refusal is a read of the invoice, recorded"}


def _url(invoice) -> str:
    return f"/backoffice/facturen/{invoice.pk}/"


@pytest.mark.promise("A2", "A5")
def test_finance_registers_a_transfer_and_the_case_closes_and_blocks_lift(world, finance, personas):
    payment_actor = personas.dave
    invoice = world.invoice()
    run_days(DUE, BLOCK_DAY)
    assert world.status() == (BLOCKED, ACTIVE)
    with clock.as_of(PAY_DAY):
        page = finance.get(_url(invoice))
        html = page.content.decode()
        reference = re.search(r'data-reference="(\d{16})"', html).group(1)
        assert _oracle_valid(reference)
        assert "NL91 ABNA 0417 1643 00" in html and "Betalingskenmerk" in html
        # what is open plus the collection costs owed since the fourteen-day term passed: the WIK
        # minimum of € 40 on € 121 (15% would be € 18.15)
        assert re.search(r"data-due>€ 161,00<", html)
        answer = finance.post(
            _url(invoice),
            {"amount": "121.00", "currency": "EUR", "received_on": "2026-02-18", "reference": reference},
            follow=True,
        )
    assert answer.status_code == 200 and "De betaling is geregistreerd" in answer.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    case = world.case()
    assert (case.status, case.close_reason) == ("closed", "paid")
    assert world.status() == (ACTIVE, ACTIVE)
    payment = Payment.objects.get(invoice=invoice)
    assert payment.reference == reference
    event = AuditEvent.objects.filter(action="payment.record").order_by("-seq").first()
    assert event.actor == f"account:{payment_actor.pk}" and event.object_ids == [str(payment.pk)]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"amount": "500.00", "currency": "EUR", "received_on": "2026-02-18"}, "amount"),
        ({"amount": "121.00", "currency": "USD", "received_on": "2026-02-18"}, "currency"),
        ({"amount": "121.00", "currency": "EUR", "received_on": "2026-03-18"}, "received_on"),
        ({"amount": "-5", "currency": "EUR", "received_on": "2026-02-18"}, "amount"),
    ],
)
def test_bad_payments_are_refused_at_their_field_and_nothing_changes(world, finance, data, field):
    invoice = world.invoice()
    before = database_snapshot()
    with clock.as_of(PAY_DAY):
        answer = finance.post(_url(invoice), data)
    assert answer.status_code == 400
    assert field in answer.context["form"].errors
    assert_nothing_changed(before, except_for=PAGE_READ)


def test_a_cancelled_invoice_takes_no_payment(world, finance, personas):
    invoice = world.invoice()
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.CANCELLED)
    before = database_snapshot()
    with clock.as_of(PAY_DAY):
        page = finance.get(_url(invoice))
        assert 'data-form="payment"' not in page.content.decode()
        answer = finance.post(_url(invoice), {"amount": "1.00", "currency": "EUR", "received_on": "2026-02-18"})
    assert answer.status_code == 400 and answer.context["form"].non_field_errors()
    assert_nothing_changed(before, except_for=PAGE_READ)


@pytest.mark.promise("B2")
def test_the_bank_lines_reference_finds_the_invoice_and_support_sees_no_invoice(world, finance, personas):
    invoice = world.invoice()
    html = finance.get(_url(invoice)).content.decode()
    reference = re.search(r'data-reference="(\d{16})"', html).group(1)
    spaced = " ".join(reference[i : i + 4] for i in range(0, 16, 4))
    found = finance.get("/backoffice/facturen/zoeken/", {"kenmerk": spaced})
    assert found.status_code == 302 and found["Location"] == _url(invoice)
    wrong = finance.get(
        "/backoffice/facturen/zoeken/", {"kenmerk": reference[:-1] + str((int(reference[-1]) + 1) % 10)}
    )
    assert wrong["Location"] == "/backoffice/lijst/invoices/"
    support = Client()
    sign_in(support, personas.carol)
    before = database_snapshot()
    assert support.get(_url(invoice)).status_code == 403
    assert (
        support.post(_url(invoice), {"amount": "121.00", "currency": "EUR", "received_on": "2026-02-18"}).status_code
        == 403
    )
    assert_nothing_changed(before)
