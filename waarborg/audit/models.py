from django.db import models


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail.

    Holds who did what, why, and to which object ids — never a personal value, so that erasure
    never has to rewrite history. The database refuses UPDATE and DELETE on this table
    (triggers in the migration); `waarborg audit verify` detects what the triggers cannot stop.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=64)  # "account:12", "system", "cli"
    action = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=8, blank=True)  # U-id
    reason = models.CharField(max_length=200, blank=True)
    object_type = models.CharField(max_length=64, blank=True, db_index=True)
    object_ids = models.JSONField(default=list)
    subject_ref = models.CharField(max_length=64, blank=True, db_index=True)  # e.g. customer:12
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self):
        return f"AuditEvent #{self.seq}"


class AuditHead(models.Model):
    """The chain's head (one row): the lock writers take, and the proof that no tail was cut."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The id (waarborg.core.crypto.key_id) of the audit key the chain's last segment is under: a
    # new key starts a new segment with a boundary event chained under both keys.
    key_id = models.CharField(max_length=16, blank=True, default="")

    def __str__(self):
        return f"AuditHead {self.seq}"
