import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from waarborg.accounts.models import Account, LoginEvent
from waarborg.audit.models import AuditEvent
from waarborg.audit.services import audit_verify
from waarborg.billing.models import Invoice, PaymentMethod
from waarborg.careers.models import JobApplication
from waarborg.catalogue.models import PRODUCT_KINDS, Product, Subscription
from waarborg.consents.models import ConsentRecord
from waarborg.core import clock
from waarborg.core.crypto import keyed_hash
from waarborg.core.errors import ConfigError
from waarborg.core.identifiers import normalise_email, normalise_phone, normalise_postcode
from waarborg.correspondence.models import Complaint, Message, Ticket
from waarborg.customers.models import Contact, Customer
from waarborg.demo import vocab
from waarborg.demo.builder import DemoAlreadyLoaded, load_demo
from waarborg.demo.data import DEMO_LOGINS, DEMO_PASSWORD, demo_loaded
from waarborg.demo.tests.snapshot import snapshot
from waarborg.register.models import Recipient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    return load_demo()


class _Rollback(Exception):
    pass


@pytest.mark.promise("S1")
def test_it_offers_every_service_kind_and_customers_hold_them(demo):
    assert set(Product.objects.values_list("kind", flat=True)) == set(PRODUCT_KINDS)
    held = set(Subscription.objects.values_list("product__kind", flat=True))
    assert held == set(PRODUCT_KINDS)
    for product in Product.objects.all():
        assert product.monthly_price > 0
        assert product.personal_data_needed


def test_it_loads_customers_of_every_kind_with_dutch_details(demo):
    assert demo["customers"] >= 20
    assert set(Customer.objects.values_list("kind", flat=True)) == set(Customer.Kind.values)
    for customer in Customer.objects.all():
        assert re.fullmatch(r"K\d{6}", customer.number)
        if customer.market == Customer.Market.B2B:
            assert customer.kvk_number or customer.vat_number
        if customer.kind == Customer.Kind.PRIVATE:
            assert customer.market == Customer.Market.B2C
            assert not customer.kvk_number and not customer.vat_number
        if customer.kvk_number:
            assert re.fullmatch(r"\d{8}", customer.kvk_number)
        if customer.vat_number:
            assert re.fullmatch(r"NL\d{9}B01", customer.vat_number)
    assert Customer.objects.filter(kind=Customer.Kind.ORGANISATION, market=Customer.Market.B2B).exists()
    for contact in Contact.objects.all():
        assert normalise_email(contact.email) == contact.email
        assert contact.email.endswith(".example")
        assert normalise_phone(contact.phone) == contact.phone and contact.phone.startswith("+31")
        assert normalise_postcode(contact.postcode) == contact.postcode
    assert set(Contact.objects.values_list("role", flat=True)) == {"primary", "billing", "technical"}


def test_it_loads_a_year_of_invoices_some_overdue_some_partly_paid(demo):
    today = clock.today()
    invoices = Invoice.objects.prefetch_related("lines", "payments")
    assert invoices.filter(issue_date__lte=today - dt.timedelta(days=300)).exists()
    overdue = invoices.filter(status=Invoice.Status.OPEN, due_date__lt=today, amount_paid=0)
    assert overdue.count() >= 2
    partly = [i for i in invoices if 0 < i.amount_paid < i.total_incl]
    assert len(partly) >= 1 and all(i.status == Invoice.Status.OPEN for i in partly)
    assert invoices.filter(status=Invoice.Status.PAID).count() > invoices.count() / 2
    for invoice in invoices:
        lines = list(invoice.lines.all())
        assert lines
        excl = sum(line.quantity * line.unit_price for line in lines)
        assert invoice.total_excl == excl.quantize(Decimal("0.01"))
        assert invoice.vat_amount == (invoice.total_excl * Decimal("0.21")).quantize(Decimal("0.01"))
        assert invoice.total_incl == invoice.total_excl + invoice.vat_amount
        assert sum(p.amount for p in invoice.payments.all()) == invoice.amount_paid
        assert invoice.name_printed and invoice.address_printed
        assert (invoice.status == Invoice.Status.PAID) == (invoice.amount_paid == invoice.total_incl)


@pytest.mark.promise("D7")
def test_it_stores_ibans_encrypted_and_shows_them_masked(demo):
    methods = list(PaymentMethod.objects.filter(kind=PaymentMethod.Kind.SEPA_MANDATE))
    assert len(methods) >= 5
    for method in methods:
        assert vocab.iban_valid(method.iban) and method.iban.startswith("NL")
        with connection.cursor() as cursor:
            cursor.execute("SELECT iban FROM billing_paymentmethod WHERE id = %s", [method.pk])
            raw = cursor.fetchone()[0]
        assert raw != method.iban and method.iban not in raw and method.iban[4:] not in raw
        assert method.iban_masked == f"•••• {method.iban[-4:]}"
        assert method.iban_hash == keyed_hash(method.iban, purpose="iban")


def test_it_loads_sign_ins_from_several_addresses(demo):
    addresses = set(LoginEvent.objects.values_list("ip_address", flat=True))
    assert len(addresses) >= 3
    assert any(":" in a for a in addresses) and any("." in a for a in addresses)
    assert LoginEvent.objects.filter(succeeded=False).exists()


