import pytest

from waarborg.consents.selectors import consent_get_for, consent_list_for
from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2", "C1")
def test_it_shows_a_customer_only_their_own_consents(personas):
    own = f.ConsentRecordFactory(account=personas.alice)
    colleague = f.AccountFactory(contact=f.ContactFactory(customer=personas.alice_customer))
    f.ConsentRecordFactory(account=colleague)
    other = f.ConsentRecordFactory(account=personas.bob)
    assert list(consent_list_for(viewer=personas.alice)) == [own]
    with unchanged(), pytest.raises(NotFound):
        consent_get_for(viewer=personas.alice, pk=other.pk)
    assert len(consent_list_for(viewer=personas.erin)) == 3
    assert list(consent_list_for(viewer=personas.carol, account=personas.bob)) == [other]
    for viewer in (personas.dave, personas.frank):
        with unchanged(), pytest.raises(PermissionDenied):
            consent_list_for(viewer=viewer)
