"""The audit trail is append-only and hash-chained; verify names the first bad event."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from waarborg.audit.models import AuditEvent, AuditHead
from waarborg.audit.services import audit_record, audit_verify
from waarborg.core.actors import SYSTEM, System
from waarborg.core.errors import ValidationError
from waarborg.testing.checks import unchanged

pytestmark = [pytest.mark.django_db, pytest.mark.promise("B4")]


def _events(n=5):
    for i in range(n):
        with transaction.atomic():
            audit_record(
                actor=System("account:7"),
                action="customer.view",
                purpose="U5",
                object_type="customers.customer",
                object_ids=[i],
            )


class _Tamper:
    """Switch the append-only triggers off for the rest of the test (rolled back with it)."""

    def __enter__(self):
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
            else:
                cur.execute("DROP TRIGGER audit_event_no_update")
                cur.execute("DROP TRIGGER audit_event_no_delete")
        return self

    def __exit__(self, *exc):
        return False


def test_it_verifies_an_untouched_chain():
    _events()
    result = audit_verify()
    assert result.ok and result.checked == 5
    first, second = AuditEvent.objects.order_by("seq")[:2]
    assert second.prev_hash == first.hash


def test_it_names_a_changed_event():
    _events()
    with _Tamper():
        AuditEvent.objects.filter(seq=3).update(action="customer.delete")
    result = audit_verify()
    assert not result.ok and result.first_bad == 3 and "changed" in result.problem


def test_it_names_a_deleted_event():
    _events()
    with _Tamper():
        AuditEvent.objects.filter(seq=2).delete()
    result = audit_verify()
    assert not result.ok and result.first_bad == 2 and "deleted" in result.problem


def test_it_names_a_deleted_tail():
    _events()
    with _Tamper():
        AuditEvent.objects.filter(seq=5).delete()
    result = audit_verify()
    assert not result.ok and result.first_bad == 5 and "deleted" in result.problem


def test_it_names_an_inserted_event_beyond_the_head():
    _events()
    last = AuditEvent.objects.order_by("-seq").first()
    forged = AuditEvent(
        seq=6,
        at=last.at,
        actor=System("account:1"),
        action="customer.view",
        object_ids=["9"],
        prev_hash=last.hash,
        hash="f" * 64,
    )
    forged.save(force_insert=True)
    result = audit_verify()
    assert not result.ok and result.first_bad == 6 and "inserted" in result.problem


def test_it_names_an_event_inserted_in_the_middle():
    _events()
    with _Tamper():
        # Make room after #2 and slip a forged event in, copying its predecessor's hash.
        for seq in range(5, 2, -1):
            AuditEvent.objects.filter(seq=seq).update(seq=seq + 1)
        prev = AuditEvent.objects.get(seq=2)
        AuditEvent.objects.create(
            seq=3,
            at=prev.at,
            actor=System("account:1"),
            action="customer.export",
            object_ids=["1"],
            prev_hash=prev.hash,
            hash="e" * 64,
        )
        AuditHead.objects.filter(pk=1).update(seq=6)
    result = audit_verify()
    assert not result.ok and result.first_bad == 3


def test_the_database_refuses_update_and_delete():
    _events(2)
    for attempt in (
        lambda: AuditEvent.objects.filter(seq=1).update(action="x"),
        lambda: AuditEvent.objects.filter(seq=1).delete(),
    ):
        with unchanged(), pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert audit_verify().ok


def test_it_refuses_personal_values_in_events():
    for bad in (
        {"reason": "klant jan@example.nl belde"},
        {"reason": "belde vanaf 06 12345678"},
        {"data": {"ip": "192.0.2.10"}},
        {"data": {"iban": "NL91ABNA0417164300"}},
        {"reason": "woont op 1234 AB"},
    ):
        with unchanged(), pytest.raises(ValidationError):
            with transaction.atomic():
                audit_record(actor=SYSTEM, action="test", **bad)
    assert AuditEvent.objects.count() == 0


def test_the_command_exits_non_zero_and_names_the_event(capsys):
    _events(3)
    call_command("audit", "verify")
    assert "3 events verified" in capsys.readouterr().out
    with _Tamper():
        AuditEvent.objects.filter(seq=2).update(purpose="U1")
    recorded = {"operations.AuditCheck": "every check of the chain is recorded, a failed one too"}
    with unchanged(except_for=recorded), pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1 and "#2" in str(exc.value)


def test_it_refuses_to_record_outside_the_callers_transaction_and_records_nothing():
    before = AuditEvent.objects.count()
    with unchanged(), pytest.raises(RuntimeError, match="inside the caller's transaction"):
        audit_record(actor=SYSTEM, action="test.ping")
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="test.ping")
    assert AuditEvent.objects.count() == before + 1


def test_an_event_goes_with_the_change_it_records_when_that_is_rolled_back():
    with unchanged(), pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=SYSTEM, action="test.ping")
        raise ValueError("the change it records fails")


def test_an_actor_is_typed_never_a_bare_string_or_none():
    for bad in ("system", "cli", None, 7):
        with unchanged(), pytest.raises(TypeError), transaction.atomic():
            audit_record(actor=bad, action="test.ping")
