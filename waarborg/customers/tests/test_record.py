"""Opening a customer's record: the sections a role may read, and the opening audited with them."""

import pytest

from waarborg.core.errors import PermissionDenied
from waarborg.customers.record import RECORD_SECTIONS, customer_record_open
from waarborg.testing.checks import last_event, unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2", "B4")
@pytest.mark.parametrize(
    "who, expected",
    [
        ("carol", ["contacts", "subscriptions", "tickets", "consents", "login_events"]),
        ("dave", ["contacts", "subscriptions", "invoices", "payments", "payment_methods"]),
        ("erin", ["contacts", "consents", "login_events"]),
    ],
)
def test_a_role_sees_its_sections_and_the_opening_is_recorded_with_them(personas, who, expected):
    viewer = getattr(personas, who)
    customer = personas.bob_customer
    record = customer_record_open(viewer=viewer, customer=customer, purpose="U5")
    assert record.shown == expected
    assert set(record.sections) == set(expected)
    assert [c.pk for c in record.sections["contacts"]] == [personas.bob_contact.pk]
    event = last_event()
    assert (event.action, event.actor, event.purpose) == ("customer.view", f"account:{viewer.pk}", "U5")
    assert event.object_ids == [str(customer.pk)]
    assert event.data == {"sections": expected}
    assert set(expected) <= set(RECORD_SECTIONS)


@pytest.mark.promise("B2")
def test_a_role_without_access_to_customers_opens_nothing_and_nothing_is_recorded(personas):
    with unchanged(), pytest.raises(PermissionDenied):
        customer_record_open(viewer=personas.frank, customer=personas.bob_customer, purpose="U5")
