"""The restore drill, for real, in child processes with a data directory of their own: back up,
erase a subject, lose the database and the stored files, restore — the subject stays gone.
On SQLite and (postgres_only) on PostgreSQL, in a database of the drill's own. Then what must be
refused is: a damaged, cut-off, foreign or non-backup file, a wrong key, a non-empty database,
no live erasure ledger — each with one line and nothing changed."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

EMAIL = "alice.devries@example.nl"
PHONE = "+31612345678"


def _env(data: Path, extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL", "DJANGO_"))}
    env.update({"WAARBORG_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "config.settings"})
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


class Site:
    """One installation: its data directory, keys, live ledger and database."""

    def __init__(self, root: Path, database_url: str | None = None):
        self.data = root / "data"
        self.ledger = root / "ledger" / "erasure-ledger.jsonl"  # apart from the data directory
        self.ledger.parent.mkdir(parents=True)
        self.env = {
            "WAARBORG_BACKUP_KEY": "backup-key-" + "k" * 40,
            "WAARBORG_ERASURE_LEDGER": str(self.ledger),
            "DATABASE_URL": database_url,
        }

    def run(self, *args, ok=True, **extra) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", *args],
            env=_env(self.data, {**self.env, **extra}),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if ok:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    def waarborg(self, *args, ok=True, **extra):
        return self.run("waarborg", *args, ok=ok, **extra)


def one_line(done: subprocess.CompletedProcess, code: int) -> str:
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert done.returncode == code, done.stdout + done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def _scan_clean(site: Site, number: str) -> None:
    scan = site.waarborg(
        "erasure", "scan", "--email", EMAIL, "--phone", PHONE, "--customer", number, "--name", "Alice de Vries"
    )
    assert "0 failing" in scan.stdout, scan.stdout


def drill(tmp_path: Path, database_url: str | None, lose_database) -> tuple[Site, Path]:
    site = Site(tmp_path / "site", database_url)
    number = site.run("waarborg.backup.tests.scripts", "world").stdout.strip().splitlines()[-1]
    backups = tmp_path / "backups"
    backups.mkdir()
    backup = backups / "before.wbk"
    site.waarborg("backup", "create", "--out", str(backup))
    assert EMAIL.encode() not in backup.read_bytes()  # encrypted
    assert "backup intact" in site.waarborg("backup", "verify", str(backup)).stdout

    erased = site.waarborg("erasure", "run", "--email", EMAIL, "--reason", "verzoek", "--yes")
    assert ": complete" in erased.stdout
    _scan_clean(site, number)

    lose_database(site)  # the database is lost, and the stored files with it
    for path in sorted((site.data / "files").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    restored = site.waarborg("backup", "restore", str(backup))
    assert "subjects erased again: 1" in restored.stdout, restored.stdout
    assert "1 put back from the ledger file" in restored.stdout
    _scan_clean(site, number)  # nobody erased came back
    assert (site.data / "files" / "brochure" / "tarieven.txt").read_bytes() == b"Tarieven 2025"
    id_copies = site.data / "files" / "privacy-id"
    assert not id_copies.exists() or not any(id_copies.iterdir())  # ID copies never go into a backup
    assert "audit trail intact" in site.waarborg("audit", "verify").stdout
    assert not (site.data / "restore-incomplete").exists()
    assert "subjects erased again: 0" in site.waarborg("erasure", "replay").stdout  # nothing left to erase
    return site, backup


def refusals(tmp_path: Path, site: Site, backup: Path, fingerprint) -> None:
    before = fingerprint(site)

    line = one_line(site.waarborg("backup", "restore", str(backup), ok=False), 2)
    assert "not empty" in line

    damaged = tmp_path / "damaged.wbk"
    raw = bytearray(backup.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    damaged.write_bytes(bytes(raw))
    assert "changed or damaged" in one_line(site.waarborg("backup", "verify", str(damaged), ok=False), 1)
    assert "changed or damaged" in one_line(site.waarborg("backup", "restore", str(damaged), ok=False), 2)

    cut = tmp_path / "cut.wbk"
    cut.write_bytes(backup.read_bytes()[: len(raw) - 100])
    assert "cut off" in one_line(site.waarborg("backup", "verify", str(cut), ok=False), 1)

    junk = tmp_path / "junk.wbk"
    junk.write_bytes(secrets.token_bytes(5000))
    assert "not a Waarborg backup" in one_line(site.waarborg("backup", "verify", str(junk), ok=False), 1)

    wrong = site.waarborg("backup", "verify", str(backup), ok=False, WAARBORG_BACKUP_KEY="w" * 40)
    assert "another WAARBORG_BACKUP_KEY" in one_line(wrong, 1)

    no_ledger = site.waarborg("backup", "restore", str(backup), ok=False, WAARBORG_ERASURE_LEDGER=None)
    assert "WAARBORG_ERASURE_LEDGER" in one_line(no_ledger, 2)

    # Another installation (its own keys, the same backup key by mistake): its backup is refused.
    other = Site(tmp_path / "other")
    other.waarborg("migrate", "-v0")
    foreign = tmp_path / "foreign.wbk"
    other.waarborg("backup", "create", "--out", str(foreign))
    assert "another installation" in one_line(site.waarborg("backup", "verify", str(foreign), ok=False), 1)
    assert "another installation" in one_line(site.waarborg("backup", "restore", str(foreign), ok=False), 2)
    assert fingerprint(site) == before  # nothing changed


def _sqlite_lose(site: Site) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{site.data / 'waarborg.sqlite3'}{suffix}").unlink(missing_ok=True)


def _sqlite_fingerprint(site: Site) -> bytes:
    db = site.data / "waarborg.sqlite3"
    with sqlite3.connect(db) as conn:
        return repr(conn.execute("SELECT count(*), max(seq) FROM audit_auditevent").fetchall()).encode() + b"".join(
            repr(conn.execute(f"SELECT count(*) FROM {t}").fetchall()).encode()  # noqa: S608
            for t in ("customers_contact", "erasure_ledgerentry", "billing_invoice")
        )


@pytest.mark.promise("G3", "B4", "R1")
def test_the_restore_drill_on_sqlite(tmp_path):
    site, backup = drill(tmp_path, None, _sqlite_lose)
    refusals(tmp_path, site, backup, _sqlite_fingerprint)


def test_a_restore_without_the_ledger_changes_nothing_in_an_empty_database(tmp_path):
    site = Site(tmp_path / "site")
    site.waarborg("migrate", "-v0")
    backup = tmp_path / "b.wbk"
    site.waarborg("backup", "create", "--out", str(backup))
    _sqlite_lose(site)
    line = one_line(site.waarborg("backup", "restore", str(backup), ok=False), 2)
    assert "erasure ledger file" in line  # the ledger file does not exist yet
    with sqlite3.connect(site.data / "waarborg.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone() == (0,)
    assert not (site.data / "restore-incomplete").exists()


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_url(name: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    ) as conn:
        conn.execute(sql)


@pytest.mark.postgres_only
@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL")
@pytest.mark.promise("G3", "B4", "R1")
def test_the_restore_drill_on_postgresql(tmp_path):
    name = f"{settings.DATABASES['default']['NAME']}_drill"[:60]
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{name}"')

    def lose(site):
        _pg_admin(f'DROP DATABASE "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')

    def fingerprint(site):
        return site.waarborg("audit", "verify").stdout

    try:
        site, backup = drill(tmp_path, _pg_url(name), lose)
        refusals(tmp_path, site, backup, fingerprint)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
