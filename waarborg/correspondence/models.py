from django.db import models


class Ticket(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WAITING = "waiting", "Waiting for customer"
        CLOSED = "closed", "Closed"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="tickets")
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    number = models.CharField(max_length=16, unique=True)
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The invoice whose amount or VAT this ticket is about: the ticket, its messages and their
    # attachments are then part of the fiscal record and follow that invoice's term (R3, R4).
    fiscal_invoice = models.ForeignKey(
        "billing.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="fiscal_tickets"
    )
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    def __str__(self):
        return f"Ticket #{self.pk}"

    @property
    def is_fiscal(self) -> bool:
        return self.fiscal_invoice_id is not None


class Message(models.Model):
    class Direction(models.TextChoices):
        IN = "in", "Incoming"
        OUT = "out", "Outgoing"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author = models.ForeignKey("accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_address = models.EmailField(blank=True, db_index=True)
    body = models.TextField()
    sent_at = models.DateTimeField()
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    def __str__(self):
        return f"Message #{self.pk}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    file = models.FileField(upload_to="attachments/%Y/")
    content_type = models.CharField(max_length=100, default="application/octet-stream")
    size = models.PositiveIntegerField(default=0)
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    def __str__(self):
        return f"Attachment #{self.pk}"


class Complaint(models.Model):
    """A complaint about the service (U11), from a customer or anyone else."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        HANDLED = "handled", "Handled"

    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    name = models.CharField(max_length=160)
    email = models.EmailField(db_index=True)
    description = models.TextField()
    resolution = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    received_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Complaint #{self.pk}"
