"""Erasure cases, the erasure ledger and stored files still to be removed.

None of these rows holds a personal value: a case names the subject's rows by id, the ledger
keeps keyed hashes of the identifiers that were erased, and a pending file keeps only its
storage name (declared in the map, removed as soon as the file is gone).
"""

from __future__ import annotations

import uuid

from django.db import models


class ErasureCase(models.Model):
    """One erasure of one data subject (G3, R2, M2): why, by whom, what held it up, how it ended."""

    class Source(models.TextChoices):
        REQUEST = "request", "Erasure request (art. 17)"
        TERMINATION = "termination", "End of the contract (R2)"
        MINOR_REPORT = "minor_report", "Report: a minor's data without consent (M2)"
        CLI = "cli", "Command line"
        REPLAY = "replay", "Replay after restoring a backup"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        COMPLETE = "complete", "Erased, proven by the residual scan"
        INCOMPLETE = "incomplete", "Erased, but the residual scan found data"

    source = models.CharField(max_length=16, choices=Source.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    # The subject as rows, by id: "customers.Customer:12". `subject_ref` is the first of them (the
    # contracting party when there is one) and is what the sweep looks a subject's case up by.
    subject_ref = models.CharField(max_length=80, db_index=True)
    subject_refs = models.JSONField(default=list)
    reason = models.CharField(max_length=200, blank=True)  # no personal values (checked)
    details = models.TextField(blank=True)  # a minor report's circumstances (no personal values, checked)
    hold = models.CharField(max_length=200, blank=True)  # codes of the holds, e.g. "open_claim"
    waive = models.JSONField(default=list)  # hold codes that do not apply to this case
    privacy_request_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    opened_by = models.CharField(max_length=64)
    opened_at = models.DateTimeField()
    held_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict)  # counts per model and action, scan outcome

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"ErasureCase #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.COMPLETE, self.Status.INCOMPLETE)


class LedgerEntry(models.Model):
    """What was erased when, kept apart from backups: after a restore, `erasure replay` redoes it.

    Every entry is also appended to the ledger file outside the database (`in_file`), so that
    restoring an older database does not take the ledger back in time with it.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case_id = models.BigIntegerField(null=True, blank=True)  # no key: the case may go, the entry stays
    source = models.CharField(max_length=16)
    erased_at = models.DateTimeField(db_index=True)
    subjects = models.JSONField(default=list)  # ["customers.Customer:12", ...]
    rows = models.JSONField(default=dict)  # {"label": {"delete": [pk, ...], "update": [...], "restrict": [...]}}
    in_file = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["erased_at", "pk"]

    def __str__(self):
        return f"LedgerEntry #{self.pk}"


class LedgerHash(models.Model):
    """A keyed hash (HMAC) of one identifier of an erased subject: comparable, not readable."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="hashes")
    kind = models.CharField(max_length=16)
    hash = models.CharField(max_length=64, db_index=True)

    def __str__(self):
        return f"LedgerHash #{self.pk}"


class PendingFile(models.Model):
    """A stored file that goes with erased data: created in the erasure's transaction, removed
    once the file is deleted after the commit; a failure is counted and retried daily."""

    name = models.CharField(max_length=300)
    storage = models.CharField(max_length=32, default="default")
    case = models.ForeignKey(ErasureCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="files")
    created_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=120, blank=True)

    def __str__(self):
        return f"PendingFile #{self.pk}"


class VacuumDue(models.Model):
    """A table an erasure touched on PostgreSQL, to be vacuumed by the daily erasure job (with
    WAARBORG_ERASURE_VACUUM=daily): until then the erased values wait in dead row versions,
    invisible to every query. One row per table, however many erasures touched it."""

    table = models.CharField(max_length=128, unique=True)
    since = models.DateTimeField()

    def __str__(self):
        return f"VacuumDue {self.table}"
