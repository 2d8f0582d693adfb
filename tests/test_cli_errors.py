"""Bad configuration and bad input end in one clear line and a non-zero exit, never a traceback."""

import os
import subprocess
import sys

import pytest


def run(args, tmp_path, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL"))}
    full.update({"WAARBORG_DATA_DIR": str(tmp_path / "data"), "PYTHONWARNINGS": "ignore"})
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "waarborg", *args], capture_output=True, text=True, env=full, timeout=120
    )


def one_line_error(result):
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_it_refuses_a_data_directory_it_cannot_create(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = one_line_error(run(["check"], tmp_path, WAARBORG_DATA_DIR=str(blocker / "data")))
    assert "WAARBORG_DATA_DIR" in line


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"WAARBORG_DEBUG": "maybe"}, "WAARBORG_DEBUG"),
        ({"WAARBORG_ENV": "staging"}, "WAARBORG_ENV"),
        ({"WAARBORG_SESSION_SECONDS": "soon"}, "WAARBORG_SESSION_SECONDS"),
        ({"DATABASE_URL": "mysql://db/x"}, "DATABASE_URL"),
        ({"WAARBORG_ENV": "production"}, "must be set"),
    ],
)
def test_it_refuses_invalid_settings(tmp_path, env, words):
    assert words in one_line_error(run(["check"], tmp_path, **env))


def test_it_reports_an_unreachable_database_without_its_password(tmp_path):
    result = run(["migrate"], tmp_path, DATABASE_URL="postgres://someone:s3cretpw@127.0.0.1:1/nowhere")
    line = one_line_error(result)
    assert "database" in line and "s3cretpw" not in result.stderr + result.stdout


def test_it_refuses_a_malformed_identifier(tmp_path):
    assert run(["migrate"], tmp_path).returncode == 0
    result = run(["subject", "find", "--email", "jan.at.example.nl"], tmp_path)
    line = one_line_error(result)
    assert "e-mail" in line and "jan.at" not in line
    assert result.returncode == 2


def test_it_says_to_migrate_a_database_that_is_not_up_to_date(tmp_path):
    result = run(["daily", "--as-of", "2026-03-02"], tmp_path)  # a fresh data directory: no tables
    line = one_line_error(result)
    assert "not up to date" in line and "waarborg migrate" in line
