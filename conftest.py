"""Project-wide pytest setup: the shared fixtures, and the `promise` marker, checked against docs/promises.md."""

import pytest

from waarborg.core.promises import load_catalogue

# The fixtures every test can use: the personas, committed transactions, files in a fresh
# directory, and a real local SMTP server.
pytest_plugins = ["waarborg.testing.fixtures", "waarborg.testing.smtp"]

_CATALOGUE = load_catalogue()


def pytest_configure(config):
    config.addinivalue_line("markers", "promise(*ids): the promise ids (docs/promises.md) this test proves")
    config.addinivalue_line("markers", "browser: drives a real Chromium")
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL")


def pytest_collection_modifyitems(session, config, items):
    unknown = []
    for item in items:
        for mark in item.iter_markers("promise"):
            if not mark.args:
                unknown.append(f"{item.nodeid}: promise() needs at least one id")
            for pid in mark.args:
                if pid not in _CATALOGUE:
                    unknown.append(f"{item.nodeid}: unknown promise id {pid!r}")
    if unknown:
        raise pytest.UsageError("promise marks name ids that are not in docs/promises.md:\n" + "\n".join(unknown))
