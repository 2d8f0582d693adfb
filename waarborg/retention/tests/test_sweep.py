"""The retention sweep: every rule of the map, applied the day after its term ends — not a day before.

A term counted from a day runs to the end of the day it reaches: that day is the last the data
is kept, and it goes the day after (the expectations below are written out from that rule).
"""

import datetime as dt
import io
from decimal import Decimal
from importlib import import_module

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waarborg.accounts.models import Account, LoginEvent
from waarborg.billing.models import Invoice, InvoiceLine, Payment
from waarborg.careers.models import JobApplication
from waarborg.consents.models import ConsentRecord
from waarborg.core import clock, roles
from waarborg.core.daily import run_daily
from waarborg.core.datamap import AMSTERDAM, FISCAL_7Y, LOGIN_6M
from waarborg.correspondence.models import Attachment, Complaint, Message, Ticket
from waarborg.customers.models import ContactHistory, Customer
from waarborg.erasure.cases import erasure_request
from waarborg.erasure.tests.world import build_alice
from waarborg.retention.jobs import cutoff
from waarborg.retention.models import SweepRun
from waarborg.subjects.finder import Query
from waarborg.testing import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 15)
D = dt.date
ONE = dt.timedelta(days=1)


def at(day: dt.date, hour=12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(day=DAY):
        with django_capture_on_commit_callbacks(execute=True):
            return run_daily(day, only=["retention"])["retention"]

    return run


@pytest.mark.promise("R1", "D6")
def test_it_deletes_sign_ins_and_their_ip_addresses_after_six_months(personas, sweep):
    # 14 December 2025 + 6 months = 14 June 2026, its last day; 15 December 2025's last day is today
    due = f.LoginEventFactory(account=personas.alice, at=at(D(2025, 12, 14)))
    kept = f.LoginEventFactory(account=personas.alice, at=at(D(2025, 12, 15)))
    assert sweep()["login_6m"] == 1
    assert not LoginEvent.objects.filter(pk=due.pk).exists()
    assert LoginEvent.objects.filter(pk=kept.pk).exists()
    assert sweep()["login_6m"] == 0  # idempotent
    assert sweep(DAY + dt.timedelta(days=1))["login_6m"] == 1


@pytest.mark.promise("R1", "G2")
def test_it_forgets_a_corrected_value_after_three_months(personas, sweep):
    old = ContactHistory.objects.create(
        contact=personas.alice_contact,
        field="street",
        old_value="Oude Gracht 1",
        changed_at=at(D(2026, 3, 14)),  # kept up to and including 14 June
    )
    new = ContactHistory.objects.create(
        contact=personas.alice_contact, field="town", old_value="Zeist", changed_at=at(D(2026, 3, 15))
    )  # today is its last day
    assert sweep()["correction_3m"] == 1
    assert list(ContactHistory.objects.values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk


@pytest.mark.promise("R1", "D8")
def test_it_deletes_an_application_four_weeks_after_the_procedure_or_a_year_after_the_consent(db, sweep):
    cv = default_storage.save("applications/2026/cv.txt", ContentFile(b"Curriculum vitae"))
    closed = D(2026, 5, 17)  # + 28 days = 14 June, its last day
    plain = f.JobApplicationFactory(procedure_closed_at=at(closed), cv=cv)
    consent_day = D(2026, 5, 16)  # + 1 year = 16 May 2027, its last day
    kept = f.JobApplicationFactory(procedure_closed_at=at(closed), keep_consent_at=at(consent_day))
    running = f.JobApplicationFactory(procedure_closed_at=None, keep_consent_at=at(D(2024, 6, 15)))
    assert sweep()["application_4w"] == 1
    assert set(JobApplication.objects.values_list("pk", flat=True)) == {kept.pk, running.pk}
    assert not default_storage.exists(cv) and plain.pk
    # 1 year after the consent (LAW L-R5: consent_at + 1 year), not after the procedure
    assert sweep(D(2027, 5, 16))["application_4w"] == 0
    assert sweep(D(2027, 5, 17))["application_4w"] == 1
    assert list(JobApplication.objects.values_list("pk", flat=True)) == [running.pk]  # still running


@pytest.mark.promise("R1", "D8")
def test_a_consent_never_shortens_the_four_weeks_after_the_procedure(db, sweep):
    early = f.JobApplicationFactory(
        procedure_closed_at=at(D(2026, 5, 18)), keep_consent_at=at(D(2024, 6, 15))
    )  # 18 May + 28 days = 15 June: today is its last day
    assert sweep()["application_4w"] == 0
    assert sweep(DAY + ONE)["application_4w"] == 1
    assert not JobApplication.objects.filter(pk=early.pk).exists()


@pytest.mark.promise("R1", "D11")
def test_it_deletes_a_closed_ticket_with_its_messages_and_files_after_two_years(personas, sweep):
    name = default_storage.save("attachments/2024/log.txt", ContentFile(b"logregels"))
    closed = f.TicketFactory(
        customer=personas.alice_customer,
        contact=personas.alice_contact,
        status=Ticket.Status.CLOSED,
        closed_at=at(D(2024, 6, 14)),  # + 2 years = 14 June 2026, its last day
    )
    message = f.MessageFactory(ticket=closed)
    f.AttachmentFactory(message=message, file=name)
    still_open = f.TicketFactory(customer=personas.alice_customer, contact=personas.alice_contact)
    f.MessageFactory(ticket=still_open)
    last_day = f.TicketFactory(
        customer=personas.alice_customer, status=Ticket.Status.CLOSED, closed_at=at(D(2024, 6, 15))
    )
    counts = sweep()
    assert counts["correspondence_2y"] == 3  # attachment, message, ticket
    assert set(Ticket.objects.values_list("pk", flat=True)) == {still_open.pk, last_day.pk}
    assert Message.objects.count() == 1 and not Attachment.objects.exists()
    assert not default_storage.exists(name)


@pytest.mark.promise("R1", "C1", "G4")
def test_it_keeps_proof_of_a_withdrawn_consent_for_a_year(personas, sweep):
    withdrawn = f.ConsentRecordFactory(account=personas.alice, withdrawn_at=at(D(2025, 6, 14)))
    recent = f.ConsentRecordFactory(account=personas.alice, withdrawn_at=at(DAY - dt.timedelta(days=3)))
    active = f.ConsentRecordFactory(account=personas.alice)
    assert sweep()["consent_proof_1y"] == 1
    assert set(ConsentRecord.objects.values_list("pk", flat=True)) == {recent.pk, active.pk}
    assert withdrawn.pk


@pytest.mark.promise("R1", "D11", "D5", "B4")
def test_it_sweeps_complaints_sessions_admin_logs_and_former_staff(personas, sweep):
    old = f.ComplaintFactory(status=Complaint.Status.HANDLED, closed_at=at(D(2024, 6, 14)))
    f.ComplaintFactory()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=at(D(2026, 5, 31)))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=at(D(2026, 6, 1)))  # last day today
    LogEntry.objects.create(
        user=personas.frank, object_repr="Product #1", action_flag=ADDITION, action_time=at(D(2025, 6, 14))
    )
    leaver = f.StaffAccountFactory(role=roles.SUPPORT, is_active=False, deactivated_at=at(DAY - dt.timedelta(days=1)))
    counts = sweep()
    assert counts["complaint_2y"] == 1 and not Complaint.objects.filter(pk=old.pk).exists()
    assert counts["session_2w"] == 1 and list(Session.objects.values_list("pk", flat=True)) == ["b" * 32]
    assert counts["admin_log_1y"] == 1 and not LogEntry.objects.exists()
    assert counts["staff"] == 1 and not Account.objects.filter(pk=leaver.pk).exists()


