"""Backups (on either database): erase, restore a copy taken before, replay, and the scan is clean.

The file-level version of this test (a copy of the SQLite file) is in test_database_file.py; this
one restores the rows themselves — every table of the application as it was before the erasure,
the append-only audit trail aside — so that it runs on PostgreSQL too.
"""

import json

import pytest
from django.apps import apps
from django.core import serializers

from waarborg.core.actors import CLI
from waarborg.customers.models import Contact
from waarborg.erasure import ops
from waarborg.erasure.cases import erasure_request
from waarborg.erasure.ledger import read_file_entries
from waarborg.erasure.models import ErasureCase, LedgerEntry
from waarborg.erasure.replay import erasure_replay
from waarborg.erasure.residual import residual_scan
from waarborg.erasure.tests.world import ALICE_IBAN, ALICE_IP, build_alice
from waarborg.subjects.finder import Query
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"


def _restorable() -> list:
    """The application's tables (the audit trail is append-only and outlives a restore)."""
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("waarborg.") and m._meta.app_label != "audit" and not m._meta.proxy
    ]


# What differs, rightly, after the restore of an older copy.
AS_RESTORED = {
    "audit.AuditEvent": "the audit trail is append-only and outlives a restore",
    "billing.PaymentMethod.iban": "the same IBAN, encrypted again (a new random IV) as the row is written back",
}


def backup() -> dict:
    return {m._meta.label: serializers.serialize("python", m._base_manager.order_by("pk")) for m in _restorable()}


def restore(copy: dict) -> None:
    models = ops.referrers_first(_restorable())
    for model in models:  # referring rows first, so nothing that protects a row is in the way
        model._base_manager.all().delete()
    for model in reversed(models):
        for obj in serializers.deserialize("python", copy[model._meta.label]):
            obj.save()


@pytest.mark.promise("G3", "B4")
def test_it_erases_again_after_an_older_copy_is_restored(personas, django_capture_on_commit_callbacks):
    world = build_alice(personas, files=False)
    identifiers = {
        "email": {EMAIL},
        "phone": {"+31612345678"},
        "ip": {ALICE_IP},
        "iban": {ALICE_IBAN},
        "customer_number": {world.customer.number},
        "name": {"Alice de Vries"},
    }
    copy = backup()
    before = database_snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        case = erasure_request(actor=personas.erin, query=Query(email=EMAIL), reason="verzoek")
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE
    line = json.dumps(read_file_entries())
    for value in (EMAIL, ALICE_IBAN, world.customer.number, "Alice"):
        assert value not in line  # the ledger file holds keyed hashes and ids only

    restore(copy)  # the database as it was: the erasure and its ledger entry are gone
    assert_nothing_changed(before, except_for=AS_RESTORED)
    assert not LedgerEntry.objects.exists()
    assert Contact.objects.filter(email=EMAIL).exists()
    assert not residual_scan(identifiers, files=False).ok

    with django_capture_on_commit_callbacks(execute=True):
        counts = erasure_replay(actor=CLI)
    assert counts["restored_entries"] == 1 and counts["erased_again"] == 1
    assert not Contact.objects.filter(email=EMAIL).exists()
    result = residual_scan(identifiers, files=False)
    assert result.ok, [h.describe() for h in result.failures]
    replayed = ErasureCase.objects.get(source=ErasureCase.Source.REPLAY)
    assert replayed.status == ErasureCase.Status.COMPLETE, replayed.result.get("scan_hits")

    after = database_snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        assert erasure_replay(actor=CLI)["erased_again"] == 0  # running it again changes nothing
    assert_nothing_changed(after)
