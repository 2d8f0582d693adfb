import pytest

from waarborg.accounts.selectors import (
    account_get_for,
    account_list_for,
    login_event_get_for,
    login_event_list_for,
)
from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2")
def test_it_shows_accounts_to_the_administrator_only(personas):
    assert len(account_list_for(viewer=personas.frank)) == 6
    assert account_get_for(viewer=personas.frank, pk=personas.alice.pk) == personas.alice
    for viewer in (personas.alice, personas.carol, personas.dave, personas.erin):
        with unchanged(), pytest.raises(PermissionDenied):
            account_list_for(viewer=viewer)


@pytest.mark.promise("B2", "D6")
def test_it_shows_a_customer_only_their_own_sign_ins(alice, bob, carol, erin, dave):
    own = f.LoginEventFactory(account=alice)
    colleague = f.AccountFactory(contact=f.ContactFactory(customer=alice.contact.customer))
    f.LoginEventFactory(account=colleague)
    other = f.LoginEventFactory(account=bob)
    assert list(login_event_list_for(viewer=alice)) == [own]
    assert login_event_get_for(viewer=alice, pk=own.pk) == own
    with unchanged(), pytest.raises(NotFound):
        login_event_get_for(viewer=alice, pk=other.pk)
    with unchanged(), pytest.raises(NotFound):
        login_event_list_for(viewer=alice, account=bob)
    assert len(login_event_list_for(viewer=carol)) == 3
    assert list(login_event_list_for(viewer=erin, account=bob)) == [other]
    with unchanged(), pytest.raises(PermissionDenied):
        login_event_list_for(viewer=dave)