@pytest.mark.promise("R3", "R4")
def test_it_erases_the_fiscal_archive_after_31_december_plus_seven_years(
    personas, sweep, django_capture_on_commit_callbacks
):
    world = build_alice(personas)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request(actor=personas.erin, query=Query(email="alice.devries@example.nl"), reason="verzoek")
    last_year = max(i.issue_date.year for i in world.invoices)
    last_payment = world.payment.received_at.astimezone(AMSTERDAM).year
    final = dt.date(max(last_year, last_payment) + 7, 12, 31)  # the last day the archive is kept
    before = sweep(final)
    assert Customer.objects.filter(pk=world.customer.pk).exists()
    assert Invoice.objects.filter(customer_id=world.customer.pk, issue_date__year=last_year).exists()
    assert before["archive_released"] == 0
    counts = sweep(final + ONE)
    assert not Invoice.objects.filter(customer_id=world.customer.pk).exists()
    assert not InvoiceLine.objects.exists() and not Payment.objects.exists()
    assert not Customer.objects.filter(pk=world.customer.pk).exists()  # nothing refers to it any more
    assert counts["archive_released"] == 1
    # the assignment document went 7 years after the relationship ended (earlier, or on the same run)
    assert not world.document.__class__.objects.filter(pk=world.document.pk).exists()


