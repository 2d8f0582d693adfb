"""Restricted data is only stored: staff lists, searches and records leave it out (X2, art. 18)."""

import pytest

from waarborg.backoffice.selectors import customer_search_for
from waarborg.billing.selectors import invoice_list_for
from waarborg.core.errors import NotFound
from waarborg.customers.selectors import contact_list_for, customer_get_for
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.processing_limits import restriction_apply, restriction_lift
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(personas):
    return {
        "alice": f.InvoiceFactory(customer=personas.alice_customer),
        "bob": f.InvoiceFactory(customer=personas.bob_customer),
    }


def _restrict(subject, erin):
    request = privacy_request_create(actor=subject, type="restriction", channel="portal")
    restriction_apply(actor=erin, request=request)
    return request


@pytest.mark.promise("X2", "B2")
def test_it_hides_a_restricted_private_customer_from_staff_until_lifted(personas, erin, invoices):
    alice = personas.alice_customer
    carol, dave = personas.carol, personas.dave
    assert customer_search_for(viewer=carol, criteria={"email": "alice.devries@example.nl"}).customers
    request = _restrict(personas.alice, erin)

    assert not customer_search_for(viewer=carol, criteria={"email": "alice.devries@example.nl"}).customers
    with unchanged(), pytest.raises(NotFound):
        customer_get_for(viewer=carol, pk=alice.pk)
    assert invoices["alice"] not in invoice_list_for(viewer=dave)
    assert invoices["bob"] in invoice_list_for(viewer=dave)  # others are untouched

    # The person still sees their own data: restriction is not erasure.
    assert invoices["alice"] in invoice_list_for(viewer=personas.alice)

    restriction_lift(actor=erin, request=request, reason="Uw adres is gecontroleerd en klopt.")
    assert customer_search_for(viewer=carol, criteria={"email": "alice.devries@example.nl"}).customers
    assert customer_get_for(viewer=carol, pk=alice.pk) == alice
    assert invoices["alice"] in invoice_list_for(viewer=dave)


@pytest.mark.promise("X2", "B2")
def test_it_hides_only_the_person_when_a_company_contact_is_restricted(personas, erin, invoices):
    bob = personas.bob_customer
    _restrict(personas.bob, erin)
    # The organisation's own records stay: its invoices are not the person's data.
    assert customer_get_for(viewer=personas.carol, pk=bob.pk) == bob
    assert invoices["bob"] in invoice_list_for(viewer=personas.dave)
    assert personas.bob_contact not in contact_list_for(viewer=personas.carol, customer=bob)


@pytest.mark.promise("X2", "B2")
def test_it_shows_staff_no_record_of_a_restricted_person_and_records_no_view(client, personas, erin):
    from waarborg.audit.models import AuditEvent
    from waarborg.auth_web.testing import sign_in

    _restrict(personas.alice, erin)
    sign_in(client, personas.carol)
    before = database_snapshot()
    views = AuditEvent.objects.filter(action="customer.view").count()
    response = client.get(f"/backoffice/klanten/{personas.alice_customer.pk}/")
    assert response.status_code == 404
    assert "De Vries" not in response.content.decode()
    assert AuditEvent.objects.filter(action="customer.view").count() == views
    assert_nothing_changed(before)
