import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from waarborg.billing.models import Invoice, InvoiceLine, Payment, PaymentMethod
from waarborg.billing.services import (
    iban_mod97,
    iban_validate,
    invoice_cancel,
    invoice_create,
    payment_method_add,
    payment_record,
)
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.core.crypto import keyed_hash
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.customers.services import contact_update
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"
LINES = [
    {"description": "Webhosting Basis, januari", "quantity": 2, "unit_price": "10.00"},
    {"description": "Domeinnaam .nl", "unit_price": "5.50"},
]


def _invoice(dave, customer, **kwargs):
    return invoice_create(actor=dave, customer=customer, lines=LINES, issue_date=dt.date(2025, 3, 1), **kwargs)


# --- invoice_create -------------------------------------------------------------------------


@pytest.mark.promise("U3", "B4")
def test_it_issues_an_invoice_with_21_percent_vat(dave, personas):
    invoice = _invoice(dave, personas.alice_customer)
    assert invoice.number == "2025-000001"
    assert (invoice.total_excl, invoice.vat_amount, invoice.total_incl) == (
        Decimal("25.50"),
        Decimal("5.36"),  # 21% of 25.50 = 5.355, rounded half up
        Decimal("30.86"),
    )
    assert invoice.due_date == dt.date(2025, 3, 15)
    assert invoice.status == Invoice.Status.OPEN
    assert InvoiceLine.objects.filter(invoice=invoice).count() == 2
    assert invoice.name_printed == "Alice de Vries"
    assert invoice.address_printed == "Lindenlaan 7, 3521 AB Utrecht"
    assert_clean_event(
        last_event(),
        action="invoice.create",
        values=["Alice", "de Vries", "Lindenlaan", "3521 AB", "30.86", "Webhosting"],
    )
    second = _invoice(dave, personas.alice_customer)
    assert second.number == "2025-000002"


@pytest.mark.promise("R3", "U3")
def test_it_keeps_the_printed_name_and_address_as_issued(dave, alice, personas):
    invoice = _invoice(dave, personas.alice_customer)
    contact_update(actor=alice, contact=alice.contact, data={"street": "Beukenlaan 2", "postcode": "3581 CD"})
    invoice.refresh_from_db()
    assert invoice.address_printed == "Lindenlaan 7, 3521 AB Utrecht"


@pytest.mark.promise("U3")
def test_it_addresses_an_organisation_to_its_billing_contact(dave, personas):
    billing = f.ContactFactory(
        customer=personas.bob_customer,
        role="billing",
        first_name="Fenna",
        last_name="Bos",
        street="Postbus 12",
        postcode="9700 AA",
        town="Groningen",
    )
    invoice = _invoice(dave, personas.bob_customer, payment_term_days=30)
    assert invoice.billing_contact == billing
    assert invoice.name_printed == "Bakkerij Jansen B.V., t.a.v. Fenna Bos"
    assert invoice.address_printed == "Postbus 12, 9700 AA Groningen"
    assert invoice.due_date == dt.date(2025, 3, 31)


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [{"description": "", "unit_price": "1"}],
        [{"description": "x", "unit_price": "abc"}],
        [{"description": "x", "unit_price": "1", "quantity": 0}],
        [{"description": "x", "unit_price": "1", "vat_rate": 19}],
        [{"description": "x", "unit_price": "-5"}],
    ],
)
def test_it_refuses_invalid_invoice_lines_and_stores_nothing(dave, personas, lines):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        invoice_create(actor=dave, customer=personas.bob_customer, lines=lines)
    assert_nothing_changed(before)


def test_it_refuses_an_invoice_without_a_billing_address(dave):
    customer = f.CustomerFactory()
    f.ContactFactory(customer=customer, street="", postcode="", town="")
    before = database_snapshot()
    with pytest.raises(ValidationError):
        invoice_create(actor=dave, customer=customer, lines=LINES)
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["alice", "carol", "erin", "frank"])
def test_it_lets_only_finance_issue_invoices(personas, who):
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        _invoice(getattr(personas, who), personas.alice_customer)
    assert_nothing_changed(before)


# --- payment_record -------------------------------------------------------------------------


@pytest.mark.promise("U4", "B4")
def test_it_records_partial_payments_until_the_invoice_is_paid(dave, personas):
    invoice = _invoice(dave, personas.bob_customer)
    payment_record(actor=dave, invoice=invoice, amount="10.86", reference="NL91ABNA0417164300 Jansen")
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status, invoice.amount_open) == (Decimal("10.86"), "open", Decimal("20.00"))
    assert_clean_event(last_event(), action="payment.record", values=["Jansen", "NL91ABNA", "10.86"])
    payment = payment_record(actor=SYSTEM, invoice=invoice.number, amount=Decimal("20.00"))
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("30.86"), "paid")
    assert payment.customer_id == personas.bob_customer.pk
    assert last_event().data["invoice_status"] == "paid"


@pytest.mark.promise("U4")
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": "30.87"}, "amount"),  # more than the amount open
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "tien"}, "amount"),
        ({"amount": "5", "currency": "USD"}, "currency"),
        ({"amount": "5", "currency": "euro"}, "currency"),
        ({"amount": "5", "invoice": "2099-999999"}, "invoice"),  # unknown invoice number
        ({"amount": "5", "invoice": 999999}, "invoice"),  # unknown invoice id
    ],
)
def test_it_refuses_a_wrong_payment_and_changes_nothing(dave, personas, kwargs, field):
    invoice = _invoice(dave, personas.bob_customer)
    before = database_snapshot()
    with pytest.raises(ValidationError) as exc:
        payment_record(actor=dave, **{"invoice": invoice, **kwargs})
    assert exc.value.field == field
    assert_nothing_changed(before)
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("0.00"), "open")