def test_it_loads_correspondence_consents_applications_and_recipients(demo):
    assert Ticket.objects.count() >= 5
    assert Message.objects.filter(direction="in").exists() and Message.objects.filter(direction="out").exists()
    assert not Message.objects.filter(direction="out").exclude(from_address="").exists()
    assert Complaint.objects.count() >= 2 and Complaint.objects.filter(customer__isnull=True).exists()
    assert ConsentRecord.objects.filter(kind="marketing_email").exists()
    assert ConsentRecord.objects.filter(kind="cookies_analytics").exists()
    assert ConsentRecord.objects.filter(withdrawn_at__isnull=False).exists()
    assert JobApplication.objects.filter(age_band=JobApplication.AgeBand.ADULT).exists()
    today = clock.today()
    assert Recipient.objects.get(category="datacenter", kind="processor").agreement_valid_on(today)
    assert Recipient.objects.get(category="payment_provider").agreement_valid_on(today)
    bailiff = Recipient.objects.get(category="bailiff")
    assert bailiff.kind == "third_party" and bailiff.name.startswith("Gerechtsdeurwaarderskantoor")
    assert (
        Recipient.objects.filter(kind="processor")
        .exclude(agreement_expires_at=None)
        .filter(agreement_expires_at__lt=today)
        .exists()
    )


def test_it_creates_a_sign_in_for_every_role(demo):
    assert demo_loaded()
    for login in DEMO_LOGINS:
        account = Account.objects.get(email=login["email"])
        assert login["password"] == DEMO_PASSWORD and account.check_password(DEMO_PASSWORD)
        assert account.role == login["role"]
        if login["role"] == "customer":
            assert account.contact is not None and account.contact.email == account.email
        else:
            assert account.display_name and account.contact is None
    assert {login["role"] for login in DEMO_LOGINS} == {"customer", "support", "finance", "privacy", "admin"}


def test_it_records_the_load_in_the_audit_trail_without_personal_values(demo):
    events = list(AuditEvent.objects.filter(action="demo.load"))
    assert len(events) == 1
    assert events[0].data == demo and events[0].actor == "system"
    assert audit_verify().ok


def test_it_loads_the_same_data_every_time():
    pictures = []
    with clock.as_of(dt.date(2026, 3, 17)):
        for _ in range(2):
            try:
                with transaction.atomic():
                    load_demo()
                    pictures.append(snapshot())
                    raise _Rollback
            except _Rollback:
                pass
    assert pictures[0]["customers.Customer"]
    assert pictures[0] == pictures[1]
    assert not Customer.objects.exists()


def test_it_refuses_to_load_twice(demo):
    with pytest.raises(DemoAlreadyLoaded):
        load_demo()


def test_it_refuses_to_load_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(ConfigError):
        load_demo()
    assert not Customer.objects.exists()


def test_it_prepares_the_demo_and_prints_the_sign_ins(settings, tmp_path, monkeypatch):
    from django.core.mail import send_mail

    monkeypatch.delenv("WAARBORG_MAIL", raising=False)
    monkeypatch.delenv("WAARBORG_SITE_URL", raising=False)
    settings.EMAIL_FILE_PATH = tmp_path / "mail"  # the override also undoes what the command sets
    settings.WAARBORG_SITE_URL = "http://localhost:8000"
    out = io.StringIO()
    call_command("demo", "--no-serve", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert f"Mail is not sent: each message is written to {tmp_path / 'mail'}" in text
    # Dunning as if the daily run had run every day: cases at several steps, a contest, an approval.
    from waarborg.dunning.models import Approval, Case, Contest

    assert Case.objects.filter(status=Case.Status.PAUSED).count() == Contest.objects.count() == 1
    assert Approval.objects.filter(status=Approval.Status.PENDING).exists()
    notices = len(list((tmp_path / "mail").iterdir()))
    assert notices > 0  # the notices went to files
    mails = [path.read_text(encoding="utf-8", errors="replace") for path in (tmp_path / "mail").iterdir()]
    linked = [mail for mail in mails if "http://127.0.0.1:8123/" in mail]
    assert linked and not any("localhost:8000" in mail for mail in mails)  # links follow --port
    send_mail("Welkom", "Tekst", None, ["iemand@example.nl"])  # no SMTP server needed in the demo
    assert len(list((tmp_path / "mail").iterdir())) == notices + 1
    assert "http://127.0.0.1:8123/" in text
    for login in DEMO_LOGINS:
        assert login["email"] in text
    assert DEMO_PASSWORD in text
    assert demo_loaded()
    loaded = Customer.objects.count()
    again = io.StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert "already loaded" in again.getvalue() and "http://127.0.0.1:8000/" in again.getvalue()
    assert Customer.objects.count() == loaded


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_it_gives_demo_staff_a_published_authenticator_key(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from waarborg.demo.builder import load_demo
    from waarborg.demo.data import DEMO_LOGINS, demo_totp_key

    load_demo()
    staff = [login for login in DEMO_LOGINS if login["role"] != "customer"]
    for login in staff:
        device = TOTPDevice.objects.get(user__email=login["email"], confirmed=True)
        assert device.key == demo_totp_key(login["email"])
    page = client.get("/").content.decode()
    from waarborg.demo.data import demo_totp_secret

    assert all(demo_totp_secret(login["email"]) in page for login in staff)
    # The published key really signs a staff member in: password, then the code it makes.
    support = staff[0]
    response = client.post("/aanmelden/", {"email": support["email"], "password": support["password"]})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user__email=support["email"])
    code = f"{totp(bytes.fromhex(device.key)):06d}"
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/backoffice/").status_code == 200
