"""A consistent copy of the database and putting one back: SQLite's backup API, or pg_dump and
pg_restore (of at least the server's major version) on PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from waarborg.backup.container import BackupError
from waarborg.core import datamap

DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def vendor() -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError("backup.vendor_unsupported", {"vendor": connection.vendor})
    return connection.vendor


def _pg_env() -> dict:
    s = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({"PGDATABASE": s["NAME"], "PGCONNECT_TIMEOUT": "10"})
    for key, name in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if s.get(key):
            env[name] = str(s[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError("backup.client_missing", {"program": name})
    done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False)
    match = re.search(r"(\d+)(?:\.\d+)?", done.stdout)
    client = int(match.group(1)) if match else 0
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError("backup.client_too_old", {"program": name, "client": client, "server": server})
    return path


def _pg_run(args: list[str], what: str) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, timeout=None, check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0][:200]
        raise BackupError("backup.client_failed", {"program": what, "output": first})


def dump(path: Path) -> None:
    """Write a consistent copy of the live database to `path` (the database stays online)."""
    if vendor() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # a consistent snapshot, page by page
        finally:
            target.close()
        return
    _pg_run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"], "pg_dump")


def _content_tables() -> list[str]:
    """The tables whose rows make a database "in use": personal data, the audit trail, the ledger."""
    from django.apps import apps

    models = [e.model for e in datamap.entries()]
    models += [apps.get_model("audit", "AuditEvent"), apps.get_model("erasure", "LedgerEntry")]
    return sorted({m._meta.db_table for m in models})


def is_empty() -> bool:
    """No tables yet, or tables (`waarborg migrate`) without a row of data in them."""
    existing = set(connection.introspection.table_names())
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        for table in _content_tables():
            if table in existing:
                cur.execute(f"SELECT 1 FROM {qn(table)} LIMIT 1")  # noqa: S608 (a table name from the models)
                if cur.fetchone():
                    return False
    return True


def load(path: Path) -> None:
    """Put a copy made by `dump` into the (empty) database, all at once or not at all."""
    if vendor() == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("backup.restore_in_transaction")
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)  # one step: the whole file or nothing
        finally:
            source.close()
        return
    args = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    args += ["--single-transaction", "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(path)]
    connection.close()
    _pg_run(args, "pg_restore")
    connection.close()
