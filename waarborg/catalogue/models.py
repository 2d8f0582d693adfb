from django.db import models

# The service kinds of the statement (S1), and the personal data each needs for delivery.
PRODUCT_KINDS: dict[str, dict] = {
    "website": {"nl": "Website", "en": "Website", "data": ["D1", "D2", "D3"]},
    "webhosting": {"nl": "Webhosting", "en": "Web hosting", "data": ["D1", "D2", "D3", "D5", "D6", "D10"]},
    "email_hosting": {
        "nl": "E-mailhosting",
        "en": "E-mail hosting",
        "data": ["D1", "D2", "D3", "D5", "D6", "D10", "D11"],
    },
    "vps": {"nl": "CloudinVPS", "en": "CloudinVPS (virtual server)", "data": ["D1", "D2", "D3", "D5", "D6", "D10"]},
    "domain": {"nl": "Domeinnaamregistratie", "en": "Domain name registration", "data": ["D1", "D2", "D3", "D4"]},
    "backup": {
        "nl": "Online cloudopslag / back-up",
        "en": "Online cloud storage / backup",
        "data": ["D1", "D3", "D5", "D10"],
    },
    "email_security": {
        "nl": "E-mail Security Gateway",
        "en": "E-mail security gateway",
        "data": ["D1", "D3", "D6", "D10", "D11"],
    },
    "ssl": {"nl": "SSL-certificaat", "en": "SSL certificate", "data": ["D1", "D2", "D3", "D4"]},
    "marketing": {"nl": "Online marketing", "en": "Online marketing", "data": ["D1", "D3", "D8"]},
    "development": {
        "nl": "Ontwikkeling websites en webshops",
        "en": "Website and webshop development",
        "data": ["D1", "D2", "D3", "D4", "D8"],
    },
    "applications": {"nl": "Applicaties en content", "en": "Applications and content", "data": ["D1", "D3", "D5"]},
}


class Product(models.Model):
    code = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=20, choices=[(k, v["en"]) for k, v in PRODUCT_KINDS.items()])
    name = models.CharField(max_length=120)
    monthly_price = models.DecimalField(max_digits=10, decimal_places=2)
    active = models.BooleanField(default=True)

    def __str__(self):
        return self.name

    @property
    def personal_data_needed(self) -> list[str]:
        return PRODUCT_KINDS[self.kind]["data"]


class Subscription(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        BLOCKED = "blocked", "Blocked"
        CANCELLED = "cancelled", "Cancelled"

    class BlockReason(models.TextChoices):
        NONE = "", "—"
        NON_PAYMENT = "non_payment", "Non-payment"
        ABUSE = "abuse", "Abuse"
        CUSTOMER_REQUEST = "customer_request", "Customer request"
        OTHER = "other", "Other"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="subscriptions")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="subscriptions")
    # The domain, host name or label of the service; a domain may name a private person.
    label = models.CharField(max_length=253, blank=True, db_index=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    block_reason = models.CharField(max_length=20, choices=BlockReason.choices, blank=True, default="")

    def __str__(self):
        return f"Subscription #{self.pk}"
