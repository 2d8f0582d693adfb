"""Privacy requests (G1–G10, X2, X3, X5): intake, identity check, deadlines, answer.

A request keeps the identifiers the requester gave (to find and answer them), the subject rows
they were resolved to, its deadlines, and what was done. Of an identity check only the method,
the time, the handler and the result are kept; an uploaded ID copy is stored encrypted and
destroyed after the check.
"""

from __future__ import annotations

import uuid

from django.db import models


class PrivacyRequest(models.Model):
    class Type(models.TextChoices):
        ACCESS = "access", "Access (art. 15)"
        RECTIFICATION = "rectification", "Rectification (art. 16)"
        ERASURE = "erasure", "Erasure (art. 17)"
        WITHDRAWAL = "withdrawal", "Withdrawal of consent (art. 7(3))"
        OBJECTION = "objection", "Objection (art. 21)"
        PORTABILITY = "portability", "Data portability (art. 20)"
        RESTRICTION = "restriction", "Restriction of processing (art. 18)"

    class Channel(models.TextChoices):
        PORTAL = "portal", "Customer portal"
        FORM = "form", "Public form"
        EMAIL = "email", "E-mail"
        POST = "post", "Post"
        PHONE = "phone", "Phone"
        API = "api", "API"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        AWAITING_ID = "awaiting_id", "Awaiting identity check"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        REFUSED = "refused", "Refused"
        # Made on the public form and never confirmed by the requester: closed after 14 days,
        # neither answered nor late (waarborg.privacy.unconfirmed).
        UNCONFIRMED = "unconfirmed", "Closed: not confirmed"

    OPEN_STATUSES = (Status.RECEIVED, Status.AWAITING_ID, Status.IN_PROGRESS)

    class Method(models.TextChoices):
        SESSION = "session", "Signed in to the portal"
        EMAIL_LINK = "email_link", "One-time link to an e-mail address on file"
        ID_DOCUMENT = "id_document", "Redacted copy of an identity document"
        STAFF_CHECK = (
            "staff_check",
            "Checked by the privacy officer (customer number and details only the customer knows)",
        )

    class Ground(models.TextChoices):
        UNVERIFIED = "unverified", "Identity could not be established (art. 12(2), 12(6))"
        MANIFESTLY_UNFOUNDED = "manifestly_unfounded", "Manifestly unfounded (art. 12(5))"
        EXCESSIVE = "excessive", "Excessive, in particular repetitive (art. 12(5))"
        EXEMPTION = "exemption", "A legal exemption applies (art. 17(3), 21(1), UAVG art. 41)"
        OTHER = "other", "Other reason"

    class Plan(models.TextChoices):
        NONE = "", "No plan"
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EXECUTED = "executed", "Executed"

    number = models.CharField(max_length=12, unique=True)
    type = models.CharField(max_length=16, choices=Type.choices, db_index=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    language = models.CharField(max_length=2, default="nl")

    # Deadlines: from the first moment the request reached any channel.
    received_at = models.DateTimeField(db_index=True)
    promise_due = models.DateField(db_index=True)
    legal_due = models.DateField()
    extended_due = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extension_notice_sent_at = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)  # awaiting the identity check
    paused_days = models.PositiveIntegerField(default=0)

    # What the requester gave: to find the subject and to answer them.
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    customer_number = models.CharField(max_length=12, blank=True, db_index=True)
    name = models.CharField(max_length=160, blank=True)
    postcode = models.CharField(max_length=12, blank=True, db_index=True)
    details = models.TextField(blank=True)
    purposes = models.JSONField(default=list, blank=True)  # objection: the purposes (U-ids) to stop
    consent_kinds = models.JSONField(default=list, blank=True)  # withdrawal: consent kinds
    transmit_to = models.CharField(max_length=300, blank=True)  # portability: the organisation named

    # Who it is about (resolved with the subject finder); a request belongs to the person, not to
    # the organisation they work for.
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="privacy_requests"
    )
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="privacy_requests"
    )
    subject_rows = models.JSONField(default=list, blank=True)  # ["customers.Contact:12", ...]
    email_on_file = models.BooleanField(default=False)

    # Handling.
    handler = models.ForeignKey("accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification_method = models.CharField(max_length=12, choices=Method.choices, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Erasure (G3): the engine proposes a plan (categories and counts, never values); staff review it.
    erasure_plan_status = models.CharField(max_length=10, choices=Plan.choices, blank=True, default=Plan.NONE)
    erasure_plan = models.JSONField(default=dict, blank=True)
    erasure_plan_reviewed_at = models.DateTimeField(null=True, blank=True)
    erasure_plan_reviewed_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The answer.
    answer_note = models.TextField(blank=True)
    package_ref = models.CharField(max_length=64, blank=True)  # the access/portability package sent
    refusal_ground = models.CharField(max_length=24, choices=Ground.choices, blank=True)
    refusal_reason = models.TextField(blank=True)
    refusal_justification = models.TextField(blank=True)
    earlier_requests = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    answered_by = models.CharField(max_length=8, blank=True)  # "email" or "post"
    # When the answer or the refusal was sent (mailed, or handed over to be posted that day): what
    # "in time" is judged by (waarborg.privacy.timeliness); closing may come later.
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["status", "promise_due"], name="privacy_req_open_due")]

    def __str__(self):
        return f"PrivacyRequest {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def due(self):
        """The date the answer is legally due: the extended date when extended."""
        return self.extended_due or self.legal_due


