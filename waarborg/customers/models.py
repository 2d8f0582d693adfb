from django.db import models


class Customer(models.Model):
    """The contracting party: an organisation, a sole trader or a private person."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        SOLE_TRADER = "sole_trader", "Sole trader"
        PRIVATE = "private", "Private person"

    class Market(models.TextChoices):
        B2B = "b2b", "Business"
        B2C = "b2c", "Consumer"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        TERMINATING = "terminating", "Terminating"
        ENDED = "ended", "Ended"

    NATURAL_PERSON_KINDS = (Kind.SOLE_TRADER, Kind.PRIVATE)

    number = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # B2B only with evidence (a KvK or VAT number); in doubt a customer is a consumer (WIK).
    market = models.CharField(max_length=3, choices=Market.choices, default=Market.B2C)
    name = models.CharField(max_length=200)
    kvk_number = models.CharField(max_length=8, blank=True)
    vat_number = models.CharField(max_length=14, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    created_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set when an erasure kept this row for a legal term: hidden from every screen, list and export;
    # only the fiscal archive (finance_archive role, with a reason) opens it (R4).
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"Customer #{self.pk}"

    @property
    def is_natural_person(self) -> bool:
        return self.kind in self.NATURAL_PERSON_KINDS


class Contact(models.Model):
    """A contact person of a customer (D2–D4)."""

    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary"
        BILLING = "billing", "Billing"
        TECHNICAL = "technical", "Technical"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PRIMARY)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=120)
    street = models.CharField(max_length=160, blank=True)
    postcode = models.CharField(max_length=12, blank=True, db_index=True)
    town = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=2, default="NL")
    email = models.EmailField(db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["postcode", "last_name"], name="contact_postcode_name")]

    def __str__(self):
        return f"Contact #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Document(models.Model):
    """A document made for a customer's assignment (D8): designs, configurations, reports."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, default="other")
    file = models.FileField(upload_to="documents/%Y/", blank=True)
    created_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # Set when an erasure kept this row for a legal term: hidden from every screen, list and export;
    # only the fiscal archive (finance_archive role, with a reason) opens it (R4).
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"Document #{self.pk}"


class ContactHistory(models.Model):
    """The value a contact field had before a correction, kept briefly to undo an abuse."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="history")
    field = models.CharField(max_length=32)
    old_value = models.CharField(max_length=254, blank=True)
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"ContactHistory #{self.pk}"


class NoticeAgreement(models.Model):
    """The customer agreed that notices the law wants in writing — the fourteen-day letter of
    art. 6:96(6) BW — may reach them by e-mail (art. 6:227a BW): a term of their contract or an
    agreement they gave, with its date and where it is to be found. Without one standing on the
    day, such a letter goes by post."""

    class Source(models.TextChoices):
        CONTRACT = "contract", "A term of the contract"
        CONSENT = "consent", "Agreement recorded separately"

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="notice_agreement")
    source = models.CharField(max_length=8, choices=Source.choices)
    agreed_on = models.DateField()
    # Where it is found: the terms and their article, or how the agreement was given.
    reference = models.CharField(max_length=120)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"NoticeAgreement #{self.pk}"

    def stands_on(self, day) -> bool:
        return self.agreed_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)
