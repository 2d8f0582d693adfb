from django.db import models

from waarborg.core.crypto import EncryptedTextField


class Invoice(models.Model):
    """An invoice as issued: the printed name and address are kept as they were (fiscal record)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="invoices")
    billing_contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    number = models.CharField(max_length=20, unique=True)
    issue_date = models.DateField(db_index=True)
    due_date = models.DateField(db_index=True)
    currency = models.CharField(max_length=3, default="EUR")
    total_excl = models.DecimalField(max_digits=12, decimal_places=2)
    vat_amount = models.DecimalField(max_digits=12, decimal_places=2)
    total_incl = models.DecimalField(max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    name_printed = models.CharField(max_length=200)
    address_printed = models.CharField(max_length=300)
    # Set when an erasure kept this row for a legal term: hidden from every screen, list and export;
    # only the fiscal archive (finance_archive role, with a reason) opens it (R4).
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"Invoice #{self.pk}"

    @property
    def amount_open(self):
        return self.total_incl - self.amount_paid


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    subscription = models.ForeignKey(
        "catalogue.Subscription", null=True, blank=True, on_delete=models.SET_NULL, related_name="invoice_lines"
    )
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=10, decimal_places=2, default=1)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=21)
    # Set when an erasure kept this row for a legal term: hidden from every screen, list and export;
    # only the fiscal archive (finance_archive role, with a reason) opens it (R4).
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"InvoiceLine #{self.pk}"


class PaymentMethod(models.Model):
    """A way the customer pays; the IBAN is encrypted at rest and shown masked."""

    class Kind(models.TextChoices):
        SEPA_MANDATE = "sepa_mandate", "SEPA direct debit"
        TRANSFER = "transfer", "Bank transfer"
        IDEAL = "ideal", "iDEAL"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="payment_methods")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    holder_name = models.CharField(max_length=120, blank=True)
    iban = EncryptedTextField(blank=True)
    iban_last4 = models.CharField(max_length=4, blank=True)
    iban_hash = models.CharField(max_length=64, blank=True, db_index=True)
    mandate_reference = models.CharField(max_length=35, blank=True)
    mandate_signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"PaymentMethod #{self.pk}"

    @property
    def iban_masked(self) -> str:
        return f"•••• {self.iban_last4}" if self.iban_last4 else ""


class Payment(models.Model):
    """A payment received against one invoice; partial payments are normal."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="payments")
    payment_method = models.ForeignKey(
        PaymentMethod, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    received_at = models.DateTimeField(db_index=True)
    reference = models.CharField(max_length=140, blank=True)
    # Set when an erasure kept this row for a legal term: hidden from every screen, list and export;
    # only the fiscal archive (finance_archive role, with a reason) opens it (R4).
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"Payment #{self.pk}"
