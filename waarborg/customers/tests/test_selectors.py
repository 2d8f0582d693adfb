import pytest

from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.customers.selectors import (
    contact_get_for,
    contact_list_for,
    customer_get_for,
    customer_list_for,
    document_list_for,
)
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2")
def test_it_shows_a_customer_only_their_own_customer(alice, personas):
    assert list(customer_list_for(viewer=alice)) == [personas.alice_customer]
    assert customer_get_for(viewer=alice, pk=personas.alice_customer.pk) == personas.alice_customer
    with unchanged(), pytest.raises(NotFound):
        customer_get_for(viewer=alice, pk=personas.bob_customer.pk)
    with unchanged(), pytest.raises(NotFound):
        customer_get_for(viewer=alice, pk=999999)


@pytest.mark.promise("B2")
def test_it_gives_the_same_answer_for_another_customers_and_a_missing_object(alice, bob):
    with unchanged(), pytest.raises(NotFound) as other:
        contact_get_for(viewer=alice, pk=bob.contact.pk)
    with unchanged(), pytest.raises(NotFound) as missing:
        contact_get_for(viewer=alice, pk=bob.contact.pk + 1000)
    assert str(other.value).replace(str(bob.contact.pk), "N") == str(missing.value).replace(
        str(bob.contact.pk + 1000), "N"
    )


@pytest.mark.promise("B2")
def test_it_lists_contacts_of_the_viewers_own_customer(alice, bob, personas):
    extra = f.ContactFactory(customer=personas.alice_customer, role="technical")
    assert set(contact_list_for(viewer=alice)) == {alice.contact, extra}
    with unchanged(), pytest.raises(NotFound):
        contact_list_for(viewer=alice, customer=personas.bob_customer)


@pytest.mark.promise("B2")
def test_it_lets_staff_search_customers_by_number_or_name(carol, personas):
    bob_customer = personas.bob_customer
    assert list(customer_list_for(viewer=carol, query=bob_customer.number.lower())) == [bob_customer]
    assert list(customer_list_for(viewer=carol, query="bakkerij")) == [bob_customer]
    assert len(customer_list_for(viewer=carol)) == 2


@pytest.mark.promise("B2")
def test_it_refuses_the_administrator_customer_data(frank, personas):
    with unchanged(), pytest.raises(PermissionDenied):
        customer_list_for(viewer=frank)
    with unchanged(), pytest.raises(PermissionDenied):
        contact_get_for(viewer=frank, pk=personas.alice_contact.pk)


@pytest.mark.promise("B2")
def test_it_shows_assignment_documents_to_support_only(carol, dave, alice, personas):
    document = f.DocumentFactory(customer=personas.bob_customer)
    assert list(document_list_for(viewer=carol)) == [document]
    for viewer in (dave, alice):
        with unchanged(), pytest.raises(PermissionDenied):
            document_list_for(viewer=viewer)


@pytest.mark.promise("B2")
def test_it_shows_nothing_to_a_customer_account_without_a_contact(db):
    orphan = f.AccountFactory(contact=None)
    f.CustomerFactory()
    assert list(customer_list_for(viewer=orphan)) == []


@pytest.mark.promise("B2")
def test_it_shows_nothing_to_an_inactive_account(carol):
    carol.is_active = False
    with unchanged(), pytest.raises(PermissionDenied):
        customer_list_for(viewer=carol)
