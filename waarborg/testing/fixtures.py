"""pytest fixtures every test can use: the root conftest.py loads this module as a plugin."""

from __future__ import annotations

import pytest

from waarborg.testing.personas import Personas, make_personas


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


@pytest.fixture
def alice(personas):
    return personas.alice


@pytest.fixture
def bob(personas):
    return personas.bob


@pytest.fixture
def carol(personas):
    return personas.carol


@pytest.fixture
def dave(personas):
    return personas.dave


@pytest.fixture
def erin(personas):
    return personas.erin


@pytest.fixture
def frank(personas):
    return personas.frank


def audit_triggers(django_db_blocker, *, on: bool) -> None:
    """Drop the audit trail's append-only triggers, and with on=True put them back.

    The statements are the audit app's own, from the migration that made them.
    """
    from importlib import import_module

    from django.db import connection

    sql = import_module("waarborg.audit.migrations.0002_append_only")
    names = {"sqlite": ("SQLITE", "SQLITE_DROP"), "postgresql": ("POSTGRES", "POSTGRES_DROP")}
    if connection.vendor not in names:
        return
    create, drop = (getattr(sql, name) for name in names[connection.vendor])
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for statement in drop + (create if on else []):
            cursor.execute(statement)


@pytest.fixture(scope="module")
def _audit_triggers_back(django_db_blocker):
    """The append-only triggers are back after the module (the database is emptied after each
    committed test, after every function-scoped fixture: keep such tests in a module of their own)."""
    yield
    audit_triggers(django_db_blocker, on=True)


@pytest.fixture
def committed_db(_audit_triggers_back, transactional_db, django_db_blocker):
    """A test whose transactions really commit, as in production (on_commit runs at once).
    Afterwards the database is emptied, which the audit trail's append-only triggers refuse, as
    they should: for that flush they are dropped; they are back for the next committed test, and
    after the module."""
    audit_triggers(django_db_blocker, on=True)
    yield
    audit_triggers(django_db_blocker, on=False)


@pytest.fixture
def files_in_a_fresh_directory(settings, tmp_path):
    """Stored files of a test live in a data directory of its own."""
    data = tmp_path / "data"
    files = data / "files"
    files.mkdir(parents=True)
    settings.DATA_DIR = data
    settings.FILES_DIR = files
    settings.MEDIA_ROOT = files
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": files}},
    }
    settings.STATIC_ROOT = data / "static"
    settings.WAARBORG_ERASURE_LEDGER = data / "erasure-ledger.jsonl"
    return data
