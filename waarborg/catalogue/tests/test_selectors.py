import pytest

from waarborg.catalogue.selectors import product_list, subscription_get_for, subscription_list_for
from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2")
def test_it_shows_subscriptions_to_their_customer_support_and_finance(personas):
    own = f.SubscriptionFactory(customer=personas.alice_customer)
    other = f.SubscriptionFactory(customer=personas.bob_customer)
    assert list(subscription_list_for(viewer=personas.alice)) == [own]
    with unchanged(), pytest.raises(NotFound):
        subscription_get_for(viewer=personas.alice, pk=other.pk)
    with unchanged(), pytest.raises(NotFound):
        subscription_list_for(viewer=personas.alice, customer=personas.bob_customer)
    for staff in (personas.carol, personas.dave):
        assert set(subscription_list_for(viewer=staff)) == {own, other}
    assert list(subscription_list_for(viewer=personas.carol, customer=personas.bob_customer)) == [other]
    for staff in (personas.erin, personas.frank):
        with unchanged(), pytest.raises(PermissionDenied):
            subscription_list_for(viewer=staff)


@pytest.mark.promise("S1")
def test_it_lists_the_active_catalogue(db):
    active = f.ProductFactory()
    f.ProductFactory(active=False)
    assert list(product_list()) == [active]
    assert len(product_list(active_only=False)) == 2
