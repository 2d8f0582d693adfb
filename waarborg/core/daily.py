"""Date-driven jobs: each app registers its jobs here; `waarborg daily --as-of DATE` runs them all.

A job takes the day it runs for and returns counts of what it did, e.g. {"reminders": 3}. Jobs
must be idempotent: running the same day twice does nothing the second time. They take "today"
from the argument (and waarborg.core.clock, which the command moves), never from the wall clock.

One failing job does not stop the others: `run_jobs` records its exception and goes on.

An *outgoing* job sends or publishes what is already decided (queued notices, the webhook's
outbox, warnings, the statement). When the scheduler catches up a missed day (`live`), the other
jobs decide for that day, but the outgoing ones run on the real clock: whatever goes out to
people is dated, and its terms counted, from the day it really goes out, never from a past day.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from waarborg.core import clock

Job = Callable[[dt.date], dict[str, int]]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str
    order: int
    func: Job
    outgoing: bool = False


_JOBS: dict[str, DailyJob] = {}


def daily_job(name: str, *, order: int = 100, outgoing: bool = False):
    """Register a job; lower `order` runs first (e.g. payments before dunning before retention).

    `outgoing`: the job sends or publishes what other jobs decided; see the module's docstring.
    """

    def register(func: Job) -> Job:
        _JOBS[name] = DailyJob(name, order, func, outgoing)
        return func

    return register


def jobs() -> list[DailyJob]:
    return sorted(_JOBS.values(), key=lambda j: (j.order, j.name))


@dataclass
class JobsResult:
    """Counts of the jobs that finished, and the exception of each job that failed."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: dict[str, BaseException] = field(default_factory=dict)


def run_jobs(day: dt.date, *, only: list[str] | None = None, live: bool = False) -> JobsResult:
    """Run every job (or `only` these) for `day`, each on its own: a failure is kept, not raised.

    Without `live` every job runs with the clock moved to `day` (`waarborg daily --as-of`). With
    `live` (the scheduler, which never runs a future day): for today every job runs on the real
    clock; for a missed day the deciding jobs run with the clock moved to it and the outgoing
    ones on the real clock, for the real today.
    """
    result = JobsResult()
    real_today = clock.today()
    today_live = live and day == real_today
    catching_up = live and day < real_today
    for job in jobs():
        if only and job.name not in only:
            continue
        if today_live or (catching_up and job.outgoing):
            moved, argument = clock.as_of(None), real_today
        else:
            moved, argument = clock.as_of(day), day
        try:
            with moved:
                result.counts[job.name] = job.func(argument) or {}
        except Exception as exc:  # one job's failure is recorded; the others still run
            log.error("daily job %s failed for %s (%s)", job.name, day.isoformat(), type(exc).__name__, exc_info=True)
            result.failures[job.name] = exc
    return result


def run_daily(day: dt.date, *, only: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Run the jobs for `day` with the clock moved to it; counts per job.

    Every job runs even when an earlier one fails; the first failure is raised afterwards.
    """
    result = run_jobs(day, only=only)
    if result.failures:
        raise next(iter(result.failures.values()))
    return result.counts
