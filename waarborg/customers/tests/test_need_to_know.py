"""Need-to-know (B2): what each role can and cannot see, across every selector."""

import pytest

from waarborg.accounts.selectors import account_list_for, login_event_list_for
from waarborg.billing.selectors import invoice_list_for, payment_list_for, payment_method_list_for
from waarborg.careers.selectors import application_list_for
from waarborg.catalogue.selectors import subscription_list_for
from waarborg.consents.selectors import consent_list_for
from waarborg.core import roles
from waarborg.core.errors import PermissionDenied
from waarborg.correspondence.selectors import complaint_list_for, ticket_list_for
from waarborg.customers.selectors import contact_list_for, customer_list_for, document_list_for
from waarborg.register.selectors import recipient_list_for
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

# scope -> the list selector that reads it
SELECTORS = {
    "customers": customer_list_for,
    "contacts": contact_list_for,
    "subscriptions": subscription_list_for,
    "invoices": invoice_list_for,
    "payments": payment_list_for,
    "payment_methods": payment_method_list_for,
    "tickets": ticket_list_for,
    "documents": document_list_for,
    "consents": consent_list_for,
    "login_events": login_event_list_for,
    "complaints": complaint_list_for,
    "applications": application_list_for,
    "register": recipient_list_for,
    "accounts": account_list_for,
}


@pytest.fixture
def world(personas):
    """One row of every kind for alice's customer and for bob's, plus the shared ones."""
    for account in (personas.alice, personas.bob):
        customer = account.contact.customer
        invoice = f.InvoiceFactory(customer=customer, billing_contact=account.contact)
        f.SubscriptionFactory(customer=customer)
        f.PaymentFactory(invoice=invoice)
        f.PaymentMethodFactory(customer=customer)
        f.TicketFactory(customer=customer, contact=account.contact)
        f.DocumentFactory(customer=customer)
        f.ConsentRecordFactory(account=account)
        f.LoginEventFactory(account=account)
        f.ComplaintFactory(customer=customer, contact=account.contact)
    f.JobApplicationFactory()
    f.RecipientFactory()
    return personas


def _customer_ids(rows):
    ids = set()
    for row in rows:
        for path in ("customer_id", "account.contact.customer_id", "contact.customer_id"):
            obj = row
            for part in path.split("."):
                obj = getattr(obj, part, None)
            if obj is not None:
                ids.add(obj)
                break
        else:
            ids.add(row.pk if row.__class__.__name__ == "Customer" else None)
    return ids


def _visible(viewer):
    """scope -> rows for every scope the viewer may read; PermissionDenied for the others."""
    seen, denied = {}, set()
    for scope, selector in SELECTORS.items():
        try:
            seen[scope] = list(selector(viewer=viewer))
        except PermissionDenied:
            denied.add(scope)
    return seen, denied


@pytest.mark.promise("B2")
@pytest.mark.parametrize("role", list(roles.ROLES))
@pytest.mark.parametrize("scope", list(SELECTORS))
def test_it_grants_a_selector_exactly_to_the_roles_with_its_scope(world, role, scope):
    viewer = world.by_role()[role]
    if roles.can(viewer, scope):
        SELECTORS[scope](viewer=viewer)
    else:
        with unchanged(), pytest.raises(PermissionDenied):
            SELECTORS[scope](viewer=viewer)


@pytest.mark.promise("B2")
def test_it_shows_a_customer_only_their_own_rows(world):
    alice = world.alice
    seen, denied = _visible(alice)
    assert denied == {"documents", "complaints", "applications", "register", "accounts"}
    for scope, rows in seen.items():
        assert rows, scope
        assert _customer_ids(rows) == {world.alice_customer.pk}, scope
    assert [e.account_id for e in seen["login_events"]] == [alice.pk]
    assert [c.account_id for c in seen["consents"]] == [alice.pk]


@pytest.mark.promise("B2")
def test_it_shows_support_customers_services_and_correspondence_but_no_money(world):
    seen, denied = _visible(world.carol)
    assert denied == {"invoices", "payments", "payment_methods", "applications", "register", "accounts"}
    both = {world.alice_customer.pk, world.bob_customer.pk}
    for scope in (
        "customers",
        "contacts",
        "subscriptions",
        "tickets",
        "documents",
        "consents",
        "login_events",
        "complaints",
    ):
        assert _customer_ids(seen[scope]) == both, scope


@pytest.mark.promise("B2")
def test_it_shows_finance_customers_services_and_money_but_no_correspondence(world):
    seen, denied = _visible(world.dave)
    assert denied == {
        "tickets", "documents", "consents", "login_events", "complaints", "applications", "register", "accounts"
    }  # fmt: skip
    both = {world.alice_customer.pk, world.bob_customer.pk}
    for scope in ("customers", "contacts", "subscriptions", "invoices", "payments", "payment_methods"):
        assert _customer_ids(seen[scope]) == both, scope


@pytest.mark.promise("B2")
def test_it_shows_the_privacy_officer_what_rights_and_the_register_need_but_no_money_or_tickets(world):
    seen, denied = _visible(world.erin)
    assert denied == {"subscriptions", "invoices", "payments", "payment_methods", "tickets", "documents", "accounts"}
    assert len(seen["applications"]) == 1
    assert len(seen["register"]) == 1
    assert len(seen["complaints"]) == 2
    assert len(seen["customers"]) == 2


@pytest.mark.promise("B2")
def test_it_shows_the_administrator_accounts_and_the_register_but_no_customer_data(world):
    seen, denied = _visible(world.frank)
    assert set(seen) == {"register", "accounts"}
    assert len(seen["accounts"]) == 6
    assert denied == set(SELECTORS) - {"register", "accounts"}


@pytest.mark.promise("B2")
def test_it_shows_an_inactive_account_nothing(world):
    for viewer in world.by_role().values():
        viewer.is_active = False
        seen, _ = _visible(viewer)
        assert seen == {}
