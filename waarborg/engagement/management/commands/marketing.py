from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waarborg.core.actors import CLI
from waarborg.core.errors import ValidationError
from waarborg.engagement.newsletter import newsletter_send


class Command(BaseCommand):
    help = "The newsletter: send it to the contact persons whose consent stands (and who did not object)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser(
            "send", help="e-mail the newsletter, one mail per contact person, each with an unsubscribe link"
        )
        send.add_argument("--subject", required=True)
        send.add_argument("--body-file", required=True, help="a UTF-8 text file with the body")
        send.add_argument("--dry-run", action="store_true", help="count who would receive it; send nothing")

    def handle(self, *args, action, **o):
        path = Path(o["body_file"])
        try:
            body = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read the body file ({type(exc).__name__})", returncode=2) from None
        try:
            result = newsletter_send(actor=CLI, subject=o["subject"], body=body, dry_run=o["dry_run"])
        except ValidationError as exc:
            raise CommandError(str(exc), returncode=2) from None
        verb = "would send" if result.dry_run else "sent"
        self.stdout.write(
            f"{verb} {result.sent}; not sent: {result.without_consent} without consent, {result.stopped} objected, "
            f"withdrew or restricted, {result.locked} ended or locked away, {result.failed} failed"
        )
        if result.error:
            raise CommandError(
                f"the mail server failed ({result.error}) after {result.sent} mails; {result.failed} were not sent",
                returncode=1,
            )
        if result.failed:
            raise CommandError(f"{result.failed} address(es) were refused by the mail server", returncode=1)
