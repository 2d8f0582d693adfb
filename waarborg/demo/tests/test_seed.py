import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from waarborg.accounts.models import Account, LoginEvent
from waarborg.audit.models import AuditEvent
from waarborg.audit.services import audit_verify
from waarborg.billing.models import Invoice, InvoiceLine, Payment, PaymentMethod
from waarborg.catalogue.models import PRODUCT_KINDS, Product, Subscription
from waarborg.core import clock
from waarborg.core.crypto import keyed_hash
from waarborg.core.identifiers import (
    normalise_customer_number,
    normalise_email,
    normalise_ip,
    normalise_phone,
    normalise_postcode,
)
from waarborg.customers.models import Contact, Customer
from waarborg.demo import vocab
from waarborg.demo.seed import seed
from waarborg.demo.tests.snapshot import snapshot
from waarborg.subjects.finder import Query, subject_find

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def test_it_seeds_the_expected_counts():
    report = seed(50, seed=7)
    counts = report.counts
    assert counts["customers"] == Customer.objects.count() == 50
    assert counts["accounts"] == Account.objects.count() == 50
    assert counts["subscriptions"] == Subscription.objects.count() == 100
    assert 50 <= counts["contacts"] == Contact.objects.count() <= 150
    assert counts["invoices"] == Invoice.objects.count() == counts["invoice_lines"] == InvoiceLine.objects.count()
    assert 50 <= counts["invoices"] <= 300
    assert counts["payments"] == Payment.objects.count() > 0
    assert 0 < counts["payment_methods"] == PaymentMethod.objects.count() < 50
    assert counts["login_events"] == LoginEvent.objects.count() >= 50
    assert set(Product.objects.values_list("kind", flat=True)) == set(PRODUCT_KINDS)
    assert Account.objects.filter(contact__role="primary").count() == 50
    event = AuditEvent.objects.get(action="seed.load")
    assert event.data["customers"] == 50 and event.data["seed"] == 7
    assert audit_verify().ok


def test_it_seeds_identifiers_in_their_normal_form():
    seed(40, seed=3)
    for contact in Contact.objects.all():
        assert normalise_email(contact.email) == contact.email
        assert contact.email.endswith("@seed.example")
        assert normalise_postcode(contact.postcode) == contact.postcode
        if contact.phone:
            assert normalise_phone(contact.phone) == contact.phone
    for number in Customer.objects.values_list("number", flat=True):
        assert normalise_customer_number(number) == number and re.fullmatch(r"K\d{6,}", number)
    for ip in LoginEvent.objects.values_list("ip_address", flat=True):
        assert normalise_ip(ip) == ip
    for customer in Customer.objects.all():
        assert (customer.market == "b2b") == bool(customer.kvk_number or customer.vat_number)
    for invoice in Invoice.objects.all():
        assert invoice.total_incl == invoice.total_excl + invoice.vat_amount
        assert (invoice.status == "paid") == (invoice.amount_paid == invoice.total_incl)


@pytest.mark.promise("D7")
def test_it_seeds_ibans_encrypted():
    seed(30, seed=5)
    method = PaymentMethod.objects.first()
    assert vocab.iban_valid(method.iban)
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM billing_paymentmethod WHERE id = %s", [method.pk])
        raw = cursor.fetchone()[0]
    assert method.iban not in raw and method.iban[4:] not in raw
    assert method.iban_masked.endswith(method.iban[-4:]) and method.iban_last4 == method.iban[-4:]
    assert method.iban_hash == keyed_hash(method.iban, purpose="iban")


def test_it_seeds_the_same_rows_for_the_same_seed():
    pictures = []
    with clock.as_of(dt.date(2026, 5, 20)):
        for seed_value in (11, 11, 12):
            try:
                with transaction.atomic():
                    seed(25, seed=seed_value)
                    pictures.append(snapshot())
                    raise _Rollback
            except _Rollback:
                pass
    assert pictures[0] == pictures[1]
    assert pictures[0]["customers.Customer"] != pictures[2]["customers.Customer"]


def test_it_appends_without_collisions():
    first = seed(30, seed=1)
    second = seed(30, seed=2)
    third = seed(30, seed=1)
    assert second.first_customer_id == first.last_customer_id + 1
    assert third.first_customer_id == second.last_customer_id + 1
    assert Customer.objects.count() == 90
    for model, field in [(Customer, "number"), (Contact, "email"), (Account, "email"), (Invoice, "number")]:
        values = list(model.objects.values_list(field, flat=True))
        assert len(values) == len(set(values))
    phones = [p for p in Contact.objects.values_list("phone", flat=True) if p]
    assert len(phones) == len(set(phones))
    # The database's own key counters continue after the seeded rows.
    customer = Customer.objects.create(number="K999999", kind="private", name="Nieuwe Klant", created_at=clock.now())
    assert customer.pk == third.last_customer_id + 1


def test_it_leaves_seeded_subjects_findable_with_their_invoices():
    seed(60, seed=9)
    contact = Contact.objects.filter(customer__kind=Customer.Kind.PRIVATE).exclude(phone="").order_by("pk")[10]
    hits = subject_find(Query(email=contact.email))
    found = {(h.model, h.pk) for h in hits}
    assert ("customers.Customer", contact.customer_id) in found
    invoices = list(Invoice.objects.filter(customer=contact.customer_id).values_list("pk", flat=True))
    assert invoices and all(("billing.Invoice", pk) in found for pk in invoices)
    account = Account.objects.get(contact=contact)
    assert ("accounts.Account", account.pk) in found
    for query in (
        Query(phone=contact.phone),
        Query(customer_number=contact.customer.number),
        Query(ip=account.login_events.first().ip_address),
        Query(name=f"{contact.first_name} {contact.last_name}", postcode=contact.postcode),
    ):
        assert ("customers.Contact", contact.pk) in {(h.model, h.pk) for h in subject_find(query)}


def test_it_seeds_from_the_command_line():
    out = io.StringIO()
    call_command("seed", "--customers", "20", "--seed", "4", stdout=out)
    text = out.getvalue()
    assert re.search(r"customers\s+20", text) and "Seeded" in text
    assert Customer.objects.count() == 20


@pytest.mark.promise("A5")
def test_it_gives_nine_in_ten_consumers_a_contract_term_for_notices_by_e_mail():
    from waarborg.customers.models import NoticeAgreement

    report = seed(200, seed=11)
    consumers = set(Customer.objects.filter(market="b2c").values_list("pk", flat=True))
    agreements = list(NoticeAgreement.objects.all())
    assert report.counts["notice_agreements"] == len(agreements)
    assert {a.customer_id for a in agreements} <= consumers  # never a business customer
    assert 0.85 <= len(agreements) / len(consumers) <= 0.95
    for agreement in agreements:
        assert agreement.source == "contract" and agreement.reference and agreement.withdrawn_on is None
        assert agreement.agreed_on <= clock.today() and agreement.stands_on(clock.today())
    assert audit_verify().ok
