"""Writes at the same moment: row locks and unique numbers keep the books straight."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from waarborg.billing.models import Invoice, Payment
from waarborg.billing.services import payment_record
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import ValidationError
from waarborg.customers.services import customer_create
from waarborg.testing import factories as f

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def committed(transactional_db):
    """Rows are committed here, so the test database is emptied afterwards. The audit trail
    refuses TRUNCATE; the emptying runs in this session with triggers off, and the session is
    closed right after it (a transactional test gets a fresh connection)."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")


@pytest.mark.promise("U4")
def test_it_never_lets_two_simultaneous_payments_exceed_the_invoice(committed):
    invoice = f.InvoiceFactory(total_incl=Decimal("100.00"))
    outcomes = []
    barrier = threading.Barrier(4)

    def pay():
        try:
            barrier.wait()
            payment_record(actor=SYSTEM, invoice=invoice.pk, amount="60.00")
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused", "refused", "refused"]
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.amount_paid == Decimal("60.00")
    assert Payment.objects.filter(invoice=invoice).count() == 1


@pytest.mark.promise("D5")
def test_it_gives_simultaneous_customers_different_numbers(committed):
    numbers = []
    barrier = threading.Barrier(4)

    def create(i):
        try:
            barrier.wait()
            numbers.append(customer_create(actor=SYSTEM, kind="private", name=f"Klant {i}").number)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(numbers) == 4
    assert len(set(numbers)) == 4
