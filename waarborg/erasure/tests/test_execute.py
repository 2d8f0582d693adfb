"""Running an erasure: one transaction, complete, idempotent, proven; a crash changes nothing."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.db import connection

from waarborg.accounts.models import Account, LoginEvent
from waarborg.audit.models import AuditEvent
from waarborg.audit.services import audit_record
from waarborg.billing.models import Invoice, InvoiceLine, Payment
from waarborg.core.errors import PermissionDenied
from waarborg.customers.models import Contact, Customer, Document
from waarborg.erasure import execution, ops
from waarborg.erasure.cases import erasure_case_open, erasure_case_run, erasure_request
from waarborg.erasure.hygiene import files_retry
from waarborg.erasure.ledger import ledger_write, read_file_entries
from waarborg.erasure.models import ErasureCase, LedgerEntry, LedgerHash, PendingFile
from waarborg.erasure.rules import AlreadyErased, ErasureFailed, SubjectNotFound
from waarborg.erasure.tests.world import ALICE_IBAN, build_alice
from waarborg.subjects.finder import Query, subject_find
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db

EMAIL = "alice.devries@example.nl"
# A run that fails records its attempt on the case, outside the transaction that was rolled back.
ATTEMPT_RECORDED = {
    "erasure.ErasureCase.attempts": "a failed run counts its attempt",
    "erasure.ErasureCase.last_error": "a failed run records the kind of error",
}


@pytest.fixture
def erase(personas, django_capture_on_commit_callbacks):
    def run(email=EMAIL, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            case = erasure_request(actor=personas.erin, query=Query(email=email), reason="verzoek", **kw)
        case.refresh_from_db()
        return case

    return run


@pytest.mark.promise("G3", "R3", "R4", "B4")
def test_it_erases_everything_but_the_fiscal_archive_and_proves_it(personas, erase, _files_in_a_fresh_directory):
    world = build_alice(personas)
    case = erase(privacy_request_id=4711)
    assert case.status == ErasureCase.Status.COMPLETE, case.result
    assert case.privacy_request_id == 4711 and case.completed_at is not None
    assert not Contact.objects.filter(pk=world.contact.pk).exists()
    assert not Account.objects.filter(pk=world.account.pk).exists()
    assert not LoginEvent.objects.filter(account_id=world.account.pk).exists()
    customer = Customer.objects.get(pk=world.customer.pk)
    assert customer.name == "[gewist]" and customer.restricted_at is not None
    assert customer.status == Customer.Status.ENDED and customer.ended_at is not None
    assert customer.number == world.customer.number  # the kept invoices refer to it
    for invoice in Invoice.objects.filter(customer=customer):
        assert invoice.restricted_at is not None
        assert invoice.name_printed == "Alice de Vries"  # an invoice stays complete (AWR art. 52)
    assert not InvoiceLine.objects.filter(invoice__customer=customer, restricted_at__isnull=True).exists()
    assert Payment.objects.get(pk=world.payment.pk).restricted_at is not None
    assert Document.objects.get(pk=world.document.pk).restricted_at is not None
    files = _files_in_a_fresh_directory / "files"
    assert not (files / world.attachment.file.name).exists()  # gone after the commit
    assert (files / world.document.file.name).exists()  # kept with the locked document
    assert case.result["scan"]["fail"] == 0 and case.result["scan"]["allowed"] > 0


@pytest.mark.promise("G3", "B4")
def test_it_records_the_erasure_without_personal_values(personas, erase, _files_in_a_fresh_directory):
    world = build_alice(personas)
    case = erase()
    events = AuditEvent.objects.filter(action__startswith="erasure.")
    assert {"erasure.open", "erasure.execute", "erasure.scan"} <= set(events.values_list("action", flat=True))
    dump = json.dumps(list(events.values()), default=str)
    for value in (EMAIL, "+31612345678", "Alice", world.customer.number, ALICE_IBAN):
        assert value not in dump
    entry = LedgerEntry.objects.get(case_id=case.pk)
    assert entry.rows["customers.Contact"]["delete"] == [world.contact.pk]
    kinds = set(LedgerHash.objects.filter(entry=entry).values_list("kind", flat=True))
    assert {"email", "phone", "customer_number", "ip", "iban", "name"} <= kinds
    ledger = json.dumps(read_file_entries())
    assert read_file_entries()[0]["uid"] == str(entry.uid)
    for value in (EMAIL, "Alice", ALICE_IBAN, world.customer.number):
        assert value not in ledger and value not in json.dumps(case.result)


@pytest.mark.promise("G3")
def test_it_changes_nothing_more_when_run_again(personas, erase):
    world = build_alice(personas)
    case = erase()
    assert case.subject_ref == f"customers.Customer:{world.customer.pk}"
    before = database_snapshot()
    with pytest.raises(AlreadyErased, match="already"):
        erasure_case_run(actor=personas.erin, case=case)
    with pytest.raises(AlreadyErased, match=f"erasure case {case.pk}"):
        erase()  # by e-mail: the ledger knows it
    with pytest.raises(AlreadyErased):
        erasure_request(actor=personas.erin, query=Query(customer_number=world.customer.number), reason="x")
    assert_nothing_changed(before)


@pytest.mark.promise("G3")
def test_it_says_clearly_when_nobody_matches(personas):
    build_alice(personas)
    with unchanged(), pytest.raises(SubjectNotFound, match="no subject found"):
        erasure_request(actor=personas.erin, query=Query(email="niemand@example.nl"), reason="x")


def _statement_that(where: str):
    """Whether an SQL statement is the one of a step of the run: an anonymised value written
    (ops.PLACEHOLDER) or rows locked away (ops.RESTRICTED_FIELD)."""
    if where == "anonymising":
        return lambda sql, params: sql.startswith("UPDATE") and ops.PLACEHOLDER in [str(p) for p in params]
    return lambda sql, params: sql.startswith("UPDATE") and f'"{ops.RESTRICTED_FIELD}"' in sql


@pytest.mark.promise("G3", "B4")
@pytest.mark.parametrize("where", ["anonymising", "locking", "ledger", "audit"])
def test_it_changes_nothing_wherever_it_stops(personas, monkeypatch, where):
    world = build_alice(personas)
    failed = []

    def fail_the_statement(execute, sql, params, many, context):
        # Django's documented hook on every statement (connection.execute_wrapper): this one fails.
        if where in ("anonymising", "locking") and _statement_that(where)(sql, params or ()):
            failed.append(sql)
            raise OSError("disk full")
        return execute(sql, params, many, context)

    def fail_the_call(real):
        def crash(*args, **kw):
            if real is ledger_write or kw.get("action") == "erasure.execute":
                failed.append(real.__name__)
                raise OSError("disk full")
            return real(*args, **kw)

        return crash

    if where == "ledger":
        monkeypatch.setattr(execution, "ledger_write", fail_the_call(ledger_write))
    if where == "audit":
        monkeypatch.setattr(execution, "audit_record", fail_the_call(audit_record))
    case = erasure_case_open(actor=personas.erin, hits=subject_find(Query(email=EMAIL)), source="request")
    before = database_snapshot()
    with connection.execute_wrapper(fail_the_statement), pytest.raises(ErasureFailed, match="nothing changed"):
        erasure_case_run(actor=personas.erin, case=case)
    assert len(failed) == 1, failed  # it did stop there
    assert_nothing_changed(before, except_for=ATTEMPT_RECORDED)
    case.refresh_from_db()
    assert case.attempts == 1 and case.last_error == "OSError"
    assert Contact.objects.filter(pk=world.contact.pk).exists()


@pytest.mark.promise("G3", "B2")
def test_it_lets_only_the_privacy_officer_erase(personas):
    build_alice(personas)
    for viewer in (personas.carol, personas.dave, personas.frank, personas.bob):
        with unchanged(), pytest.raises(PermissionDenied):
            erasure_request(actor=viewer, query=Query(email=EMAIL), reason="x")


@pytest.mark.promise("G3")
def test_it_refuses_personal_data_in_the_reason(personas):
    build_alice(personas)
    from waarborg.core.errors import ValidationError

    with unchanged(), pytest.raises(ValidationError, match="may not contain personal data"):
        erasure_request(actor=personas.erin, query=Query(email=EMAIL), reason=f"mail van {EMAIL}")


@pytest.mark.promise("G3", "B4")
def test_it_leaves_the_database_as_it_was_when_it_stops_halfway(personas, monkeypatch, _files_in_a_fresh_directory):
    world = build_alice(personas)
    calls = []
    real = ops.delete_queryset

    def crash_on_the_third(qs, **kw):
        calls.append(qs.model)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real(qs, **kw)

    monkeypatch.setattr(ops, "delete_queryset", crash_on_the_third)
    case = erasure_case_open(
        actor=personas.erin,
        hits=subject_find(Query(email=EMAIL)),
        source="request",
    )
    before = database_snapshot()
    with pytest.raises(ErasureFailed, match="rolled back, nothing changed"):
        erasure_case_run(actor=personas.erin, case=case)
    assert len(calls) == 3  # two deletes had run inside the transaction
    assert_nothing_changed(before, except_for=ATTEMPT_RECORDED)
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.OPEN and case.attempts == 1 and case.last_error == "RuntimeError"
    assert (_files_in_a_fresh_directory / "files" / world.attachment.file.name).exists()
    monkeypatch.setattr(ops, "delete_queryset", real)
    case = erasure_case_run(actor=personas.erin, case=case)  # and then it simply runs
    assert not Contact.objects.filter(pk=world.contact.pk).exists()


@pytest.mark.promise("G3")
def test_it_retries_a_file_that_would_not_go(personas, monkeypatch, erase, _files_in_a_fresh_directory):
    world = build_alice(personas)

    def refuse(self, name):
        raise PermissionError("read-only")

    monkeypatch.setattr(FileSystemStorage, "delete", refuse)
    case = erase()
    assert case.status == ErasureCase.Status.INCOMPLETE
    pending = PendingFile.objects.get(case=case)
    assert pending.attempts == 1 and pending.last_error == "PermissionError"
    assert case.result["files_failed"] == 1
    monkeypatch.undo()
    counts = files_retry()
    assert counts["files_removed"] == 1 and counts["cases_closed"] == 1
    case.refresh_from_db()
    assert case.status == ErasureCase.Status.COMPLETE
    assert not Path(_files_in_a_fresh_directory / "files" / world.attachment.file.name).exists()


@pytest.mark.promise("G3")
def test_it_drops_derived_copies(personas, erase):
    build_alice(personas)
    cache.set("subject-summary", {"name": "Alice de Vries"})
    case = erase()
    assert cache.get("subject-summary") is None and case.result["derived"]["caches"] >= 1


@pytest.mark.promise("G3", "R1")
def test_it_waits_while_a_hold_applies_and_changes_nothing(personas, erase):
    world = build_alice(personas, unpaid=True)
    before = database_snapshot()
    case = erase()
    assert case.status == ErasureCase.Status.ON_HOLD and case.hold == "open_claim"
    assert case.result["holds"][0]["refs"] == [f"billing.Invoice:{world.invoices[-1].pk}"]
    assert_nothing_changed(
        before,
        except_for={
            "erasure.ErasureCase": "the case is opened, on hold, and says why",
            "audit.AuditEvent": "opening the case and its hold are audited",
        },
    )
