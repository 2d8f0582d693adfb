"""Dunning as explainable, contestable automated decisions (A1–A5, X4).

- `Ladder` / `LadderVersion`: the steps (day offsets from the due date) and settings, as data.
  Every edit makes a new version; a case keeps the version it was opened with, and every
  decision names the version it used.
- `Case`: one customer's unpaid, overdue invoices on their way down a ladder. The daily run reads
  only the open cases and the overdue invoices (never all customers).
- `Decision`: each step, automated or by a person: the facts used, the rule, the outcome and the
  next step with its date; rendered in Dutch or English from these facts.
- `Notice`: the e-mail a decision sends; `Contest` and `Approval`: the human in the loop;
  `CaseFile`: what a bailiff receives; `ProvisioningMessage`: the webhook outbox.
"""

from django.db import models
from django.db.models import Q


class Ladder(models.Model):
    """A named ladder for one market (business or consumer); its steps live in its versions."""

    key = models.SlugField(max_length=40, unique=True)
    market = models.CharField(max_length=3, unique=True)  # customers.Customer.Market
    name_nl = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)

    def __str__(self):
        return self.key

    def current(self) -> "LadderVersion":
        return self.versions.order_by("-version").first()


class LadderVersion(models.Model):
    """One version of a ladder; never changed once written.

    `steps`: [{"key": "reminder-1", "kind": "reminder", "day": 7}, ...] in order of day.
    `settings`: block_scope, block_notice_days, cancel_silence_days, cost_rule, cost_vat_rate.
    """

    ladder = models.ForeignKey(Ladder, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    steps = models.JSONField()
    settings = models.JSONField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ladder", "version"], name="dunning_ladder_version_unique")]

    def __str__(self):
        return f"{self.ladder_id} v{self.version}"

    @property
    def label(self) -> str:
        return f"{self.ladder.key} v{self.version}"


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"  # the ladder runs
        PAUSED = "paused", "Paused (contested)"  # until a named employee decides
        WAITING = "waiting", "Waiting for approval"  # bailiff hand-off or cancellation
        DONE = "done", "Ladder finished"  # every step taken, still unpaid
        CLOSED = "closed", "Closed"

    ACTIVE = (Status.OPEN, Status.PAUSED, Status.WAITING, Status.DONE)

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="dunning_cases")
    ladder_version = models.ForeignKey(LadderVersion, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, blank=True)
    # The due date of the oldest invoice still open: the day offsets count from it.
    anchor_date = models.DateField()
    next_index = models.PositiveSmallIntegerField(default=0)  # the ladder step to take next
    next_step_on = models.DateField(null=True, blank=True)
    last_effective_on = models.DateField(null=True, blank=True)  # the last step took effect (notice sent)
    last_notice_on = models.DateField(null=True, blank=True)  # the last step's notice (contest link) went out
    pending_notice = models.BooleanField(default=False)  # the last step's notice has not gone out yet
    shift_days = models.PositiveIntegerField(default=0)  # days the case was paused
    paused_on = models.DateField(null=True, blank=True)
    # Collection costs, once announced (consumer: the 14-day letter; business: the fixed sum).
    costs_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    costs_from = models.DateField(null=True, blank=True)
    costs_invoices = models.JSONField(default=list, blank=True)
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    class Meta:
        indexes = [models.Index(fields=["status", "next_step_on"], name="dunning_case_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=~Q(status="closed"), name="dunning_one_active_case_per_customer"
            )
        ]

    def __str__(self):
        return f"Case #{self.pk}"


