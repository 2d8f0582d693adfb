"""`waarborg staff add`: a staff account and its one-time enrolment link."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from waarborg.accounts.enrolment import VALID_HOURS, staff_invite
from waarborg.core import clock, roles
from waarborg.core.actors import CLI
from waarborg.core.errors import PermissionDenied, ValidationError


class Command(BaseCommand):
    help = "Staff accounts: add one (it gets a one-time link to choose a password and set up the authenticator)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help=f"a staff account and its enrolment link (valid {VALID_HOURS} hours)")
        add.add_argument("--email", required=True, help="the staff member's work e-mail address (their sign-in name)")
        add.add_argument("--role", required=True, help=" | ".join(roles.STAFF_ROLES))
        add.add_argument("--name", required=True, help="the name shown in the back office and the audit trail")

    def handle(self, *args, action, **o):
        try:
            invitation = staff_invite(actor=CLI, email=o["email"], role=o["role"], display_name=o["name"])
        except (ValidationError, PermissionDenied) as exc:
            if getattr(exc, "field", None) == "role":
                raise CommandError(f"--role must be one of {', '.join(roles.STAFF_ROLES)}", returncode=2) from None
            raise CommandError(str(exc), returncode=2) from None
        account, link = invitation.account, invitation.link
        url = settings.WAARBORG_SITE_URL + reverse("auth_web:welcome", args=[invitation.token])
        until = link.expires_at.astimezone(clock.AMSTERDAM).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"staff account #{account.pk} ({account.role}) created; it cannot sign in until enrolled")
        self.stdout.write(
            f"enrolment link, usable once until {until} — give it to the new staff member only; there they choose "
            "a password and set up their authenticator app:"
        )
        self.stdout.write(f"  {url}")
