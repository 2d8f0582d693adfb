"""`waarborg holidays list|add`: the days equated with holidays by decree (Atw art. 3(3)), per year
with their source; an operator adds a new decree's days without a new release."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock, decreed_days
from waarborg.core.actors import CLI
from waarborg.core.checks import check_decreed_days
from waarborg.core.errors import ValidationError


class Command(BaseCommand):
    help = "The days equated with public holidays by decree (Algemene termijnenwet art. 3(3)): list or add."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every held year's decreed days with their source")
        add = sub.add_parser("add", help="add a year's decreed days to the data directory's list")
        add.add_argument("--year", default="", help="the year the days are in")
        add.add_argument("--day", action="append", default=[], help="a decreed day, YYYY-MM-DD (repeat for more)")
        add.add_argument("--source", default="", help="the decree: its title and where it was published")

    def handle(self, *args, action, **o):
        try:
            if action == "add":
                return self._add(o)
            return self._list()
        except ValidationError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _list(self):
        held = decreed_days.lists(strict=True)
        if not held:
            self.stdout.write("no list of decreed days is held")
        for year, entry in held.items():
            days = ", ".join(f"{d.isoformat()} ({d.strftime('%a')})" for d in entry.days) or "none"
            self.stdout.write(f"{year}: {days}")
            for source, origin in zip(entry.sources, entry.origins, strict=True):
                self.stdout.write(f"      source ({origin}): {source}")
        last = decreed_days.held_through(clock.today().year)
        self.stdout.write(f"held through: {last if last is not None else f'none for {clock.today().year}'}")
        for warning in check_decreed_days(today=clock.today()):
            self.stdout.write(f"warning: {warning.msg}")

    def _add(self, o):
        year, days, source = decreed_days.clean(o["year"], o["day"], o["source"])
        decreed_days.lists(strict=True)  # never add to a file that cannot be read
        new = decreed_days.not_held(year, days)
        if not new:
            self.stdout.write(f"{year}: every day given is held already; nothing written")
            return
        with transaction.atomic():
            audit_record(
                actor=CLI,
                action="holidays.decreed_days.add",
                purpose="U4",
                data={"year": year, "days_added": len(new)},
            )
            decreed_days.write(year, new, source, added_on=clock.today())
        self.stdout.write(f"{year}: added {', '.join(d.isoformat() for d in new)}")
