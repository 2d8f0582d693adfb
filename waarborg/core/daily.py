"""Date-driven jobs: each app registers its jobs here; `waarborg daily --as-of DATE` runs them all.

A job takes the day it runs for and returns counts of what it did, e.g. {"reminders": 3}. Jobs
must be idempotent: running the same day twice does nothing the second time. They take "today"
from the argument (and waarborg.core.clock, which the command moves), never from the wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

Job = Callable[[dt.date], dict[str, int]]


@dataclass(frozen=True)
class DailyJob:
    name: str
    order: int
    func: Job


_JOBS: dict[str, DailyJob] = {}


def daily_job(name: str, *, order: int = 100):
    """Register a job; lower `order` runs first (e.g. payments before dunning before retention)."""

    def register(func: Job) -> Job:
        _JOBS[name] = DailyJob(name, order, func)
        return func

    return register


def jobs() -> list[DailyJob]:
    return sorted(_JOBS.values(), key=lambda j: (j.order, j.name))


def run_daily(day: dt.date, *, only: list[str] | None = None) -> dict[str, dict[str, int]]:
    from waarborg.core import clock

    results: dict[str, dict[str, int]] = {}
    with clock.as_of(day):
        for job in jobs():
            if only and job.name not in only:
                continue
            results[job.name] = job.func(day) or {}
    return results