class Decision(models.Model):
    """One decision about a case: a ladder step, or a person's decision; never changed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    ladder_version = models.ForeignKey(LadderVersion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24)
    step_index = models.PositiveSmallIntegerField(null=True, blank=True)
    step_key = models.CharField(max_length=40, blank=True)
    rule = models.CharField(max_length=200)
    facts = models.JSONField(default=dict)
    outcome = models.CharField(max_length=32)
    outcome_data = models.JSONField(default=dict, blank=True)
    next_kind = models.CharField(max_length=24, blank=True)
    next_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField()
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)  # a person's reason, sent to the customer
    key = models.CharField(max_length=80, unique=True)  # idempotency: one decision per step
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    class Meta:
        indexes = [models.Index(fields=["case", "decided_at"], name="dunning_decision_case")]

    def __str__(self):
        return f"Decision #{self.pk}"

    @property
    def automated(self) -> bool:
        return self.decided_by_id is None


class Notice(models.Model):
    """The e-mail a decision sends, queued in the run and sent with retries; or a letter by post.

    A consumer's fourteen-day letter goes by e-mail only when the customer agreed to written
    notices by e-mail (customers.NoticeAgreement); otherwise it waits to be printed and posted
    (`TO_POST`), finance records the day it was posted (`posted_on`), and the term counts from then.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        TO_POST = "to_post", "Waiting to be posted"
        SENT = "sent", "Sent"
        UNDELIVERABLE = "undeliverable", "No address to send to"
        WITHDRAWN = "withdrawn", "Not sent: the case was closed first"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        POST = "post", "Post"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="notice")
    kind = models.CharField(max_length=24)
    gates_next_step = models.BooleanField(default=False)  # the next step waits until this one is sent
    contact = models.ForeignKey("customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the notice stated, computed on the day it went out.
    next_on = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    costs_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    key = models.CharField(max_length=90, unique=True)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL, db_default="email")
    # A letter by post: the day finance posted it, who recorded that, and when.
    posted_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posting_recorded_at = models.DateTimeField(null=True, blank=True)
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="dunning_notice_queue")]

    def __str__(self):
        return f"Notice #{self.pk}"


class Contest(models.Model):
    """A customer contests a step or asks for a person (art. 22(3) GDPR); the case pauses."""

    class Kind(models.TextChoices):
        CONTEST = "contest", "Contest"
        PERSON = "person", "Ask for a person"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a decision"
        UPHELD = "upheld", "Upheld"
        REJECTED = "rejected", "Rejected"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contests")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    via_decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement = models.TextField(blank=True)
    received_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    decided_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["via_decision", "kind"], name="dunning_contest_link_used_once"),
        ]

    def __str__(self):
        return f"Contest #{self.pk}"


class Hold(models.Model):
    """An invoice taken out of dunning by a person's decision (an upheld contest) until released:
    the daily run does not start over on a claim an employee found wrong."""

    invoice = models.ForeignKey("billing.Invoice", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(Contest, null=True, blank=True, on_delete=models.SET_NULL, related_name="holds")
    created_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(released_at__isnull=True), name="dunning_one_hold_per_invoice"
            )
        ]

    def __str__(self):
        return f"Hold #{self.pk}"


class Approval(models.Model):
    """A step that needs a person: the bailiff hand-off always, a cancellation after a response."""

    class Kind(models.TextChoices):
        BAILIFF = "bailiff", "Bailiff hand-off"
        CANCEL = "cancel", "Cancellation"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn (case closed)"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="approvals")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="approval")
    requested_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    recipient = models.ForeignKey(
        "register.Recipient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    def __str__(self):
        return f"Approval #{self.pk}"


class CaseFile(models.Model):
    """The case file a bailiff receives: a disclosure to a registered recipient (T3)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_files")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    approval = models.OneToOneField(Approval, on_delete=models.PROTECT, related_name="case_file")
    recipient = models.ForeignKey("register.Recipient", on_delete=models.PROTECT, related_name="+")
    handed_on = models.DateField()
    content = models.JSONField()
    text = models.TextField()
    # Where it was sent (the bailiff's office address, given at the approval), and when.
    sent_to = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    restricted_at = models.DateTimeField(null=True, blank=True, db_index=True)  # locked away by an erasure (R4)

    def __str__(self):
        return f"CaseFile #{self.pk}"


class NoticePreference(models.Model):
    """The language a customer wants dunning notices in (Dutch when none is set)."""

    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="notice_preference")
    language = models.CharField(max_length=2, default="nl")

    def __str__(self):
        return f"NoticePreference #{self.pk}"


class ProvisioningMessage(models.Model):
    """The webhook outbox: block/unblock/cancel a service on the provisioning platform.

    Written in the transaction of the decision; delivered by the daily run and on demand, with
    retries and backoff; the key travels in the message so the receiver does nothing twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"

    key = models.CharField(max_length=120, unique=True)
    action = models.CharField(max_length=8)
    subscription = models.ForeignKey("catalogue.Subscription", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="dunning_outbox_queue")]

    def __str__(self):
        return f"ProvisioningMessage #{self.pk}"
