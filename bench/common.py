"""What the benchmark scripts share: one measurement per child process, its database, a table.

Settings read the environment when they are imported, so each measurement runs in a process of
its own: `run_child` starts the script again with `--child` in a fresh temporary data directory
(SQLite) or with `--schema=NAME` (PostgreSQL, DATABASE_URL), lets its progress through on
stderr and returns the JSON lines it printed. In the child, `database(schema)` sets Django up
on that database and drops the schema again afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).absolute().parent.parent
BENCH = ROOT / "bench"
BACKENDS = ("sqlite", "postgresql")


def backends(arg: str, parser) -> list[str]:
    """The backends to run: `arg` (comma-separated), or SQLite and, with DATABASE_URL, PostgreSQL."""
    if not arg:
        return ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    chosen = [b.strip() for b in arg.split(",") if b.strip()]
    unknown = [b for b in chosen if b not in BACKENDS]
    if unknown or not chosen:
        parser.error(f"--backends takes {' and/or '.join(BACKENDS)}")
    if "postgresql" in chosen and not os.environ.get("DATABASE_URL"):
        parser.error("--backends postgresql needs DATABASE_URL")
    return chosen


def run_child(script: str, args: list[str], *, backend: str, schema: str) -> list[dict] | None:
    """Run `script --child ARGS` for `backend`; the JSON lines it printed, or None if it failed."""
    data_dir = tempfile.mkdtemp(prefix="waarborg-bench-")
    env = dict(os.environ, WAARBORG_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="config.settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), str(BENCH), env.get("PYTHONPATH", "")]))
    command = [sys.executable, str(Path(script).resolve()), "--child", *args]
    if backend == "sqlite":
        env.pop("DATABASE_URL", None)
    else:
        command.append(f"--schema={schema}_{os.getpid()}")
    try:
        done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if done.returncode != 0:
        print(f"benchmark failed for {backend} (its error is above)", file=sys.stderr)
        return None
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


# --- In the child process ---------------------------------------------------------------------

_STARTED = time.perf_counter()


def say(text: str) -> None:
    """Progress on stderr, with the seconds since the child started and the machine's load."""
    load = os.getloadavg()[0]
    print(f"  [{time.perf_counter() - _STARTED:7.0f} s, load {load:4.1f}] {text}", file=sys.stderr, flush=True)


@contextmanager
def database(schema: str):
    """Django set up on the child's database; on PostgreSQL a fresh schema, dropped afterwards."""
    import django
    from django.conf import settings

    if schema:
        settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c search_path={schema}"
    django.setup()
    from django.db import connection

    if schema:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
    try:
        yield connection
    finally:
        if schema:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.close()


def checkpoint() -> None:
    """SQLite: write the log of a bulk load into the database file first (not timed)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def database_bytes(schema: str) -> int:
    """The database's size: the SQLite file after a checkpoint, or the schema's tables with indexes."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
                [schema],
            )
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    name = Path(settings.DATABASES["default"]["NAME"])
    return sum(p.stat().st_size for p in (name, Path(f"{name}-wal"), Path(f"{name}-shm")) if p.exists())


# --- Reports ----------------------------------------------------------------------------------


def print_rows(head: list[str], body: list[list[str]]) -> None:
    """A plain table: the first column to the left, the others to the right."""
    widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]

    def line(cells) -> str:
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    print(line(head))
    print("  ".join("-" * w for w in widths))
    for row in body:
        print(line(row))
