"""On disk: the erased bytes are gone from the SQLite file; a restored backup is erased again.

pytest's SQLite database lives in memory, so these tests run the real thing in child processes:
each with a data directory of its own and a database file in it.
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EMAIL = b"alice.devries@example.nl"
PHONE = b"+31612345678"
IP = b"198.51.100.77"


def _env(data: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL", "DJANGO_"))}
    env.update({"WAARBORG_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "config.settings", **extra})
    return env


def _run(data: Path, *args, ok=True, env=None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, *args], env=_env(data, **(env or {})), capture_output=True, text=True, timeout=300, check=False
    )
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def waarborg(data: Path, *args, ok=True, env=None):
    return _run(data, "-m", "waarborg", *args, ok=ok, env=env)


def script(data: Path, *args):
    return _run(data, "-m", "waarborg.erasure.tests.scripts", *args)


def database_bytes(data: Path) -> bytes:
    db = data / "waarborg.sqlite3"
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


@pytest.fixture
def world(tmp_path) -> tuple[Path, str]:
    data = tmp_path / "data"
    number = script(data, "world").stdout.strip().splitlines()[-1]
    return data, number


@pytest.mark.promise("G3", "B1")
def test_it_leaves_no_bytes_of_the_erased_email_in_the_database_file(world):
    data, number = world
    before = database_bytes(data)
    assert EMAIL in before and PHONE in before and IP in before  # the test can see it while it is there
    mail = {"WAARBORG_MAIL": "file"}  # the answer to the subject goes to files in the mail directory
    done = waarborg(
        data, "erasure", "run", "--email", EMAIL.decode(), "--reason", "verzoek per e-mail", "--yes", env=mail
    )
    assert ": complete" in done.stdout and "0 failing" in done.stdout
    assert "privacy request: answered" in done.stdout
    after = database_bytes(data)
    assert PHONE not in after and IP not in after
    assert after.count(EMAIL) < before.count(EMAIL)
    # What remains of the address is the record of the request, kept two years after the answer
    # (the address it was answered at); when the sweep removes that, no byte of it stays behind.
    two_years = (dt.date.today() + dt.timedelta(days=2 * 366 + 2)).isoformat()
    waarborg(data, "daily", "--as-of", two_years, "--only", "retention")
    after = database_bytes(data)
    assert EMAIL not in after and EMAIL.upper() not in after
    assert (
        not Path(f"{data / 'waarborg.sqlite3'}-wal").exists()
        or Path(f"{data / 'waarborg.sqlite3'}-wal").stat().st_size == 0
    )
    assert number.encode() in after  # the customer number stays with the locked invoices


@pytest.mark.promise("G3", "B4")
def test_it_erases_again_after_an_older_backup_is_restored(world):
    data, number = world
    db = data / "waarborg.sqlite3"
    backup = data.parent / "backup.sqlite3"
    shutil.copy2(db, backup)  # the backup, taken before the erasure (WAL checkpointed)
    waarborg(data, "erasure", "run", "--email", EMAIL.decode(), "--reason", "verzoek", "--yes")
    ledger = (data / "erasure-ledger.jsonl").read_text()
    assert EMAIL.decode() not in ledger and number not in ledger

    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    shutil.copy2(backup, db)  # restore the older backup
    scan = waarborg(data, "erasure", "scan", "--email", EMAIL.decode(), "--no-files", ok=False)
    assert scan.returncode == 1  # the restored database has the data again

    replay = waarborg(data, "erasure", "replay")
    assert "subjects erased again: 1" in replay.stdout and "1 put back from the ledger file" in replay.stdout
    clean = waarborg(
        data,
        "erasure",
        "scan",
        "--email",
        EMAIL.decode(),
        "--phone",
        PHONE.decode(),
        "--customer",
        number,
        "--name",
        "Alice de Vries",
    )
    assert "0 failing" in clean.stdout
    assert "subjects erased again: 0" in waarborg(data, "erasure", "replay").stdout  # idempotent
    assert EMAIL not in database_bytes(data)
