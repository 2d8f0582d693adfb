"""Key rotation: after each kind, payment data and ID copies read, the finder and the erasure
replay still find what they should, the audit chain verifies; a second rotation waits its turn."""

import base64
import json
import secrets

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from waarborg.api.services import api_token_authenticate, api_token_create
from waarborg.audit.models import AuditEvent
from waarborg.audit.services import audit_record, audit_verify
from waarborg.backup import rotation
from waarborg.backup.lock import Busy, exclusive
from waarborg.backup.models import KeyState
from waarborg.billing.models import PaymentMethod
from waarborg.core.actors import CLI, SYSTEM
from waarborg.core.crypto import key_id
from waarborg.erasure.cases import erasure_request
from waarborg.erasure.ledger import read_file_entries
from waarborg.erasure.models import LedgerHash
from waarborg.erasure.rules import AlreadyErased
from waarborg.erasure.tests.test_replay import backup as copy_rows
from waarborg.erasure.tests.test_replay import restore as put_rows_back
from waarborg.erasure.tests.world import ALICE_IBAN, build_alice
from waarborg.privacy import storage
from waarborg.subjects.finder import Query, subject_find
from waarborg.testing.checks import unchanged
from waarborg.testing.factories import ContactFactory

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"
PDF = b"%PDF-1.4 identiteitsbewijs"


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _raw_iban(pk) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT iban FROM billing_paymentmethod WHERE id = %s", [pk])
        return cur.fetchone()[0]


@pytest.mark.promise("B3", "B4")
def test_encryption_rotation_re_encrypts_payment_data_and_id_copies(personas, settings):
    world = build_alice(personas, files=False)
    method = PaymentMethod.objects.filter(customer=world.customer).exclude(iban="").first()
    copy = storage.store(PDF)
    old = settings.WAARBORG_ENCRYPTION_KEY
    new = _fernet_key()
    settings.WAARBORG_ENCRYPTION_KEY, settings.WAARBORG_ENCRYPTION_KEYS_OLD = new, [old]
    # Before the rotation the old key still reads; new values are written under the new key.
    assert PaymentMethod.objects.get(pk=method.pk).iban == ALICE_IBAN and storage.read(copy) == PDF
    done = rotation.rotate("encryption", actor=CLI)
    assert done.counts["values"] >= 1 and done.counts["id_copies"] == 1
    Fernet(new.encode()).decrypt(_raw_iban(method.pk).encode())  # under the new key now
    settings.WAARBORG_ENCRYPTION_KEYS_OLD = []  # and readable without the old one
    assert PaymentMethod.objects.get(pk=method.pk).iban == ALICE_IBAN
    assert storage.read(copy) == PDF
    assert KeyState.objects.get(kind="encryption").key_id == key_id(new)
    assert audit_verify().ok
    assert rotation.rotate("encryption").counts == {"values": 0, "id_copies": 0}  # nothing left to do


@pytest.mark.promise("B3")
def test_encryption_rotation_refuses_when_the_old_key_is_missing(personas, settings):
    world = build_alice(personas, files=False)
    assert PaymentMethod.objects.filter(customer=world.customer).exclude(iban="").exists()
    settings.WAARBORG_ENCRYPTION_KEY, settings.WAARBORG_ENCRYPTION_KEYS_OLD = _fernet_key(), []
    with unchanged(), pytest.raises(CommandError) as exc:  # the stored values as they were, as stored
        call_command("keys", "rotate", "--kind", "encryption")
    assert exc.value.returncode == 2 and "WAARBORG_ENCRYPTION_KEYS_OLD" in str(exc.value)


@pytest.mark.promise("G3", "B4")
def test_identifier_rotation_keeps_the_finder_the_ledger_and_tokens_working(
    personas, settings, django_capture_on_commit_callbacks
):
    world = build_alice(personas, files=False)
    ContactFactory(email="bob.jansen@example.nl")  # someone erased before the rotation
    issued = api_token_create(actor=personas.frank, name="website", scopes=["privacy-requests:write"])
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request(actor=personas.erin, query=Query(email="bob.jansen@example.nl"), reason="verzoek")
    older = copy_rows()  # a copy with Alice, taken before she is erased
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request(actor=personas.erin, query=Query(email=EMAIL), reason="verzoek")
    hashes_before = set(LedgerHash.objects.values_list("hash", flat=True))
    lines_before = read_file_entries()

    old = settings.WAARBORG_IDENTIFIER_KEY
    settings.WAARBORG_IDENTIFIER_KEY, settings.WAARBORG_IDENTIFIER_KEYS_OLD = secrets.token_hex(32), [old]
    with django_capture_on_commit_callbacks(execute=True):
        done = rotation.rotate("identifier", actor=CLI)
    assert done.counts["erasure.LedgerHash"] == len(hashes_before) and done.counts["ledger_file_lines"] == 2
    assert not hashes_before & set(LedgerHash.objects.values_list("hash", flat=True))  # every hash re-keyed
    lines = read_file_entries()
    assert {line["key"] for line in lines} == {key_id(settings.WAARBORG_IDENTIFIER_KEY)}
    assert [line["uid"] for line in lines] == [line["uid"] for line in lines_before]
    assert not {h for line in lines_before for _, h in line["hashes"]} & {
        h for line in lines for _, h in line["hashes"]
    }

    # Reads and lookups after the rotation:
    assert api_token_authenticate(issued.secret) is not None
    with unchanged(), pytest.raises(AlreadyErased):  # the ledger still knows whom it erased
        erasure_request(actor=personas.erin, query=Query(email=EMAIL), reason="nogmaals")
    assert audit_verify().ok
    put_rows_back(older)  # Alice is back, with the old key's hashes: the restore catches up
    with django_capture_on_commit_callbacks(execute=True):
        rotation.rotate("identifier", actor=CLI, locked=False)
    assert subject_find(Query(email=EMAIL))  # the finder finds her by identifier
    from waarborg.erasure.replay import erasure_replay

    with django_capture_on_commit_callbacks(execute=True):
        counts = erasure_replay(actor=CLI)
    assert counts["erased_again"] >= 1 and not subject_find(Query(email=EMAIL))
    assert not PaymentMethod.objects.filter(customer_id=world.customer.pk).exclude(iban="").exists()


