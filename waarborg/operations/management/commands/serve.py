"""`waarborg serve [--bind HOST:PORT] [--workers N]`: the application server (gunicorn)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from config.env import parse_bind
from waarborg.core.errors import ConfigError
from waarborg.operations import server


def _unapplied() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = "Run Waarborg under gunicorn (static files included); for production behind nginx with TLS."
    # The checks run in handle(), after the metrics directory is set (they import the URLconf).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--bind", help=f"HOST:PORT to listen on (default WAARBORG_BIND, {settings.WAARBORG_BIND})")
        parser.add_argument(
            "--workers", help=f"worker processes (default WAARBORG_WORKERS, {settings.WAARBORG_WORKERS})"
        )

    def handle(self, *args, bind=None, workers=None, **options):
        bind = (bind or settings.WAARBORG_BIND).strip()
        try:
            host, port = parse_bind(bind)
        except ConfigError as exc:
            raise CommandError(str(exc), returncode=2) from None
        count = self._workers(workers)
        server.prepare_metrics_directory(settings.DATA_DIR)
        self.check(display_num_errors=False, fail_level=40)  # errors stop the start; warnings are shown
        missing = _unapplied()
        if missing:
            raise CommandError(
                f"the database is not up to date ({missing} migrations not applied); run 'waarborg migrate' first",
                returncode=2,
            )
        problem = server.check_bind(host, port)
        if problem:
            raise CommandError(f"cannot listen on {bind} ({problem})", returncode=2)
        connections.close_all()  # the workers open their own
        mode = "production" if settings.PRODUCTION else "development"
        self.stdout.write(f"waarborg: serving on http://{bind}/ with {count} workers ({mode}); stop with Ctrl+C")
        self.stdout.flush()
        level = settings.LOGGING["root"]["level"]
        server.WaarborgServer(server.options(bind=bind, workers=count, log_level=level)).run()

    def _workers(self, value) -> int:
        if value is None:
            return settings.WAARBORG_WORKERS
        text = str(value).strip()
        if not text.isdigit() or not 1 <= int(text) <= server.MAX_WORKERS:
            raise CommandError(
                f"--workers must be a whole number from 1 to {server.MAX_WORKERS}, not {value!r}", returncode=2
            )
        return int(text)
