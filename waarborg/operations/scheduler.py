"""The scheduler: the daily jobs once a day, the queues every minute, the warnings every hour.

`serve()` is the long-running process (`waarborg scheduler`), `run_round()` one round of it
(`waarborg scheduler --once`). A round:

1. the daily run, when it is due: every day from the one after the last finished complete run up
   to the last day whose WAARBORG_DAILY_AT (Europe/Amsterdam) has passed, one by one, under the
   daily lock. A missed day is decided for that day, but what goes out — notices, letters,
   warnings, the provisioning webhook — goes out on the real clock (see waarborg.core.daily);
2. the queues: the dunning notices and the provisioning webhook's outbox (mail that other code
   sends goes out at once, or is retried by the job that sent it);
3. the time-critical warnings (the 72-hour incident clock, privacy-request deadlines): in a
   one-off round always, in the long-running process once an hour.

The queues and warnings are the outgoing daily jobs of those names, run for the real today; a
failure there is logged and tried again on the next round.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Max

from waarborg.core import clock
from waarborg.core.daily import JobsResult, run_jobs
from waarborg.core.errors import ValidationError
from waarborg.operations.locks import DailyRunBusy, daily_lock
from waarborg.operations.models import DailyRun
from waarborg.operations.services import close_interrupted_runs, record_daily_run

log = logging.getLogger(__name__)

EVERY_MINUTE = ("dunning-notices", "provisioning")
EVERY_HOUR = ("privacy-deadlines", "incident-deadlines")
TRIGGER = "scheduler"


@dataclass
class Round:
    runs: list[DailyRun] = field(default_factory=list)
    queues: JobsResult | None = None
    warnings: JobsResult | None = None

    @property
    def failed(self) -> bool:
        parts = [r for r in (self.queues, self.warnings) if r is not None]
        return any(run.failures for run in self.runs) or any(part.failures for part in parts)


def due_day(now: dt.datetime, daily_at: dt.time | None = None) -> dt.date:
    """The last day whose daily time has passed at `now` (Amsterdam time)."""
    daily_at = daily_at or settings.WAARBORG_DAILY_AT
    local = now.astimezone(clock.AMSTERDAM)
    if local.time().replace(tzinfo=None) >= daily_at:
        return local.date()
    return local.date() - dt.timedelta(days=1)


def days_to_run(target: dt.date, *, again: bool = False) -> list[dt.date]:
    """The days to run, oldest first: those after the last finished complete run up to `target`.

    Without any finished run only `target`. With `again`, `target` is run even when it ran before.
    """
    last = (
        DailyRun.objects.filter(partial=False, finished_at__isnull=False, day__lte=target)
        .aggregate(last=Max("day"))
        .get("last")
    )
    if last is None:
        return [target]
    days = [last + dt.timedelta(days=n) for n in range(1, (target - last).days + 1)]
    if again and not days:
        days = [target]
    return days


def check_as_of(day: dt.date) -> dt.date:
    """A day given with --as-of: today or earlier (a future day cannot be run: nothing has happened)."""
    today = clock.today()
    if day > today:
        raise ValidationError(
            "operations.as_of_in_future", {"day": day.isoformat(), "today": today.isoformat()}, field="as_of"
        )
    return day


def daily_round(target: dt.date, *, again: bool = False, wait: float | None = None) -> list[DailyRun]:
    """Run every day that is due up to `target`, one by one, under the daily lock; their records.

    Raises locks.DailyRunBusy when another run keeps the lock longer than `wait` seconds.
    """
    if not days_to_run(target, again=again):
        return []
    runs = []
    with daily_lock(wait):
        close_interrupted_runs()
        for day in days_to_run(target, again=again):  # again: another run may have done some meanwhile
            run = record_daily_run(day, trigger=TRIGGER, live=True)
            log.info(
                "daily run %s for %s: %s in %.1f s%s",
                run.pk,
                day.isoformat(),
                run.status,
                run.duration_seconds or 0.0,
                "".join(f"; {job} failed ({error})" for job, error in sorted(run.failures.items())),
            )
            runs.append(run)
    return runs


def queue_round() -> JobsResult:
    """Send the queued notices and deliver the webhook's outbox, for the real today."""
    return run_jobs(clock.today(), only=list(EVERY_MINUTE), live=True)


def warning_round() -> JobsResult:
    """Send the time-critical warnings that are due, for the real today (each is sent once)."""
    return run_jobs(clock.today(), only=list(EVERY_HOUR), live=True)


def run_round(*, as_of: dt.date | None = None, warnings: bool = True, wait: float | None = None) -> Round:
    """One round: the daily run when due (or up to and including `as_of`), the queues, the warnings."""
    if as_of is not None:
        target, again = check_as_of(as_of), True
    else:
        target, again = due_day(clock.now()), False
    result = Round(runs=daily_round(target, again=again, wait=wait))
    result.queues = queue_round()
    if warnings:
        result.warnings = warning_round()
    return result


def _hour(now: dt.datetime) -> dt.datetime:
    return now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def serve(stop: threading.Event, *, tick_seconds: float = 60.0) -> None:
    """Round after round until `stop` is set: every `tick_seconds`, the warnings once an hour.

    The daily lock held elsewhere longer than the wait ends the process (DailyRunBusy), so that
    its supervisor starts it again later; any other trouble in a round is logged and the next
    round tries again.
    """
    last_warned: dt.datetime | None = None
    log.info("scheduler started: daily jobs at %s Europe/Amsterdam", settings.WAARBORG_DAILY_AT.strftime("%H:%M"))
    while not stop.is_set():
        started = time.monotonic()
        hour = _hour(clock.now())
        try:
            run_round(warnings=hour != last_warned)
            last_warned = hour
        except DailyRunBusy:
            raise
        except Exception as exc:  # noqa: BLE001 (the database away for a moment: try again next round)
            log.error("scheduler round failed (%s); trying again in the next round", type(exc).__name__, exc_info=True)
        finally:
            close_old_connections()
        stop.wait(max(tick_seconds - (time.monotonic() - started), 0.0))
    log.info("scheduler stopped")
