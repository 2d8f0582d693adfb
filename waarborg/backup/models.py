"""What key the stored data is under, and the record of key rotations.

No personal data: kinds, key ids (waarborg.core.crypto.key_id, which reveal nothing of a key),
times and counts.
"""

from django.db import models

KINDS = ("encryption", "identifier", "audit")


class KeyState(models.Model):
    """The key a kind of stored data is under (written in the transaction that put it there).

    It travels inside every backup, so that a restore knows which key the restored data needs."""

    kind = models.CharField(max_length=16, unique=True)
    key_id = models.CharField(max_length=16)
    since = models.DateTimeField()

    def __str__(self):
        return f"{self.kind}: {self.key_id}"


class KeyRotation(models.Model):
    """One run of `waarborg keys rotate`: from which key to which, when, and what it changed."""

    kind = models.CharField(max_length=16)
    from_key = models.CharField(max_length=16)
    to_key = models.CharField(max_length=16)
    actor = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.kind} {self.from_key} -> {self.to_key}"
