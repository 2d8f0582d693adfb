import datetime as dt

import pytest
from django.core.cache import cache

from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.incidents.intake import incident_register

INCIDENT_MODELS = ("incidents.Incident", "incidents.IncidentWarning", "incidents.CustomerNotice")
AMS = clock.AMSTERDAM


def at(year, month, day, hour=12, minute=0) -> dt.datetime:
    """A moment in Amsterdam time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


@pytest.fixture(autouse=True)
def mail(smtp_server):
    """Every mail of these tests goes through a real local SMTP server."""
    return smtp_server


@pytest.fixture(autouse=True)
def fresh_cache():
    """The public form's throttle counts in the cache: every test starts without it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registered(personas):
    """register(aware=..., **kw): an incident registered at the shell, aware at a moment."""

    def make(*, aware=None, description="Laptop met klantexport gestolen uit de auto", **kw):
        return incident_register(
            actor=CLI, description=description, received_at=aware, aware_at=aware, channel="staff", **kw
        )

    return make
