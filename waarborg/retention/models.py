from django.db import models


class SweepRun(models.Model):
    """One run of the retention sweep: the day it ran for and what it erased, per rule (counts)."""

    day = models.DateField(db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"SweepRun #{self.pk}"
