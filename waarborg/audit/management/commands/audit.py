from django.core.management.base import BaseCommand, CommandError

from waarborg.audit.models import AuditEvent
from waarborg.audit.services import audit_head, audit_verify
from waarborg.operations.services import record_audit_check


class Command(BaseCommand):
    help = "The audit trail: verify its hash chain, or list the latest events."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check that no event was changed, inserted or deleted")
        show = sub.add_parser("list", help="the latest events (ids and codes only)")
        show.add_argument("--limit", type=int, default=20)

    def handle(self, *args, action, **options):
        if action == "verify":
            result = audit_verify()
            record_audit_check(result)
            if not result.ok:
                raise CommandError(f"audit trail broken: {result.problem}", returncode=1)
            seq, digest = audit_head()
            # The head printed here can be kept outside the database (a ticket, a mail) as an
            # anchor: cutting off the tail *and* rewriting the head is then detectable too.
            self.stdout.write(f"audit trail intact: {result.checked} events verified; head #{seq} {digest}")
            return
        limit = options["limit"]
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        for e in AuditEvent.objects.order_by("-seq")[:limit]:
            ids = ",".join(e.object_ids)
            self.stdout.write(
                f"#{e.seq} {e.at:%Y-%m-%d %H:%M:%S} {e.actor} {e.action} {e.purpose} {e.object_type}:{ids}"
            )