class VerificationLink(models.Model):
    """A one-time link: confirm a request from an e-mail address on file, or upload an ID copy.

    Only a keyed hash of the random token is stored. A link expires, works once and locks after
    a few wrong tokens.
    """

    class Kind(models.TextChoices):
        EMAIL_LINK = "email_link", "Confirm by e-mail"
        ID_UPLOAD = "id_upload", "Upload an ID copy"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"VerificationLink #{self.pk}"


class IdDocument(models.Model):
    """An uploaded (redacted) ID copy: encrypted at rest, destroyed after the check or 7 days."""

    class Result(models.TextChoices):
        PENDING = "", "Not reviewed"
        VERIFIED = "verified", "Identity verified"
        REJECTED = "rejected", "Not sufficient"

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="id_documents")
    link = models.ForeignKey(VerificationLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    stored_name = models.CharField(max_length=64, blank=True)  # the encrypted file; "" once destroyed
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    redaction_confirmed = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(db_index=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(max_length=10, choices=Result.choices, blank=True, default=Result.PENDING)
    destroyed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"IdDocument #{self.pk}"


class RectificationProposal(models.Model):
    """One field-level correction the subject asks for (G2), reviewed by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved and applied"
        REJECTED = "rejected", "Rejected"

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="proposals")
    contact = models.ForeignKey("customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    field = models.CharField(max_length=32)
    value = models.CharField(max_length=254, blank=True)  # cleared once applied (the contact holds it)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.TextField(blank=True)
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"RectificationProposal #{self.pk}"


class RecipientNotice(models.Model):
    """A task: tell a recipient of the data about a rectification, erasure or restriction (X3)."""

    class Cause(models.TextChoices):
        RECTIFICATION = "rectification", "Rectification"
        ERASURE = "erasure", "Erasure"
        RESTRICTION = "restriction", "Restriction"

    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Notified"
        WAIVED = "waived", "Waived with a reason"

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey("register.Recipient", on_delete=models.PROTECT, related_name="privacy_notices")
    cause = models.CharField(max_length=16, choices=Cause.choices)
    categories = models.JSONField(default=list)  # D-ids affected
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)  # how it was done, or why it was waived

    def __str__(self):
        return f"RecipientNotice #{self.pk}"


class DeadlineWarning(models.Model):
    """A deadline warning that was sent (each stage once per request)."""

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="warnings")
    stage = models.CharField(max_length=24)
    sent_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "stage"], name="privacy_warning_once")]

    def __str__(self):
        return f"DeadlineWarning #{self.pk}"


class ProcessingStop(models.Model):
    """A purpose switched off for one subject row after an objection or a withdrawal (G4, G5)."""

    request = models.ForeignKey(
        PrivacyRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="processing_stops"
    )
    subject_row = models.CharField(max_length=64, db_index=True)  # "customers.Contact:12"
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="processing_stops"
    )
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="processing_stops"
    )
    purpose = models.CharField(max_length=4)
    bases = models.JSONField(default=list)  # the legal bases it no longer rests on for this subject
    stopped_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"ProcessingStop #{self.pk}"


class Restriction(models.Model):
    """The subject's data is restricted: only stored, not otherwise processed (X2, art. 18)."""

    request = models.ForeignKey(
        PrivacyRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="restrictions"
    )
    subject_row = models.CharField(max_length=64, db_index=True)
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="restrictions"
    )
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="restrictions"
    )
    categories = models.JSONField(default=list)  # D-ids restricted
    started_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    def __str__(self):
        return f"Restriction #{self.pk}"


class DownloadLink(models.Model):
    """A one-time, expiring link to a request's package (portability delivery, art. 20).

    The link goes to the subject, or — when they named one — to the organisation they want the
    data sent to (an e-mail address). Only a keyed hash of the random token is stored; the link
    works once and locks after a few wrong tokens.
    """

    class Recipient(models.TextChoices):
        SUBJECT = "subject", "The data subject"
        ORGANISATION = "organisation", "The organisation the subject named"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="download_links")
    recipient = models.CharField(max_length=12, choices=Recipient.choices)
    sent_to = models.CharField(max_length=300, blank=True)  # the address mailed; "" when posted
    package_name = models.CharField(max_length=64)  # the file under FILES_DIR/packages
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"DownloadLink #{self.pk}"


class PackagePush(models.Model):
    """The package sent straight to the organisation the subject named (HTTPS POST, art. 20(2)).

    A failed push is recorded (a code, never a response body) and can be tried again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Not sent yet"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (can be retried)"

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="package_pushes")
    url = models.CharField(max_length=300)  # the organisation's endpoint, as the subject named it
    package_name = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=64, blank=True)  # "http 503", "timeout", ...
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"PackagePush #{self.pk}"
