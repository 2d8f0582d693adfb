from django.core.management.base import BaseCommand, CommandError

from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.errors import ValidationError
from waarborg.register.models import Recipient, SubprocessorChange
from waarborg.register.selectors import subprocessor_changes_upcoming, subprocessors_in_force
from waarborg.register.services import subprocessor_change_announce


class Command(BaseCommand):
    help = "Sub-processors for customers' own data: list them, or announce a change to every customer (art. 28(2))."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the sub-processors in force and the changes announced")
        ann = sub.add_parser("announce", help="tell every customer with a processing agreement about a change")
        ann.add_argument("--recipient", required=True, help="the key of the processor in the register")
        ann.add_argument("--change", required=True, choices=[c for c, _ in SubprocessorChange.Change.choices])
        ann.add_argument("--on", required=True, help="the date the change takes effect (YYYY-MM-DD)")

    def handle(self, *args, **o):
        if o["action"] == "list":
            for r in subprocessors_in_force():
                self.stdout.write(f"{r.key:<20} {r.country}  {r.name} — {r.purpose}")
            for c in subprocessor_changes_upcoming():
                self.stdout.write(f"announced: {c.recipient.key} {c.change} on {c.effective_on.isoformat()}")
            return
        recipient = Recipient.objects.filter(key=o["recipient"]).first()
        if recipient is None:
            raise CommandError(f"no recipient with key {o['recipient']!r} in the register", returncode=2)
        try:
            on = clock.parse_date(o["on"])
            change = subprocessor_change_announce(actor=CLI, recipient=recipient, change=o["change"], effective_on=on)
        except ValidationError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except OSError as exc:
            raise CommandError(
                f"the notices could not be sent ({exc.__class__.__name__}); nothing was recorded", returncode=1
            ) from None
        self.stdout.write(
            f"announced: {recipient.key} {change.change} on {change.effective_on.isoformat()}; "
            f"{change.customers_told} customers told"
        )
