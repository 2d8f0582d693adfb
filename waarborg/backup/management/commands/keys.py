from django.core.management.base import BaseCommand, CommandError

from waarborg.backup.lock import Busy
from waarborg.backup.models import KINDS
from waarborg.backup.rotation import dropping_dates, rotate
from waarborg.core.errors import ConfigError, ValidationError


class Command(BaseCommand):
    help = "Key rotation: carry the stored data over to the configured keys; say when old keys may go."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("rotate", help="re-encrypt, re-hash or start a new audit segment under the current key")
        run.add_argument("--kind", required=True, help="encryption, identifier or audit")
        sub.add_parser("status", help="the old keys configured and when each may be dropped")

    def handle(self, *args, action, **o):
        try:
            if action == "rotate":
                self._rotate(o["kind"])
            self._status()
        except Busy as exc:
            raise CommandError(str(exc), returncode=1) from None
        except (ConfigError, ValidationError) as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _rotate(self, kind):
        if kind not in KINDS:
            raise ValidationError("backup.key_kind_unknown", {"kind": kind}, field="kind")
        done = rotate(kind)
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(done.counts.items())) or "nothing to change"
        self.stdout.write(f"rotated {kind}: key {done.from_key} -> {done.to_key} ({counts})")

    def _status(self):
        rows = dropping_dates()
        if not rows:
            self.stdout.write("no old keys configured")
        for row in rows:
            when = f"may be dropped from {row['drop_from'].isoformat()}" if row["drop_from"] else "keep it"
            self.stdout.write(f"old {row['kind']} key {row['key']}: {when} ({row['why']})")