@pytest.mark.promise("R3")
def test_a_payment_keeps_its_invoice_until_the_payment_itself_may_go(personas, sweep):
    invoice = f.InvoiceFactory(
        customer=personas.bob_customer,
        issue_date=dt.date(2018, 12, 20),
        status=Invoice.Status.PAID,
        amount_paid=Decimal("121.00"),
    )
    f.PaymentFactory(invoice=invoice, amount=Decimal("121.00"), received_at=at(dt.date(2019, 1, 4)))
    assert sweep(dt.date(2025, 12, 31))["fiscal_7y"] == 0
    assert sweep(dt.date(2026, 1, 1))["fiscal_7y"] == 0  # the invoice's term is over, its payment's not
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    assert sweep(dt.date(2026, 12, 31))["fiscal_7y"] == 0  # the payment's last day
    assert sweep(dt.date(2027, 1, 1))["fiscal_7y"] == 2
    assert not Invoice.objects.filter(pk=invoice.pk).exists()


@pytest.mark.promise("R3")
def test_it_counts_the_fiscal_term_from_31_december_of_the_invoice_year():
    assert FISCAL_7Y.kept_until(dt.date(2019, 1, 2)) == dt.date(2026, 12, 31)
    assert FISCAL_7Y.purge_date(dt.date(2019, 1, 2)) == dt.date(2027, 1, 1)
    assert cutoff(FISCAL_7Y, dt.date(2026, 12, 31)) == dt.date(2018, 12, 31)  # 2019's last day
    assert cutoff(FISCAL_7Y, dt.date(2027, 1, 1)) == dt.date(2019, 12, 31)
    assert cutoff(LOGIN_6M, dt.date(2026, 8, 31)) == dt.date(
        2026, 2, 28
    )  # 31 Aug - 6 months, and 29–31 Feb don't exist
    for day in (dt.date(2026, 3, 1), dt.date(2026, 8, 31), dt.date(2024, 2, 29)):
        c = cutoff(LOGIN_6M, day)
        assert LOGIN_6M.purge_date(c) <= day < LOGIN_6M.purge_date(c + dt.timedelta(days=1))


@pytest.mark.promise("R1", "B4")
def test_it_prints_counts_per_rule_and_records_the_run(personas):
    f.LoginEventFactory(account=personas.alice, at=at(D(2025, 11, 15)))
    out = io.StringIO()
    call_command("daily", "--as-of", DAY.isoformat(), "--only", "retention", stdout=out)
    assert "retention: " in out.getvalue() and "login_6m=1" in out.getvalue()
    run = SweepRun.objects.get()
    assert run.day == DAY and run.counts["login_6m"] == 1 and run.finished_at is not None


@pytest.mark.promise("R1")
def test_its_work_grows_with_what_is_due_not_with_what_is_kept(personas, sweep):
    def queries(n_kept):
        LoginEvent.objects.all().delete()
        for _ in range(n_kept):
            f.LoginEventFactory(account=personas.alice, at=at(DAY - dt.timedelta(days=5)))
        f.LoginEventFactory(account=personas.alice, at=at(DAY - dt.timedelta(days=400)))
        with CaptureQueriesContext(connection) as ctx:
            assert sweep()["login_6m"] == 1
        return len(ctx.captured_queries)

    queries(1)  # the first run sets up what every run shares (the audit head, …)
    assert queries(3) == queries(60)


