from django.db import models

CONSENT_PURPOSES = {
    # kind: (nl, en, purpose ids that rest on it)
    "marketing_email": ("Nieuwsbrief en aanbiedingen per e-mail", "Newsletter and offers by e-mail", ("U6", "U10")),
    "cookies_analytics": ("Analytische cookies", "Analytics cookies", ("U8", "U9")),
    "cookies_marketing": ("Marketingcookies", "Marketing cookies", ("U10",)),
}


class ConsentRecord(models.Model):
    """What was consented to, under which policy version, when; and when it was withdrawn (C1, G4)."""

    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    device_id = models.CharField(max_length=64, blank=True, db_index=True)  # pseudonymous cookie id
    kind = models.CharField(max_length=24, choices=[(k, v[1]) for k, v in CONSENT_PURPOSES.items()])
    granted = models.BooleanField()
    policy_version = models.CharField(max_length=16)
    source = models.CharField(max_length=16, default="portal")
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # M1: under-16s only with a parent's or guardian's recorded consent
    parental_consent_ref = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"ConsentRecord #{self.pk}"
