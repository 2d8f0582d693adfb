"""My data stays cheap: its queries do not grow with the subject's rows, other customers' rows or
the number of links in the personal-data map (the subject finder queries per round, not per link)."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waarborg.core import datamap
from waarborg.customers.models import Contact
from waarborg.subjects.finder import subject_rows_of
from waarborg.testing import factories as f

# The page as it stood with a query per link of the map: 2-3 times this for a private customer.
MAX_QUERIES = 30


def _count(client) -> tuple[int, int, str]:
    """(queries, values shown, page) of the signed-in person's my-data page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portaal/gegevens/")
    assert response.status_code == 200
    shown = sum(len(category.rows) for category in response.context["categories"])
    return len(queries.captured_queries), shown, response.content.decode()


def _give(customer, *, contacts: int, services: int, invoices: int, tickets: int, tag: str) -> None:
    for i in range(contacts):
        f.ContactFactory(customer=customer, role=Contact.Role.TECHNICAL, email=f"{tag}-contact-{i}@example.nl")
    billing = customer.contacts.order_by("pk").first()
    for i in range(services):
        f.SubscriptionFactory(customer=customer, label=f"{tag}-site-{i}.example.nl")
    for i in range(invoices):
        invoice = f.InvoiceFactory(customer=customer, billing_contact=billing, number=f"F-{tag}-{i}")
        f.InvoiceLineFactory(invoice=invoice)
        f.PaymentFactory(invoice=invoice)
    for _ in range(tickets):
        f.MessageFactory(ticket=f.TicketFactory(customer=customer, contact=billing))


@pytest.mark.promise("G1")
def test_my_data_queries_are_bounded_and_do_not_grow_with_rows(as_alice, alice, bob):
    customer = alice.contact.customer
    _give(customer, contacts=2, services=2, invoices=3, tickets=1, tag="a1")
    several, shown, body = _count(as_alice)
    assert "a1-contact-1@example.nl" in body
    assert several <= MAX_QUERIES, several

    _give(customer, contacts=3, services=3, invoices=6, tickets=2, tag="a2")
    more, shown_more, body = _count(as_alice)
    assert "a2-contact-2@example.nl" in body and shown_more > shown  # the new rows are shown ...
    assert more == several  # ... with the same queries

    _give(bob.contact.customer, contacts=3, services=3, invoices=6, tickets=2, tag="b1")
    others, shown_others, body = _count(as_alice)
    assert "b1-contact-0@example.nl" not in body and shown_others == shown_more
    assert others == several


@pytest.mark.promise("G1")
def test_finder_queries_do_not_grow_with_links_in_the_map(alice, monkeypatch):
    customer = alice.contact.customer
    _give(customer, contacts=2, services=2, invoices=3, tickets=1, tag="a1")
    with CaptureQueriesContext(connection) as queries:
        before = subject_rows_of(alice)
    registry = datamap.registry()
    # Four more links, appended after the map's own (so every row keeps its first rule).
    extra = {
        "billing.Invoice": (
            datamap.Link("billing_contact", "customers.Contact", "extra: invoice to this contact"),
            datamap.Link("customer", "customers.Customer", "extra: invoice of this customer", up=False),
        ),
        "correspondence.Ticket": (
            datamap.Link("contact", "customers.Contact", "extra: ticket of this contact"),
            datamap.Link("customer", "customers.Customer", "extra: ticket of this customer", up=False),
        ),
    }
    for label, links in extra.items():
        entry = registry[label]
        monkeypatch.setitem(registry, label, dataclasses.replace(entry, links=entry.links + links))
    with CaptureQueriesContext(connection) as more_links:
        after = subject_rows_of(alice)
    assert after == before
    assert len(more_links.captured_queries) == len(queries.captured_queries)
