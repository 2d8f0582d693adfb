"""What an operator watches: every daily run and every check of the audit chain, as records.

Neither holds personal data: days, times, job names, counts and fixed problem texts only.
"""

from __future__ import annotations

from django.db import models


class DailyRun(models.Model):
    """One run of the daily jobs for one day (`waarborg daily`, or the scheduler)."""

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        OK = "ok", "ok"
        FAILED = "failed", "failed"

    day = models.DateField(db_index=True)  # the day the jobs ran for (--as-of)
    trigger = models.CharField(max_length=20, default="command")  # command | scheduler
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING, db_index=True)
    counts = models.JSONField(default=dict, blank=True)  # {job: {count name: number}}
    failures = models.JSONField(default=dict, blank=True)  # {job: exception class name}
    partial = models.BooleanField(default=False)  # only some jobs ran (--only): the day is not done
    host = models.CharField(max_length=100, blank=True)  # the machine and process that ran it
    pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class AuditCheck(models.Model):
    """The stored result of one full verification of the audit trail's hash chain."""

    checked_at = models.DateTimeField(db_index=True)
    ok = models.BooleanField()
    events = models.PositiveBigIntegerField(default=0)
    problem = models.CharField(max_length=200, blank=True)  # e.g. "event #12 was changed …": ids only

    class Meta:
        ordering = ["-checked_at"]
