import pytest

from waarborg.billing.selectors import (
    invoice_get_for,
    invoice_list_for,
    payment_list_for,
    payment_method_get_for,
    payment_method_list_for,
)
from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing(personas):
    own = f.InvoiceFactory(customer=personas.alice_customer, billing_contact=personas.alice_contact)
    other = f.InvoiceFactory(customer=personas.bob_customer, billing_contact=personas.bob_contact)
    return {
        "own_invoice": own,
        "other_invoice": other,
        "own_payment": f.PaymentFactory(invoice=own),
        "other_payment": f.PaymentFactory(invoice=other),
        "own_method": f.PaymentMethodFactory(customer=personas.alice_customer),
        "other_method": f.PaymentMethodFactory(customer=personas.bob_customer),
    }


@pytest.mark.promise("B2")
def test_it_shows_a_customer_only_their_own_invoices_and_payments(alice, billing, personas):
    assert list(invoice_list_for(viewer=alice)) == [billing["own_invoice"]]
    assert list(payment_list_for(viewer=alice)) == [billing["own_payment"]]
    assert [m.id for m in payment_method_list_for(viewer=alice)] == [billing["own_method"].pk]
    with unchanged(), pytest.raises(NotFound):
        invoice_get_for(viewer=alice, pk=billing["other_invoice"].pk)
    with unchanged(), pytest.raises(NotFound):
        payment_method_get_for(viewer=alice, pk=billing["other_method"].pk)
    with unchanged(), pytest.raises(NotFound):
        invoice_list_for(viewer=alice, customer=personas.bob_customer)


@pytest.mark.promise("B2")
def test_it_shows_finance_every_invoice_and_nobody_else_on_staff(personas, billing):
    assert len(invoice_list_for(viewer=personas.dave)) == 2
    assert list(invoice_list_for(viewer=personas.dave, customer=personas.bob_customer)) == [billing["other_invoice"]]
    assert list(payment_list_for(viewer=personas.dave, invoice=billing["own_invoice"])) == [billing["own_payment"]]
    for viewer in (personas.carol, personas.erin, personas.frank):
        for selector in (invoice_list_for, payment_list_for, payment_method_list_for):
            with unchanged(), pytest.raises(PermissionDenied):
                selector(viewer=viewer)


@pytest.mark.promise("D7", "B2")
def test_it_never_hands_out_the_decrypted_iban(personas, billing):
    for viewer in (personas.alice, personas.dave):
        views = payment_method_list_for(viewer=viewer)
        assert views
        for view in views:
            method = (
                billing["own_method"] if view.customer_id == personas.alice_customer.pk else billing["other_method"]
            )
            assert method.iban not in repr(view)
            assert method.iban[4:] not in repr(view)
            assert view.iban_masked == f"•••• {method.iban[-4:]}"
            assert not hasattr(view, "iban")
    single = payment_method_get_for(viewer=personas.dave, pk=billing["other_method"].pk)
    assert billing["other_method"].iban not in repr(single)
