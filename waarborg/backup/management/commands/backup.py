from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waarborg.backup.container import BackupError
from waarborg.backup.create import backup_create
from waarborg.backup.lock import Busy
from waarborg.backup.prune import backup_prune
from waarborg.backup.restore import backup_restore, backup_verify
from waarborg.core.errors import ConfigError, ValidationError

EXIT_CHECK_FAILED = 1  # verify: the file does not check out; another run holds the lock
EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Encrypted backups that keep erasures: create, verify, restore, prune."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="an encrypted, consistent copy of the database and stored files")
        create.add_argument("--out", required=True, help="the backup file to write (never overwritten)")
        verify = sub.add_parser("verify", help="decrypt and check a backup file in full")
        verify.add_argument("file")
        restore = sub.add_parser("restore", help="into an empty database; then the erasure ledger is replayed")
        restore.add_argument("file")
        prune = sub.add_parser("prune", help="delete the backups older than WAARBORG_BACKUP_DAYS")
        prune.add_argument("--dir", required=True)

    def handle(self, *args, action, **o):
        try:
            getattr(self, f"_{action}")(o)
        except Busy as exc:
            raise CommandError(str(exc), returncode=EXIT_CHECK_FAILED) from None
        except BackupError as exc:
            code = EXIT_CHECK_FAILED if action == "verify" else EXIT_BAD_INPUT
            raise CommandError(str(exc), returncode=code) from None
        except (ConfigError, ValidationError) as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from None

    def _create(self, o):
        done = backup_create(Path(o["out"]))
        self.stdout.write(f"backup written: {done.path} ({done.size} bytes, {done.files} stored files)")

    def _verify(self, o):
        checked = backup_verify(Path(o["file"]))
        m = checked.manifest
        self.stdout.write(f"backup intact: {checked.members} members, {m['vendor']} database, made {m['created']}")

    def _restore(self, o):
        checked = backup_restore(Path(o["file"]))
        c = checked.counts
        self.stdout.write(f"restored: the database of {checked.manifest['created']} and {c['files']} stored files")
        self.stdout.write(
            f"erasure replay: {c['entries']} ledger entries ({c['restored_entries']} put back from the ledger file), "
            f"subjects erased again: {c['erased_again']}"
        )

    def _prune(self, o):
        result = backup_prune(Path(o["dir"]))
        self.stdout.write(
            f"backups deleted: {len(result.deleted)}, kept: {len(result.kept)}, not backups (left alone): {len(result.skipped)}"
        )
