from types import SimpleNamespace

import pytest
from django.core.cache import cache

from waarborg.auth_web import testing
from waarborg.testing import factories as f


@pytest.fixture(autouse=True)
def fresh_cache():
    """The audit trail's verify status is cached; every test starts without it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(client):
    """office(account): the test client, signed in as `account` with a verified second factor."""

    def sign_in(account):
        testing.sign_in(client, account)
        return client

    return sign_in


@pytest.fixture
def record(personas):
    """Alice's customer with a row in every section of a record, and the values that are personal."""
    customer = personas.alice_customer
    contact = personas.alice_contact
    subscription = f.SubscriptionFactory(customer=customer, label="devries-fotografie.nl")
    invoice = f.InvoiceFactory(customer=customer, billing_contact=contact, number="F20250042")
    payment = f.PaymentFactory(invoice=invoice, reference="BETALING F20250042")
    method = f.PaymentMethodFactory(customer=customer, holder_name="A. de Vries")
    ticket = f.TicketFactory(customer=customer, contact=contact, subject="Mailbox loopt vol")
    message = f.MessageFactory(ticket=ticket, body="Mijn mailbox is vol, kunt u helpen?")
    consent = f.ConsentRecordFactory(account=personas.alice)
    login = f.LoginEventFactory(account=personas.alice, ip_address="198.51.100.77")
    # bob's customer has rows too, which never show on alice's record
    f.SubscriptionFactory(customer=personas.bob_customer, label="bakkerijjansen.example")
    f.TicketFactory(customer=personas.bob_customer, contact=personas.bob_contact, subject="Factuur klopt niet")
    return SimpleNamespace(
        customer=customer,
        contact=contact,
        subscription=subscription,
        invoice=invoice,
        payment=payment,
        method=method,
        ticket=ticket,
        message=message,
        consent=consent,
        login=login,
        personal_values=[
            customer.name,
            customer.number,
            contact.email,
            contact.phone,
            contact.street,
            contact.postcode,
            subscription.label,
            method.iban,
            method.holder_name,
            login.ip_address,
        ],
    )
