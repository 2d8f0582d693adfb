from django.core.management.base import BaseCommand, CommandError

from waarborg.core import clock
from waarborg.core.daily import jobs
from waarborg.core.errors import ValidationError
from waarborg.operations.locks import DailyRunBusy
from waarborg.operations.services import DailyJobsFailed, run_daily_recorded


class Command(BaseCommand):
    help = "Run every date-driven job (retention, deadlines, dunning) for one day; safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="the day to run for (YYYY-MM-DD); default today in Amsterdam")
        parser.add_argument("--only", action="append", help="run only this job (repeatable)")

    def handle(self, *args, as_of=None, only=None, **options):
        try:
            day = clock.parse_date(as_of) if as_of else clock.today()
        except ValidationError as exc:
            raise CommandError(str(exc), returncode=2) from None
        known = {j.name for j in jobs()}
        for name in only or []:
            if name not in known:
                raise CommandError(f"unknown job {name!r}; known: {', '.join(sorted(known)) or 'none'}", returncode=2)
        try:
            results = run_daily_recorded(day, only=only)
        except DailyRunBusy as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from None
        except DailyJobsFailed as exc:
            self._report(day, exc.run.counts)
            raise CommandError(str(exc), returncode=1) from None
        self._report(day, results)

    def _report(self, day, results):
        self.stdout.write(f"daily run for {day.isoformat()}")
        for name, counts in results.items():
            summary = ", ".join(f"{k}={v}" for k, v in counts.items()) or "nothing to do"
            self.stdout.write(f"  {name}: {summary}")
