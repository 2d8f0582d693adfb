"""The register of incidents and personal-data breaches (B6, X6; GDPR art. 33–34).

Every report of suspected misuse becomes an incident; the privacy officer assesses whether it
is a personal-data breach and how great the risk is. The record is kept whether or not it is
reported (art. 33(5)): the facts, the effects and the remedy, and the reasons for the decision.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

# GDPR art. 33(1): the authority is notified within 72 hours of becoming aware, weekends included.
NOTIFY_HOURS = 72

# Every report is triaged within 24 calendar hours of receipt, weekends included: a working day
# would let a report received on a Friday evening wait until Monday, while the 72 hours of a
# breach found in it would be running from the weekend. Untriaged reports head the register.
TRIAGE_HOURS = 24


class Incident(models.Model):
    class Channel(models.TextChoices):
        FORM = "form", "Public form"
        PORTAL = "portal", "Portal"
        STAFF = "staff", "Staff"
        SYSTEM = "system", "System"

    class Status(models.TextChoices):
        NEW = "new", "New, not assessed yet"
        ASSESSED = "assessed", "Assessed"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.NEW, Status.ASSESSED)

    class Kind(models.TextChoices):
        # The triage: only a personal-data breach has the 72-hour clock and the notifications.
        ABUSE = "abuse", "Abuse (spam, phishing on a customer's site)"
        SECURITY = "security", "Security incident, no personal data involved"
        BREACH = "breach", "Personal-data breach (suspected)"

    class Risk(models.TextChoices):
        NONE = "none", "Unlikely to result in a risk"
        RISK = "risk", "A risk to people"
        HIGH = "high", "A high risk to people"

    class Informed(models.TextChoices):
        EMAIL = "email", "By e-mail"
        LETTER = "letter", "By letter"
        PHONE = "phone", "By phone"
        PUBLIC = "public", "Public communication (art. 34(3)(c))"

    class NoNoticeGround(models.TextChoices):
        # GDPR art. 34(3): why the people affected need not be told individually.
        UNINTELLIGIBLE = "unintelligible", "The data was unintelligible, e.g. encrypted (art. 34(3)(a))"
        RISK_REMOVED = "risk_removed", "Later measures removed the high risk (art. 34(3)(b))"
        DISPROPORTIONATE = "disproportionate", "Disproportionate effort; a public notice instead (art. 34(3)(c))"

    number = models.CharField(max_length=12, unique=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    received_at = models.DateTimeField()
    # The triage ("": not triaged yet). A report from outside is triaged by the privacy officer;
    # staff register an incident triaged (a suspected breach unless they say otherwise).
    kind = models.CharField(max_length=8, choices=Kind.choices, blank=True, db_index=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triage_reasons = models.TextField(blank=True)  # why this kind; for a breach, why aware from then
    # The 72-hour clock counts from here: the moment of reasonable certainty, not the end of
    # the investigation; only for a breach (None otherwise), never after the triage nor before receipt.
    aware_at = models.DateTimeField(null=True, blank=True, db_index=True)
    description = models.TextField()
    reporter_email = models.EmailField(blank=True, db_index=True)  # only for replies to the reporter
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The assessment (the privacy officer's); None: not assessed yet.
    is_breach = models.BooleanField(null=True, blank=True)
    risk = models.CharField(max_length=8, choices=Risk.choices, blank=True)
    categories = models.JSONField(default=list, blank=True)  # D1–D11
    subjects_count = models.PositiveIntegerField(null=True, blank=True)  # approximate
    consequences = models.TextField(blank=True)
    measures = models.TextField(blank=True)
    assessment_reasons = models.TextField(blank=True)  # why this risk, why (not) reported
    assessed_at = models.DateTimeField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Art. 33: the notification to the Autoriteit Persoonsgegevens.
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    authority_reference = models.CharField(max_length=64, blank=True)
    delay_reasons = models.TextField(blank=True)

    # Art. 34: the people affected, told — or why not.
    subjects_informed_at = models.DateTimeField(null=True, blank=True)
    subjects_informed_how = models.CharField(max_length=8, choices=Informed.choices, blank=True)
    no_notice_ground = models.CharField(max_length=16, choices=NoNoticeGround.choices, blank=True)
    no_notice_reason = models.TextField(blank=True)

    conclusion = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-received_at", "-pk")

    def __str__(self):
        return f"Incident {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_triaged(self) -> bool:
        return bool(self.kind)

    @property
    def is_breach_kind(self) -> bool:
        """Triaged as a (suspected) personal-data breach: the 72-hour clock applies."""
        return self.kind == self.Kind.BREACH

    @property
    def triage_due_at(self) -> dt.datetime:
        return self.received_at + dt.timedelta(hours=TRIAGE_HOURS)

    @property
    def is_assessed(self) -> bool:
        return self.is_breach is not None

    @property
    def reportable(self) -> bool:
        """A breach must be notified unless it is unlikely to result in a risk (art. 33(1))."""
        return bool(self.is_breach) and self.risk in (self.Risk.RISK, self.Risk.HIGH)

    @property
    def high_risk(self) -> bool:
        return bool(self.is_breach) and self.risk == self.Risk.HIGH

    @property
    def due_at(self) -> dt.datetime | None:
        """The 72-hour deadline; None while there is no clock (not triaged, or not a breach)."""
        if self.aware_at is None:
            return None
        return self.aware_at + dt.timedelta(hours=NOTIFY_HOURS)

    @property
    def subjects_settled(self) -> bool:
        return self.subjects_informed_at is not None or bool(self.no_notice_ground)


class IncidentWarning(models.Model):
    """A 72-hour warning that was sent (each stage once per incident)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="warnings")
    stage = models.CharField(max_length=12)
    sent_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "stage"], name="incidents_warning_once")]

    def __str__(self):
        return f"IncidentWarning #{self.pk}"


# As the host of customers' own sites and mailboxes we are their processor: a breach that touches
# that data is told to each customer (the controller) without undue delay (art. 33(2)); the
# processing agreement promises it within this many hours of becoming aware.
CUSTOMER_NOTICE_HOURS = 24


class CustomerNotice(models.Model):
    """A customer told of a breach in the data we process for them (art. 33(2), X7)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="customer_notices")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="incident_notices")
    told_at = models.DateTimeField()
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "customer"], name="incidents_customer_told_once")]

    def __str__(self):
        return f"CustomerNotice #{self.pk}"

    @property
    def in_time(self) -> bool:
        return self.told_at <= self.incident.aware_at + dt.timedelta(hours=CUSTOMER_NOTICE_HOURS)