@pytest.mark.promise("R1")
def test_every_anchor_date_the_sweep_ranges_over_is_indexed(db):
    indexes = import_module("waarborg.retention.migrations.0002_anchor_date_indexes").INDEXES
    indexes += import_module("waarborg.retention.migrations.0003_claim_closed_index").INDEXES
    with connection.cursor() as cursor:
        for _name, table, column in indexes:
            constraints = connection.introspection.get_constraints(cursor, table)
            assert any(c["index"] and c["columns"] == [column] for c in constraints.values()), (table, column)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN SELECT id FROM accounts_loginevent WHERE at < %s", [at(DAY).isoformat()])
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan


@pytest.mark.promise("R1")
def test_it_sweeps_nothing_that_is_not_due(personas, sweep):
    build_alice(personas)  # one of her sign-ins is 200 days old: that one is due
    counts = sweep(clock.today())
    assert {k: v for k, v in counts.items() if v} == {"login_6m": 1}
    assert {k: v for k, v in sweep(clock.today()).items() if v} == {}


@pytest.mark.promise("R2")
def test_it_looks_only_at_newly_ended_relationships_except_on_mondays(db, sweep):
    tuesday = DAY + dt.timedelta(days=1)
    sweep(tuesday)
    late = f.CustomerFactory(private=True, status=Customer.Status.ENDED, ended_at=at(DAY - dt.timedelta(days=3)))
    fresh = f.CustomerFactory(private=True, status=Customer.Status.ENDED, ended_at=at(tuesday + dt.timedelta(days=1)))
    assert sweep(tuesday + dt.timedelta(days=1))["erasure_cases_opened"] == 1  # only the newly ended one
    assert sweep(DAY + dt.timedelta(days=7))["erasure_cases_opened"] == 1  # Monday: everything, once
    from waarborg.erasure.models import ErasureCase

    refs = set(ErasureCase.objects.values_list("subject_ref", flat=True))
    assert refs == {f"customers.Customer:{late.pk}", f"customers.Customer:{fresh.pk}"}


@pytest.mark.promise("R1", "G8")
def test_it_destroys_id_copies_after_the_check_and_sweeps_their_record(personas, django_capture_on_commit_callbacks):
    from waarborg.privacy import storage
    from waarborg.privacy.intake import privacy_request_create
    from waarborg.privacy.models import IdDocument

    request = privacy_request_create(
        actor=personas.erin, type="access", channel="email", received_at=DAY, email="alice.devries@example.nl"
    )
    content = b"%PDF-1.4 redacted copy"

    def upload(day):
        return IdDocument.objects.create(
            request=request,
            stored_name=storage.store(content),
            content_type="application/pdf",
            size=len(content),
            redaction_confirmed=True,
            uploaded_at=at(day),
        )

    old, recent = upload(DAY - dt.timedelta(days=7)), upload(DAY - dt.timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        result = run_daily(DAY, only=["privacy-id-documents", "retention"])
    assert result["privacy-id-documents"]["destroyed"] == 1 and result["retention"]["id_check"] == 1
    assert not storage.exists(old.stored_name) and not IdDocument.objects.filter(pk=old.pk).exists()
    assert storage.exists(recent.stored_name) and IdDocument.objects.filter(pk=recent.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = run_daily(DAY, only=["privacy-id-documents", "retention"])
    assert again["privacy-id-documents"]["destroyed"] == 0 and again["retention"].get("id_check", 0) == 0


@pytest.mark.promise("R1", "R2", "R3")
def test_it_applies_every_retention_rule_of_the_map(db, sweep):
    from waarborg.core import datamap
    from waarborg.core.checks import check_personal_data_map
    from waarborg.retention.jobs import is_subject_request, rules_of

    counts = sweep()
    swept, by_case = set(), set()
    for entry in datamap.entries():
        for rule, _names in rules_of(entry).values():
            (by_case if is_subject_request(rule) else swept).add(rule.key)
    assert swept <= set(counts), swept - set(counts)  # every rule is applied (and counted) each day
    assert by_case == {"while_customer"} and "erasure_cases_opened" in counts  # R2: as an erasure case
    assert {"login_6m", "application_4w", "id_check", "correspondence_2y", "consent_proof_1y", "fiscal_7y"} <= swept
    # a rule without a term, or without the date it counts from, stops the system check (proved
    # on a model made for it in waarborg/core/tests/test_datamap_check.py); the map has none
    assert not [e for e in check_personal_data_map() if e.id in ("waarborg.E005", "waarborg.E009")]
