"""pytest fixtures; a tests package uses them with `from waarborg.testing.fixtures import *`."""

from __future__ import annotations

import pytest

from waarborg.testing.personas import Personas, make_personas
from waarborg.testing.smtp import smtp_server  # noqa: F401  (re-exported fixture)

__all__ = ["smtp_server", "personas", "alice", "bob", "carol", "dave", "erin", "frank"]


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
