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
