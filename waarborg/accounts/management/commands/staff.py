"""`waarborg staff add|list|role|deactivate|reset-2fa`: the staff accounts, for the administrator
at the server (the back office's staff page does the same)."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from waarborg.accounts.enrolment import VALID_HOURS, staff_invite
from waarborg.accounts.staff import (
    staff_deactivate,
    staff_get,
    staff_list,
    staff_role_change,
    staff_second_factor_reset,
)
from waarborg.core import clock, roles
from waarborg.core.actors import CLI
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError

ROLE_HELP = " | ".join(roles.STAFF_ROLES)


def _moment(value) -> str:
    return value.astimezone(clock.AMSTERDAM).strftime("%Y-%m-%d %H:%M") if value else ""


class Command(BaseCommand):
    help = "Staff accounts: add (with a one-time enrolment link), list, change a role, deactivate, reset the authenticator."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help=f"a staff account and its enrolment link (valid {VALID_HOURS} hours)")
        add.add_argument("--email", required=True, help="the staff member's work e-mail address (their sign-in name)")
        add.add_argument("--role", required=True, help=ROLE_HELP)
        add.add_argument("--name", required=True, help="the name shown in the back office and the audit trail")
        listing = sub.add_parser("list", help="every staff account: e-mail, name, role, active, authenticator")
        listing.add_argument("--format", choices=("text", "json"), default="text")
        role = sub.add_parser("role", help="give a staff member another role")
        role.add_argument("--email", required=True)
        role.add_argument("--role", required=True, help=ROLE_HELP)
        for name, text in (
            ("deactivate", "deactivate a staff account: its sessions end, its open work goes back to the queue"),
            ("reset-2fa", "remove a staff member's authenticator: they set up a new one at the next sign-in"),
        ):
            sub.add_parser(name, help=text).add_argument("--email", required=True)

    def handle(self, *args, action, **o):
        try:
            getattr(self, "_" + action.replace("-", "_"))(o)
        except (ValidationError, PermissionDenied, NotFound) as exc:
            if getattr(exc, "field", None) == "role":
                raise CommandError(f"--role must be one of {', '.join(roles.STAFF_ROLES)}", returncode=2) from None
            raise CommandError(str(exc), returncode=2) from None

    def _add(self, o):
        invitation = staff_invite(actor=CLI, email=o["email"], role=o["role"], display_name=o["name"])
        account, link = invitation.account, invitation.link
        url = settings.WAARBORG_SITE_URL + reverse("auth_web:welcome", args=[invitation.token])
        self.stdout.write(f"staff account #{account.pk} ({account.role}) created; it cannot sign in until enrolled")
        self.stdout.write(
            f"enrolment link, usable once until {_moment(link.expires_at)} — give it to the new staff member only; "
            "there they choose a password and set up their authenticator app:"
        )
        self.stdout.write(f"  {url}")

    def _list(self, o):
        rows = [
            {
                "id": account.pk,
                "email": account.email,
                "name": account.display_name,
                "role": account.role,
                "active": account.is_active,
                "second_factor": account.has_second_factor,
                "created_at": _moment(account.created_at),
                "deactivated_at": _moment(account.deactivated_at),
            }
            for account in staff_list(actor=CLI)
        ]
        if o["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            state = "active" if row["active"] else f"deactivated {row['deactivated_at']}"
            factor = "authenticator" if row["second_factor"] else "no authenticator"
            self.stdout.write(
                f"#{row['id']:<5} {row['role']:<16} {state:<28} {factor:<17} {row['email']}  {row['name']}"
            )
        self.stdout.write(f"{len(rows)} staff account(s)")

    def _role(self, o):
        account = staff_role_change(actor=CLI, account=staff_get(actor=CLI, email=o["email"]), role=o["role"])
        self.stdout.write(f"staff account #{account.pk} now has the role {account.role}; its sessions were ended")

    def _deactivate(self, o):
        account = staff_get(actor=CLI, email=o["email"])
        done = staff_deactivate(actor=CLI, account=account)
        back = ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in done.items() if name != "sessions")
        self.stdout.write(
            f"staff account #{account.pk} deactivated; {done['sessions']} session(s) ended; back to the queue: {back or 'nothing'}"
        )

    def _reset_2fa(self, o):
        account = staff_get(actor=CLI, email=o["email"])
        ended = staff_second_factor_reset(actor=CLI, account=account)
        self.stdout.write(
            f"the authenticator of staff account #{account.pk} was removed; {ended} session(s) ended; "
            "at the next sign-in they set up a new one"
        )
