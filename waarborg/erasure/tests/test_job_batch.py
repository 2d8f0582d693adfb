"""The daily erasure job scans the cases it ran together — one pass over the database — and
judges each on its own identifiers and what its own erasure kept (R2, G3).

Its own module: the test commits, as the job does in production (see committed_db)."""

import datetime as dt

import pytest

from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.customers.models import Contact
from waarborg.customers.termination import customer_terminate
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.tests.world import build_alice
from waarborg.testing import factories as f


@pytest.mark.promise("R2", "G3")
def test_the_daily_job_scans_its_cases_together_and_judges_each_on_its_own(committed_db, personas, monkeypatch):
    from waarborg.erasure import residual

    world = build_alice(personas)
    other_contact = f.ContactFactory(
        customer=f.CustomerFactory(kind="private", name="Bram Bakker"), email="bram.bakker@example.nl"
    )
    other = other_contact.customer
    f.RecipientFactory(key="leak", purpose="Notitie: contact via alice.devries@example.nl")  # Alice's, left behind
    today = clock.today()
    first = customer_terminate(actor=personas.carol, customer=world.customer, reason="opzegging")
    second = customer_terminate(actor=personas.carol, customer=other, reason="opzegging")
    passes = []
    real = residual.scan_tables
    monkeypatch.setattr(residual, "scan_tables", lambda pats: passes.append(len(pats)) or real(pats))

    counts = run_daily(today + dt.timedelta(days=1), only=["retention", "erasure"])["erasure"]

    assert len(passes) == 1  # one pass over the database for both subjects
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ErasureCase.Status.INCOMPLETE and first.result["scan"]["fail"] == 1
    assert second.status == ErasureCase.Status.COMPLETE and second.result["scan"]["fail"] == 0
    assert counts["complete"] == 1 and counts["incomplete"] == 1
    assert not Contact.objects.filter(pk=other_contact.pk).exists()
