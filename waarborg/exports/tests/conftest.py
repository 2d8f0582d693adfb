import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.correspondence.models import Message
from waarborg.customers.models import ContactHistory
from waarborg.testing import factories as f

ALICE_IBAN = "NL91ABNA0417164300"
ALICE_FILE = b"%PDF-1.4 alice's own screenshot"
BOB_FILE = b"bob's private attachment bytes"
ISSUED = dt.date(2025, 3, 1)


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(personas, storage):
    """Alice (a private customer) with a bit of everything; Bob writes in her ticket; Carol answers."""
    alice, bob, carol = personas.alice, personas.bob, personas.carol
    customer, contact = personas.alice_customer, personas.alice_contact
    now = timezone.now()
    f.LoginEventFactory(account=alice, ip_address="198.51.100.7", at=now - dt.timedelta(days=3))
    TOTPDevice.objects.create(user=alice, name="telefoon", confirmed=True)
    subscription = f.SubscriptionFactory(customer=customer, label="alicedevries.nl")
    invoice = f.InvoiceFactory(customer=customer, billing_contact=contact, issue_date=ISSUED, number="F2025-0042")
    f.InvoiceLineFactory(invoice=invoice, subscription=subscription, description="Webhosting maart")
    method = f.PaymentMethodFactory(customer=customer, iban=ALICE_IBAN, holder_name="A. de Vries")
    f.PaymentFactory(invoice=invoice, payment_method=method, amount=Decimal("121.00"), reference="BETALING 7781")
    ticket = f.TicketFactory(customer=customer, contact=contact, subject="Mailbox vol")
    own = f.MessageFactory(ticket=ticket, body="Mijn mailbox van alicedevries.nl is vol.")
    f.MessageFactory(
        ticket=ticket, direction=Message.Direction.OUT, author=carol, from_address="", body="We hebben hem vergroot."
    )
    foreign = f.MessageFactory(ticket=ticket, from_address=bob.email, body="Groeten van Bob Jansen, Bakkerij Jansen")
    mine = f.AttachmentFactory(message=own, filename="schermafdruk.pdf", file="")
    mine.file.save("schermafdruk.pdf", ContentFile(ALICE_FILE))
    theirs = f.AttachmentFactory(message=foreign, filename="bob-bijlage.txt", file="")
    theirs.file.save("bob-bijlage.txt", ContentFile(BOB_FILE))
    f.ComplaintFactory(customer=customer, contact=contact, description="Storing van een dag.")
    f.ConsentRecordFactory(account=alice)
    ContactHistory.objects.create(
        contact=contact, field="phone", old_value="+31687654321", changed_at=now, changed_by=carol
    )
    f.RecipientFactory(
        key="sidn",
        name="Stichting Internet Domeinregistratie Nederland",
        kind="third_party",
        category="registry",
        purpose="Registratie van .nl-domeinnamen",
        data_categories=["D1", "D2", "D3", "D4"],
    )
    f.RecipientFactory(
        key="betaalhuis",
        name="Betaalhuis B.V.",
        kind="processor",
        category="payment_provider",
        purpose="Incasso en betalingsverkeer",
        data_categories=["D1", "D5", "D7"],
    )
    f.RecipientFactory(
        key="telbureau",
        name="Telbureau Accountants",
        kind="processor",
        category="accountant",
        purpose="Jaarrekening",
        data_categories=["D1", "D2", "D7"],
        agreement_signed_at=None,
    )
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "customer": customer,
        "contact": contact,
        "invoice": invoice,
        "ticket": ticket,
        "foreign": foreign,
    }


class Opened:
    """A package opened with zipfile, with its JSON and text members at hand."""

    def __init__(self, payload: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(payload))
        assert self.zip.testzip() is None

    def names(self) -> list[str]:
        return self.zip.namelist()

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def text(self, name: str) -> str:
        return self.read(name).decode()

    def json(self, name: str = "data.json"):
        return json.loads(self.read(name))

    def everything(self) -> bytes:
        return b"\n".join(self.read(n) for n in self.names())


@pytest.fixture
def opened():
    return Opened