@pytest.mark.promise("U4")
def test_it_refuses_a_payment_after_the_invoice_is_paid(dave, personas):
    invoice = _invoice(dave, personas.bob_customer)
    payment_record(actor=dave, invoice=invoice, amount=invoice.total_incl)
    before = database_snapshot()
    with pytest.raises(ValidationError):
        payment_record(actor=dave, invoice=invoice, amount="0.01")
    assert_nothing_changed(before)


def test_it_refuses_a_payment_on_a_cancelled_invoice(dave, personas):
    invoice = _invoice(dave, personas.bob_customer)
    invoice_cancel(actor=dave, invoice=invoice)
    assert Invoice.objects.get(pk=invoice.pk).status == "cancelled"
    assert_clean_event(last_event(), action="invoice.cancel", values=["Bakkerij", "Bakkersweg"])
    before = database_snapshot()
    with pytest.raises(ValidationError):
        payment_record(actor=dave, invoice=invoice, amount="1")
    assert_nothing_changed(before)


def test_it_refuses_another_customers_payment_method(dave, personas):
    invoice = _invoice(dave, personas.bob_customer)
    method = f.PaymentMethodFactory(customer=personas.alice_customer)
    before = database_snapshot()
    with pytest.raises(ValidationError):
        payment_record(actor=dave, invoice=invoice, amount="1", payment_method=method)
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_lets_no_customer_record_a_payment(alice, dave, personas):
    invoice = _invoice(dave, personas.alice_customer)
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        payment_record(actor=alice, invoice=invoice, amount="1")
    with pytest.raises(PermissionDenied):
        payment_record(actor=alice, invoice="2099-000001", amount="1")  # same answer for unknown ones
    assert_nothing_changed(before)


# --- payment_method_add ---------------------------------------------------------------------


def _raw_iban(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM billing_paymentmethod WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.promise("D7", "B4")
def test_it_encrypts_the_iban_at_rest_and_shows_it_masked(alice, personas):
    method = payment_method_add(
        actor=alice,
        customer=personas.alice_customer,
        kind="sepa_mandate",
        iban="nl91 abna 0417 1643 00",
        holder_name="A. de Vries",
    )
    raw = _raw_iban(method.pk)
    assert raw and raw != IBAN and IBAN not in raw and "0417164300" not in raw
    stored = PaymentMethod.objects.get(pk=method.pk)
    assert stored.iban == IBAN  # decrypted only through the model
    assert stored.iban_last4 == "4300"
    assert stored.iban_masked == "•••• 4300"
    assert stored.iban_hash == keyed_hash(IBAN, purpose="iban")
    assert stored.mandate_reference.startswith(personas.alice_customer.number)
    assert stored.mandate_signed_at is not None
    assert_clean_event(last_event(), action="payment_method.add", values=[IBAN, "0417164300", "A. de Vries", raw])


@pytest.mark.promise("D7")
@pytest.mark.parametrize(
    "iban",
    [
        "NL92ABNA0417164300",  # check digits do not match
        "NL91ABNA041716430",  # one digit short
        "NL91ABNA04171643001",  # one digit too many
        "NL911BNA0417164300",  # not the Dutch form
        "DE89370400440532013001",  # German, wrong check
        "hello",
        "",
    ],
)
def test_it_refuses_an_invalid_iban_and_stores_nothing(alice, personas, iban):
    before = database_snapshot()
    with pytest.raises(ValidationError) as exc:
        payment_method_add(
            actor=alice, customer=personas.alice_customer, kind="sepa_mandate", iban=iban, holder_name="A"
        )
    assert exc.value.field == "iban"
    if iban:
        assert iban not in str(exc.value)
    assert_nothing_changed(before)


@pytest.mark.promise("D7")
def test_it_checks_ibans_with_iso_13616_mod_97():
    for valid in (IBAN, "DE89370400440532013000", "BE68539007547034", "GB82WEST12345698765432", f.iban_for(7)):
        assert iban_mod97(valid) == 1
        assert iban_validate(valid) == valid
    assert iban_mod97("NL92ABNA0417164300") != 1


@pytest.mark.promise("D7")
def test_it_needs_no_iban_for_ideal(alice, personas):
    method = payment_method_add(actor=alice, customer=personas.alice_customer, kind="ideal")
    assert (method.iban, method.iban_last4, method.iban_hash, method.mandate_reference) == ("", "", "", "")


@pytest.mark.promise("B2")
def test_it_answers_not_found_when_a_customer_adds_a_payment_method_for_another(alice, personas):
    before = database_snapshot()
    with pytest.raises(NotFound):
        payment_method_add(actor=alice, customer=personas.bob_customer, kind="transfer", iban=IBAN)
    assert_nothing_changed(before)


def test_it_records_the_payment_date_given(dave, personas):
    invoice = _invoice(dave, personas.bob_customer)
    when = clock.now() - dt.timedelta(days=2)
    payment = payment_record(actor=dave, invoice=invoice.pk, amount="1.00", received_at=when)
    assert Payment.objects.get(pk=payment.pk).received_at == when
