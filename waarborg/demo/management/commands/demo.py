import os

from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from waarborg.core.errors import ConfigError
from waarborg.customers.models import Customer
from waarborg.demo.builder import load_demo, refuse_production
from waarborg.demo.data import demo_loaded, demo_logins_with_secrets
from waarborg.demo.history import demo_dunning_history
from waarborg.public.services import statement_publish

# Pages worth opening, shown when this installation has them: URL names or paths, first found.
_PAGES = [
    ("Start", ["web:start", "/"]),
    ("Back office", ["backoffice:home", "backoffice:index", "web:backoffice", "/backoffice/"]),
    ("Klantportaal (portal)", ["portal:home", "portal:index", "web:portal", "/portaal/", "/portal/"]),
]


class Command(BaseCommand):
    help = "Prepare the demo (migrate, load the demo data when the database is empty) and serve it locally."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
        parser.add_argument("--no-serve", action="store_true", help="only prepare: migrate, load, print")

    def handle(self, *args, port: int, no_serve: bool, **options):
        try:
            refuse_production("waarborg demo")
        except ConfigError as exc:
            raise CommandError(str(exc)) from None
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535")
        if "WAARBORG_SITE_URL" not in os.environ:  # the links in the demo's mails lead to this server
            settings.WAARBORG_SITE_URL = f"http://127.0.0.1:{port}"
        if "WAARBORG_MAIL" not in os.environ:  # no mail server in a demo: each message becomes a file
            settings.EMAIL_BACKEND = "waarborg.core.mailfiles.EmailBackend"
        call_command("migrate", verbosity=0, interactive=False)
        if Customer.objects.exists():
            if demo_loaded():
                self.stdout.write("Demo data already loaded.")
            else:
                self.stdout.write("The database already has customers; no demo data was added.")
        else:
            counts = load_demo()
            demo_dunning_history()  # dunning as if the daily run had run every day
            self.stdout.write(
                f"Demo data loaded: {counts['customers']} customers, {counts['invoices']} invoices, "
                f"{counts['tickets']} tickets."
            )

        statement_publish()  # the statement in force, kept with its date (as the daily run does)

        base = f"http://127.0.0.1:{port}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Waarborg demo"))
        for title, candidates in _PAGES:
            path = _path(candidates)
            if path:
                self.stdout.write(f"  {title + ':':<24} {base}{path}")
        if demo_loaded():
            self.stdout.write("")
            self.stdout.write("Demo sign-ins (every account uses the same password):")
            self.stdout.write(f"  {'role':<10} {'e-mail':<34} {'password':<15} authenticator key (TOTP, demo only)")
            for login in demo_logins_with_secrets():
                secret = login["totp_secret"] or "-"
                self.stdout.write(f"  {login['role']:<10} {login['email']:<34} {login['password']:<15} {secret}")
        if settings.EMAIL_BACKEND == "waarborg.core.mailfiles.EmailBackend":
            self.stdout.write("")
            self.stdout.write(f"Mail is not sent: each message is written to {settings.EMAIL_FILE_PATH}")
        self.stdout.write("")
        self.stdout.flush()
        if no_serve:
            return
        self.stdout.write(f"Serving on {base}/ — stop with Ctrl+C.")
        self.stdout.flush()
        options = {"use_reloader": False}
        if "insecure_serving" in _runserver_options():
            options["insecure_serving"] = True  # static files without DEBUG: this is a local demo
        call_command("runserver", f"127.0.0.1:{port}", **options)


def _runserver_options() -> set[str]:
    command = load_command_class(get_commands()["runserver"], "runserver")
    return {action.dest for action in command.create_parser("waarborg", "runserver")._actions}


def _path(candidates: list[str]) -> str | None:
    for candidate in candidates:
        if candidate.startswith("/"):
            try:
                resolve(candidate)
            except Resolver404:
                continue
            return candidate
        try:
            return reverse(candidate)
        except NoReverseMatch:
            continue
    return None
