from django.db import models

from waarborg.core.datamap import CATEGORIES, RECIPIENT_CATEGORIES


class Recipient(models.Model):
    """A processor or third party that receives personal data (T2, T3)."""

    class Kind(models.TextChoices):
        PROCESSOR = "processor", "Processor"
        THIRD_PARTY = "third_party", "Third party (controller)"

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    category = models.CharField(max_length=32, choices=[(k, v[1]) for k, v in RECIPIENT_CATEGORIES.items()])
    purpose = models.CharField(max_length=300)
    data_categories = models.JSONField(default=list)  # D-ids it receives
    country = models.CharField(max_length=2, default="NL")
    agreement_signed_at = models.DateField(null=True, blank=True)
    agreement_expires_at = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.name

    def agreement_valid_on(self, day) -> bool:
        if self.kind == self.Kind.PROCESSOR and self.agreement_signed_at is None:
            return False
        if self.agreement_signed_at and self.agreement_signed_at > day:
            return False
        return self.agreement_expires_at is None or self.agreement_expires_at >= day

    def clean_categories(self):
        return [c for c in self.data_categories if c in CATEGORIES]


class ProcessorAgreement(models.Model):
    """A customer's acceptance of the processing agreement (art. 28, X7).

    As a host we process the personal data in the customer's own sites and mailboxes on their
    behalf: the customer is the controller and we are their processor. One row per version
    accepted; the newest row is the agreement in force.
    """

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="processor_agreements")
    version = models.CharField(max_length=16)
    accepted_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="processor_agreements"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "version"], name="one_acceptance_per_version")]

    def __str__(self):
        return f"ProcessorAgreement #{self.pk}"


class SubprocessorChange(models.Model):
    """A sub-processor added or removed, announced to the customers before it takes effect
    (art. 28(2) and (4)): they may object until `effective_on`."""

    class Change(models.TextChoices):
        ADDED = "added", "Added"
        REMOVED = "removed", "Removed"

    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="changes")
    change = models.CharField(max_length=8, choices=Change.choices)
    effective_on = models.DateField()
    announced_at = models.DateTimeField()
    customers_told = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"SubprocessorChange #{self.pk}"
