"""The project's own guarantees: promise tracing, SQLite settings."""

import re
import sqlite3
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection

import conftest as root_conftest
from waarborg.core.promises import load_catalogue, scan_tests


@pytest.mark.promise("B4")
def test_the_promises_command_lists_tests_and_ends_with_the_count(capsys):
    call_command("promises")
    out = capsys.readouterr().out.rstrip().splitlines()
    match = re.fullmatch(r"proven: (\d+) of (\d+) promises", out[-1])
    assert match, out[-1]
    proven, total = map(int, match.groups())
    assert total == len(load_catalogue()) and 0 < proven <= total
    assert any("test_the_promises_command_lists_tests_and_ends_with_the_count" in line for line in out)
    assert scan_tests()["B4"]


def _item(*ids):
    mark = SimpleNamespace(args=ids)
    return SimpleNamespace(nodeid="t::x", iter_markers=lambda name: [mark] if name == "promise" else [])


def test_a_misspelt_promise_id_stops_the_run():
    root_conftest.pytest_collection_modifyitems(None, None, [_item("G9")])  # known: passes
    with pytest.raises(pytest.UsageError, match="Z42"):
        root_conftest.pytest_collection_modifyitems(None, None, [_item("G9", "Z42")])


@pytest.mark.django_db
@pytest.mark.promise("B1")
def test_sqlite_runs_with_secure_delete_and_wal(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cur:
        cur.execute("PRAGMA secure_delete")
        assert cur.fetchone()[0] == 1
        cur.execute("PRAGMA foreign_keys")
        assert cur.fetchone()[0] == 1
    env = {"WAARBORG_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "waarborg", "migrate", "-v0"], check=True, env=env, timeout=120)
    with sqlite3.connect(tmp_path / "waarborg.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