def _events(n):
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=SYSTEM, action="test.tick", object_ids=[i])


@pytest.mark.promise("B4")
def test_audit_rotation_starts_a_segment_that_verify_checks_across_the_boundary(settings):
    _events(3)
    old = settings.WAARBORG_AUDIT_KEY
    settings.WAARBORG_AUDIT_KEY, settings.WAARBORG_AUDIT_KEYS_OLD = secrets.token_hex(32), [old]
    done = rotation.rotate("audit", actor=CLI)
    boundary = AuditEvent.objects.get(action="audit.key_rotated")
    assert done.counts["boundary_event"] == boundary.seq == 4
    assert boundary.data == {"from_key": key_id(old), "to_key": key_id(settings.WAARBORG_AUDIT_KEY), "attested": True}
    _events(2)
    result = audit_verify()
    assert result.ok and result.segments == 2, result.problem
    call_command("audit", "verify")

    settings.WAARBORG_AUDIT_KEYS_OLD = []  # without the old key the first segment cannot be checked
    result = audit_verify()
    assert not result.ok and result.first_bad == 1 and "WAARBORG_AUDIT_KEYS_OLD" in result.problem


@pytest.mark.promise("B4")
def test_the_old_key_alone_cannot_rewrite_the_old_segment(settings):
    from waarborg.audit.services import _chain_hash
    from waarborg.audit.tests.test_chain import _Tamper

    _events(3)
    old = settings.WAARBORG_AUDIT_KEY
    settings.WAARBORG_AUDIT_KEY, settings.WAARBORG_AUDIT_KEYS_OLD = secrets.token_hex(32), [old]
    rotation.rotate("audit")
    with _Tamper():  # whoever holds the old key forges event 3 and re-chains it under that key
        event = AuditEvent.objects.get(seq=3)
        event.action = "customer.delete"
        AuditEvent.objects.filter(seq=3).update(action=event.action, hash=_chain_hash(event.prev_hash, event, old))
    result = audit_verify()
    assert not result.ok and result.first_bad in (3, 4)


@pytest.mark.promise("B4")
def test_a_new_audit_key_without_rotation_still_chains_across_the_boundary(settings):
    _events(2)
    old = settings.WAARBORG_AUDIT_KEY
    settings.WAARBORG_AUDIT_KEY, settings.WAARBORG_AUDIT_KEYS_OLD = secrets.token_hex(32), [old]
    _events(1)  # the first event under the new key writes the boundary itself
    assert AuditEvent.objects.filter(action="audit.key_rotated").count() == 1
    assert audit_verify().ok


@pytest.mark.promise("B4")
def test_a_second_rotation_while_one_runs_is_refused(settings):
    settings.WAARBORG_ENCRYPTION_KEYS_OLD = [settings.WAARBORG_ENCRYPTION_KEY]
    settings.WAARBORG_ENCRYPTION_KEY = _fernet_key()
    with exclusive("backup"):
        with unchanged(), pytest.raises(Busy) as busy:
            rotation.rotate("encryption")
        with unchanged(), pytest.raises(CommandError) as exc:
            call_command("keys", "rotate", "--kind", "encryption")
        assert exc.value.returncode == 1 and "running; the key rotation not started" in str(exc.value)
    assert busy.value.code == "backup.busy" and busy.value.text("nl").endswith("de sleutelwissel is niet gestart")


def test_an_unknown_key_kind_is_refused():
    with unchanged(), pytest.raises(CommandError) as exc:
        call_command("keys", "rotate", "--kind", "secret")
    assert exc.value.returncode == 2 and "unknown key kind" in str(exc.value)


def test_every_keyed_hash_column_is_carried_over_by_the_identifier_rotation():
    covered = {(label, field) for label, field, _ in rotation.REKEYED}
    covered |= {(label, field) for label, field, _, _ in rotation.RECOMPUTED}
    found = {
        (m._meta.label, f.name)
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if (f.name == "hash" or f.name.endswith("_hash")) and m._meta.app_label != "audit"
    }
    assert found <= covered, found - covered


@pytest.mark.promise("B3")
def test_status_says_when_an_old_encryption_key_may_be_dropped(settings, capsys):
    import datetime as dt

    from waarborg.core import clock

    settings.WAARBORG_BACKUP_DAYS = 35
    settings.WAARBORG_ENCRYPTION_KEYS_OLD = [settings.WAARBORG_ENCRYPTION_KEY]
    settings.WAARBORG_ENCRYPTION_KEY = _fernet_key()
    call_command("keys", "rotate", "--kind", "encryption")
    out = capsys.readouterr().out
    expected = clock.today() + dt.timedelta(days=35)  # the rotation's day + the backups' term
    assert f"may be dropped from {expected.isoformat()}" in out
    assert json.dumps(rotation.dropping_dates()[0]["may_drop"]) == "false"
