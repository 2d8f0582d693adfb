"""factory_boy factories for every model with a row of its own.

Factories write rows directly (no services, no audit events): they set up the world a test
needs. Values are fictional and valid in their normal form (E.164 phone numbers, "1234 AB"
postcodes, IBANs that pass the mod-97 check), so they can be fed to services as well.

    from waarborg.testing import factories as f
    contact = f.ContactFactory(customer__name="Bakkerij Jansen B.V.")
    account = f.CustomerAccountFactory(contact=contact, raw_password="a long secret phrase")
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from waarborg.accounts.models import Account, LoginEvent
from waarborg.billing.models import Invoice, InvoiceLine, Payment, PaymentMethod
from waarborg.careers.models import JobApplication
from waarborg.catalogue.models import Product, Subscription
from waarborg.consents.models import ConsentRecord
from waarborg.core import clock, roles
from waarborg.core.crypto import keyed_hash
from waarborg.correspondence.models import Attachment, Complaint, Message, Ticket
from waarborg.customers.models import Contact, Customer, Document, NoticeAgreement
from waarborg.register.models import Recipient

FAKER_LOCALE = "nl_NL"
POLICY_VERSION = "2025-01"


def iban_for(n: int, *, bank: str = "WABO") -> str:
    """A Dutch IBAN that passes the ISO 13616 check, different for every `n`."""
    account = f"{n % 10**10:010d}"
    bban = bank + account
    rearranged = bban + "NL00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    check = 98 - number % 97
    return f"NL{check:02d}{bban}"


def _now():
    return clock.now()


def _today():
    return clock.today()


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    class Params:
        private = factory.Trait(
            kind=Customer.Kind.PRIVATE,
            market=Customer.Market.B2C,
            kvk_number="",
            vat_number="",
            name=factory.Faker("name", locale=FAKER_LOCALE),
        )

    number = factory.Sequence(lambda n: f"K{900000 + n:06d}")
    kind = Customer.Kind.ORGANISATION
    market = Customer.Market.B2B
    name = factory.Sequence(lambda n: f"Testbedrijf {n} B.V.")
    kvk_number = factory.Sequence(lambda n: f"{60000000 + n:08d}")
    vat_number = ""
    status = Customer.Status.ACTIVE
    created_at = factory.LazyFunction(_now)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    role = Contact.Role.PRIMARY
    first_name = factory.Faker("first_name", locale=FAKER_LOCALE)
    last_name = factory.Faker("last_name", locale=FAKER_LOCALE)
    street = factory.Sequence(lambda n: f"Dorpsstraat {n + 1}")
    postcode = factory.Sequence(lambda n: f"{1000 + n % 9000} AB")
    town = "Utrecht"
    country = "NL"
    email = factory.Sequence(lambda n: f"contact{n}@example.nl")
    phone = factory.Sequence(lambda n: f"+31612{n % 1000000:06d}")
    created_at = factory.LazyFunction(_now)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    customer = factory.SubFactory(CustomerFactory)
    title = factory.Sequence(lambda n: f"Ontwerp {n}")
    kind = "design"
    file = ""
    created_at = factory.LazyFunction(_now)


class AccountFactory(DjangoModelFactory):
    """A customer's portal account (role customer, with a contact person).

    The password is unusable unless `raw_password` is given (hashing is slow on purpose).
    """

    class Meta:
        model = Account
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"account{n}@example.nl")
    role = roles.CUSTOMER
    contact = factory.SubFactory(ContactFactory)
    display_name = ""
    is_active = True
    password = factory.LazyFunction(lambda: make_password(None))

    @factory.post_generation
    def raw_password(obj, create, extracted, **kwargs):
        if extracted:
            obj.set_password(extracted)
            if create:
                obj.save(update_fields=["password"])


CustomerAccountFactory = AccountFactory


class StaffAccountFactory(AccountFactory):
    """A staff account; pass `role` (support, finance, privacy, admin)."""

    email = factory.Sequence(lambda n: f"staff{n}@duinhost.example")
    role = roles.SUPPORT
    contact = None
    display_name = factory.Faker("name", locale=FAKER_LOCALE)


class LoginEventFactory(DjangoModelFactory):
    class Meta:
        model = LoginEvent

    account = factory.SubFactory(AccountFactory)
    at = factory.LazyFunction(_now)
    ip_address = factory.Sequence(lambda n: f"198.51.100.{n % 250 + 1}")
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    succeeded = True
    method = "password"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"product-{n}")
    kind = "webhosting"
    name = factory.Sequence(lambda n: f"Webhosting {n}")
    monthly_price = Decimal("9.95")
    active = True


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Subscription

    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    label = factory.Sequence(lambda n: f"site{n}.example.nl")
    start_date = factory.LazyFunction(_today)
    end_date = None
    status = Subscription.Status.ACTIVE
    block_reason = ""


class NoticeAgreementFactory(DjangoModelFactory):
    """The customer agreed in their contract to written notices by e-mail (the fourteen-day
    letter is then e-mailed; without an agreement it goes by post)."""

    class Meta:
        model = NoticeAgreement

    customer = factory.SubFactory(CustomerFactory)
    source = NoticeAgreement.Source.CONTRACT
    agreed_on = dt.date(2024, 1, 1)
    reference = "Algemene voorwaarden 2024, art. 4.3"
    recorded_at = factory.LazyFunction(_now)


class InvoiceFactory(DjangoModelFactory):
    """An open invoice of 100.00 + 21% VAT; add lines with InvoiceLineFactory if needed."""

    class Meta:
        model = Invoice

    customer = factory.SubFactory(CustomerFactory)
    billing_contact = factory.SubFactory(ContactFactory, customer=factory.SelfAttribute("..customer"))
    number = factory.Sequence(lambda n: f"F{n:08d}")
    issue_date = factory.LazyFunction(_today)
    due_date = factory.LazyAttribute(lambda o: o.issue_date + dt.timedelta(days=14))
    currency = "EUR"
    total_excl = Decimal("100.00")
    vat_amount = Decimal("21.00")
    total_incl = Decimal("121.00")
    amount_paid = Decimal("0.00")
    status = Invoice.Status.OPEN
    name_printed = factory.LazyAttribute(lambda o: o.customer.name)
    address_printed = factory.LazyAttribute(
        lambda o: (
            f"{o.billing_contact.street}, {o.billing_contact.postcode} {o.billing_contact.town}"
            if o.billing_contact
            else "Dorpsstraat 1, 3511 AB Utrecht"
        )
    )


class InvoiceLineFactory(DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    subscription = None
    description = factory.Sequence(lambda n: f"Webhosting, maand {n % 12 + 1}")
    quantity = Decimal("1")
    unit_price = Decimal("100.00")
    vat_rate = Decimal("21")


class PaymentMethodFactory(DjangoModelFactory):
    class Meta:
        model = PaymentMethod

    class Params:
        number = factory.Sequence(lambda n: n + 1)

    customer = factory.SubFactory(CustomerFactory)
    kind = PaymentMethod.Kind.SEPA_MANDATE
    holder_name = factory.Faker("name", locale=FAKER_LOCALE)
    iban = factory.LazyAttribute(lambda o: iban_for(o.number))
    iban_last4 = factory.LazyAttribute(lambda o: o.iban[-4:] if o.iban else "")
    iban_hash = factory.LazyAttribute(lambda o: keyed_hash(o.iban, purpose="iban") if o.iban else "")
    mandate_reference = factory.Sequence(lambda n: f"MANDATE-{n:06d}")
    mandate_signed_at = factory.LazyFunction(_now)
    created_at = factory.LazyFunction(_now)


class PaymentFactory(DjangoModelFactory):
    """A payment row (the invoice's amount_paid is *not* updated: use payment_record for that)."""

    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    customer = factory.SelfAttribute("invoice.customer")
    payment_method = None
    amount = Decimal("10.00")
    currency = "EUR"
    received_at = factory.LazyFunction(_now)
    reference = factory.Sequence(lambda n: f"BETALING {n}")


class TicketFactory(DjangoModelFactory):
    class Meta:
        model = Ticket

    customer = factory.SubFactory(CustomerFactory)
    contact = factory.SubFactory(ContactFactory, customer=factory.SelfAttribute("..customer"))
    number = factory.Sequence(lambda n: f"X{n:07d}")
    subject = factory.Sequence(lambda n: f"Vraag over de mailbox {n}")
    status = Ticket.Status.OPEN
    opened_at = factory.LazyFunction(_now)
    closed_at = None


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    direction = Message.Direction.IN
    author = None
    from_address = factory.LazyAttribute(lambda o: o.ticket.contact.email if o.ticket.contact else "")
    body = "Mijn mailbox is vol, kunt u helpen?"
    sent_at = factory.LazyFunction(_now)


class AttachmentFactory(DjangoModelFactory):
    """An attachment row; the file name is set without writing a file."""

    class Meta:
        model = Attachment

    message = factory.SubFactory(MessageFactory)
    filename = factory.Sequence(lambda n: f"schermafdruk-{n}.png")
    file = factory.LazyAttribute(lambda o: f"attachments/2025/{o.filename}")
    content_type = "image/png"
    size = 1024


class ComplaintFactory(DjangoModelFactory):
    class Meta:
        model = Complaint

    customer = factory.SubFactory(CustomerFactory)
    contact = factory.SubFactory(ContactFactory, customer=factory.SelfAttribute("..customer"))
    name = factory.LazyAttribute(lambda o: o.contact.full_name if o.contact else "Anoniem Persoon")
    email = factory.LazyAttribute(lambda o: o.contact.email if o.contact else "klager@example.nl")
    description = "De website was een dag onbereikbaar."
    resolution = ""
    status = Complaint.Status.OPEN
    received_at = factory.LazyFunction(_now)
    closed_at = None


class ConsentRecordFactory(DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    account = factory.SubFactory(AccountFactory)
    contact = factory.LazyAttribute(lambda o: o.account.contact if o.account else None)
    device_id = ""
    kind = "marketing_email"
    granted = True
    policy_version = POLICY_VERSION
    source = "portal"
    given_at = factory.LazyFunction(_now)
    withdrawn_at = None
    parental_consent_ref = ""


class JobApplicationFactory(DjangoModelFactory):
    class Meta:
        model = JobApplication

    first_name = factory.Faker("first_name", locale=FAKER_LOCALE)
    last_name = factory.Faker("last_name", locale=FAKER_LOCALE)
    email = factory.Sequence(lambda n: f"sollicitant{n}@example.nl")
    phone = factory.Sequence(lambda n: f"+31613{n % 1000000:06d}")
    postcode = factory.Sequence(lambda n: f"{2000 + n % 7000} CD")
    date_of_birth = dt.date(1995, 5, 17)
    age_band = JobApplication.AgeBand.ADULT
    parental_consent_ref = ""
    position = "Systeembeheerder"
    motivation = "Ik werk graag met Linux-servers."
    cv = ""
    received_at = factory.LazyFunction(_now)
    procedure_closed_at = None
    keep_consent_at = None


class RecipientFactory(DjangoModelFactory):
    class Meta:
        model = Recipient
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"recipient-{n}")
    name = factory.Sequence(lambda n: f"Datacenter {n} B.V.")
    kind = Recipient.Kind.PROCESSOR
    category = "datacenter"
    purpose = "Hosting van de servers"
    data_categories = factory.LazyFunction(lambda: ["D1", "D2", "D3"])
    country = "NL"
    agreement_signed_at = dt.date(2024, 1, 1)
    agreement_expires_at = None
