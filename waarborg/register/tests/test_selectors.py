import pytest

from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.register.selectors import recipient_get_for, recipient_list_for
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2", "T3")
def test_it_shows_the_register_to_privacy_and_administration(personas):
    datacenter = f.RecipientFactory(category="datacenter")
    bank = f.RecipientFactory(category="payment_provider", kind="third_party")
    assert set(recipient_list_for(viewer=personas.erin)) == {datacenter, bank}
    assert list(recipient_list_for(viewer=personas.frank, category="payment_provider")) == [bank]
    assert recipient_get_for(viewer=personas.frank, pk=datacenter.pk) == datacenter
    with unchanged(), pytest.raises(NotFound):
        recipient_get_for(viewer=personas.frank, pk=bank.pk + 100)
    for viewer in (personas.alice, personas.carol, personas.dave):
        with unchanged(), pytest.raises(PermissionDenied):
            recipient_list_for(viewer=viewer)
