import pytest

from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.correspondence.selectors import (
    complaint_get_for,
    complaint_list_for,
    message_list_for,
    ticket_get_for,
    ticket_list_for,
)
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2", "D11")
def test_it_shows_tickets_to_their_customer_and_support_only(personas):
    own = f.TicketFactory(customer=personas.alice_customer, contact=personas.alice_contact)
    other = f.TicketFactory(customer=personas.bob_customer, contact=personas.bob_contact)
    message = f.MessageFactory(ticket=own)
    f.MessageFactory(ticket=other)
    assert list(ticket_list_for(viewer=personas.alice)) == [own]
    assert list(message_list_for(viewer=personas.alice, ticket=own)) == [message]
    with unchanged(), pytest.raises(NotFound):
        message_list_for(viewer=personas.alice, ticket=other)
    with unchanged(), pytest.raises(NotFound):
        ticket_get_for(viewer=personas.alice, pk=other.pk)
    assert set(ticket_list_for(viewer=personas.carol)) == {own, other}
    for viewer in (personas.dave, personas.erin, personas.frank):
        with unchanged(), pytest.raises(PermissionDenied):
            ticket_list_for(viewer=viewer)


@pytest.mark.promise("B2", "U11")
def test_it_shows_complaints_to_support_and_the_privacy_officer(personas):
    complaint = f.ComplaintFactory(customer=personas.alice_customer, contact=personas.alice_contact)
    assert list(complaint_list_for(viewer=personas.carol)) == [complaint]
    assert complaint_get_for(viewer=personas.erin, pk=complaint.pk) == complaint
    for viewer in (personas.alice, personas.dave, personas.frank):
        with unchanged(), pytest.raises(PermissionDenied):
            complaint_list_for(viewer=viewer)
