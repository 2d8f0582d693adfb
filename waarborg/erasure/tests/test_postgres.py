"""On PostgreSQL, outside a transaction: the touched tables are vacuumed after the erasure."""

import pytest
from django.conf import settings
from django.db import connection

from waarborg.customers.models import Contact
from waarborg.erasure.cases import erasure_request
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.tests.world import build_alice
from waarborg.subjects.finder import Query
from waarborg.testing.personas import make_personas

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def committed(transactional_db):
    """Rows are committed here; the audit trail refuses TRUNCATE, so the emptying afterwards runs
    in this session with triggers off (a transactional test gets a fresh connection)."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")


@pytest.mark.promise("G3", "B1")
def test_it_vacuums_the_tables_it_touched(committed, settings):
    settings.WAARBORG_ERASURE_VACUUM = "now"
    personas = make_personas()
    build_alice(personas, files=False)
    case = erasure_request(actor=personas.erin, query=Query(email="alice.devries@example.nl"), reason="x")
    assert case.status == ErasureCase.Status.COMPLETE, case.result.get("scan_hits")
    assert case.result["forget"]["vacuum"] >= 10
    assert not Contact.objects.filter(email="alice.devries@example.nl").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'customers_contact'")
        (last_vacuum,) = cursor.fetchone()
    assert last_vacuum is not None


def _last_vacuum(table: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.promise("G3", "B1")
def test_it_leaves_the_vacuum_to_the_daily_job_when_so_configured(committed, settings):
    from waarborg.core import clock
    from waarborg.core.daily import run_daily
    from waarborg.erasure.models import VacuumDue

    settings.WAARBORG_ERASURE_VACUUM = "daily"
    personas = make_personas()
    build_alice(personas, files=False)
    before = _last_vacuum("customers_contact")
    case = erasure_request(actor=personas.erin, query=Query(email="alice.devries@example.nl"), reason="x")
    assert case.status == ErasureCase.Status.COMPLETE, case.result.get("scan_hits")
    assert case.result["forget"]["vacuum"] == "daily"
    assert VacuumDue.objects.filter(table="customers_contact").exists()
    assert _last_vacuum("customers_contact") == before  # not yet
    counts = run_daily(clock.today(), only=["erasure"])["erasure"]
    assert counts["tables_vacuumed"] >= 10 and not VacuumDue.objects.exists()
    assert _last_vacuum("customers_contact") is not None and _last_vacuum("customers_contact") != before
