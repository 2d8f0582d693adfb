from django.db import models


class JobApplication(models.Model):
    """A response to a vacancy (U13); deleted 4 weeks after the procedure, 1 year with consent."""

    class AgeBand(models.TextChoices):
        UNDER_16 = "under_16", "Under 16"
        FROM_16_TO_17 = "16_17", "16–17"
        ADULT = "18_plus", "18 or older"

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=120)
    email = models.EmailField(db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    postcode = models.CharField(max_length=12, blank=True, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)
    parental_consent_ref = models.CharField(max_length=64, blank=True)
    position = models.CharField(max_length=120)
    motivation = models.TextField(blank=True)
    cv = models.FileField(upload_to="applications/%Y/", blank=True)
    received_at = models.DateTimeField()
    procedure_closed_at = models.DateTimeField(null=True, blank=True)
    keep_consent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"JobApplication #{self.pk}"
