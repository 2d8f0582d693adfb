"""`waarborg scheduler [--once [--as-of DATE]]`: see waarborg.operations.scheduler."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.operations import scheduler
from waarborg.operations.locks import DailyRunBusy


class Command(BaseCommand):
    help = (
        "Run the daily jobs once a day at WAARBORG_DAILY_AT, the queues every minute and the warnings "
        "every hour; --once does one round and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="do one round (daily run when due, queues, warnings)")
        parser.add_argument("--as-of", help="with --once: run the daily jobs up to and including this day (YYYY-MM-DD)")

    def handle(self, *args, once=False, as_of=None, **options):
        try:
            day = clock.parse_date(as_of) if as_of is not None else None
            if day is not None and not once:
                raise ValidationError("operations.as_of_without_once", field="as_of")
            if day is not None:
                scheduler.check_as_of(day)
        except ValidationError as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            if once:
                self._once(day)
            else:
                self._serve()
        except DailyRunBusy as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from None

    def _once(self, day):
        result = scheduler.run_round(as_of=day)
        for run in result.runs:
            self.stdout.write(f"daily run {run.pk} for {run.day.isoformat()}: {run.status}")
            for name, counts in run.counts.items():
                self.stdout.write(f"  {name}: {_summary(counts)}")
            for name, error in sorted(run.failures.items()):
                self.stdout.write(f"  {name}: failed ({error})")
        if not result.runs:
            self.stdout.write("daily run: nothing due")
        for label, part in (("queues", result.queues), ("warnings", result.warnings)):
            self.stdout.write(f"{label}:")
            for name, counts in part.counts.items():
                self.stdout.write(f"  {name}: {_summary(counts)}")
            for name, exc in sorted(part.failures.items()):
                self.stdout.write(f"  {name}: failed ({type(exc).__name__})")
        if result.failed:
            raise CommandError("one or more jobs failed; see above", returncode=1)

    def _serve(self):
        stop = threading.Event()

        def ask_to_stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, ask_to_stop)
        signal.signal(signal.SIGINT, ask_to_stop)
        scheduler.serve(stop)


def _summary(counts: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in counts.items()) or "nothing to do"
