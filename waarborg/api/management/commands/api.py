import json

from django.core.management.base import BaseCommand, CommandError

from waarborg.accounts.models import Account
from waarborg.api.models import SCOPES
from waarborg.api.selectors import api_token_list
from waarborg.api.services import DEFAULT_DAYS, MAX_DAYS, api_token_create, api_token_revoke
from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError


def _fail(exc: Exception) -> CommandError:
    return CommandError(str(exc), returncode=1 if isinstance(exc, NotFound) else 2)


def _day(value) -> str:
    return value.astimezone(clock.AMSTERDAM).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "API tokens: make one (shown once), revoke one, list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        token = sub.add_parser("token", help="API tokens")
        actions = token.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token for a client; prints it once")
        create.add_argument(
            "--name", required=True, help="the client, e.g. website-form (tokens of one name are one client)"
        )
        create.add_argument("--scope", action="append", required=True, choices=list(SCOPES), help="repeat for more")
        create.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"valid for D days (1–{MAX_DAYS})")
        create.add_argument("--by", default="", help="e-mail address of the staff member who asked for it")
        revoke = actions.add_parser("revoke", help="revoke a token at once")
        revoke.add_argument("prefix", help="the token's prefix, e.g. wb_1a2b3c4d")
        listing = actions.add_parser("list", help="every token: prefix, client, scopes, dates, status")
        listing.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, what, action, **o):
        try:
            if action == "create":
                return self._create(o)
            if action == "revoke":
                return self._revoke(o["prefix"])
            return self._list(o["format"])
        except (ValidationError, NotFound, PermissionDenied) as exc:
            raise _fail(exc) from None

    def _create(self, o):
        by = None
        if o["by"]:
            by = Account.objects.filter(email=o["by"].strip().lower(), is_active=True).first()
            if by is None:
                raise ValidationError("api.issuer_unknown", field="by")
        issued = api_token_create(actor=CLI, name=o["name"], scopes=o["scope"], days=o["days"], created_by=by)
        token = issued.token
        self.stdout.write(
            f"token {token.prefix} for {token.name} ({', '.join(token.scopes)}), valid until {_day(token.expires_at)}"
        )
        self.stdout.write("the token — shown only now; store it in the client's secret store:")
        self.stdout.write(f"  {issued.secret}")

    def _revoke(self, prefix):
        token, changed = api_token_revoke(actor=CLI, prefix=prefix)
        if changed:
            self.stdout.write(f"revoked {token.prefix} ({token.name})")
        else:
            self.stdout.write(f"{token.prefix} ({token.name}) was already revoked on {_day(token.revoked_at)}")

    def _list(self, fmt):
        now = clock.now()
        tokens = list(api_token_list())
        if fmt == "json":
            rows = [
                {
                    "prefix": t.prefix,
                    "name": t.name,
                    "scopes": t.scopes,
                    "status": t.status(now),
                    "created_at": t.created_at.isoformat(),
                    "created_by": t.created_by_id,
                    "expires_at": t.expires_at.isoformat(),
                    "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                    "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
                }
                for t in tokens
            ]
            self.stdout.write(json.dumps(rows, indent=2))
            return
        self.stdout.write(f"{'prefix':<12} {'client':<20} {'status':<8} {'expires':<16} {'last used':<16} scopes")
        for t in tokens:
            self.stdout.write(
                f"{t.prefix:<12} {t.name:<20} {t.status(now):<8} {_day(t.expires_at):<16} "
                f"{_day(t.last_used_at):<16} {' '.join(t.scopes)}"
            )
        active = sum(1 for t in tokens if t.status(now) == "active")
        self.stdout.write(f"{len(tokens)} tokens; {active} active")
