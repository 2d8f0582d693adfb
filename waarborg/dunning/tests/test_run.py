"""The daily run: reminders, the WIK letter, the final notice, the block (A1, A2, A5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waarborg.audit.models import AuditEvent
from waarborg.dunning.models import Decision, Notice
from waarborg.dunning.run import run_day
from waarborg.testing import factories as f

from .conftest import ACTIVE, BLOCKED, DUE, D, run, run_days

pytestmark = pytest.mark.django_db


@pytest.mark.promise("A1", "A5")
def test_it_sends_a_reminder_a_week_after_the_due_date_and_records_the_decision(consumer, mailbox):
    invoice = consumer.invoice()
    assert run(DUE + dt.timedelta(days=6))["dunning"] == {}  # not yet: the first step is on day 7
    assert consumer.case() is None
    result = run(DUE + dt.timedelta(days=7))
    assert result["dunning"] == {"opened": 1, "reminder": 1}
    assert result["dunning-notices"] == {"sent": 1}
    case = consumer.case()
    decision = Decision.objects.get(case=case)
    assert decision.kind == "reminder" and decision.outcome == "reminder_sent"
    assert decision.rule == "ladder consumer v1, step 1 'reminder-1' (reminder, day 7)"
    assert decision.ladder_version.version == 1
    assert decision.facts["invoices"] == [
        {
            "id": invoice.pk,
            "number": invoice.number,
            "due_date": "2026-01-05",
            "currency": "EUR",
            "total": "121.00",
            "paid": "0.00",
            "open": "121.00",
            "days_overdue": 7,
        }
    ]
    assert decision.facts["totals"] == {"EUR": "121.00"}
    assert decision.facts["days_overdue"] == 7
    assert decision.next_kind == "wik_letter" and decision.next_on == D(2026, 1, 19)
    assert decision.automated
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "alice.devries@example.nl"
    assert message["Subject"] == "Betalingsherinnering"
    body = mailbox.body(message)
    assert invoice.number in body and "€ 121,00" in body
    assert "veertiendagenbrief (aanmaning), op 19 januari 2026 of later" in body
    assert "/portaal/incasso/bezwaar/" in body and "/portaal/incasso/persoon/" in body
    assert "automatisch genomen op 12 januari 2026" in body


@pytest.mark.promise("A1", "A5")
def test_running_the_same_day_twice_sends_nothing_twice(consumer, mailbox):
    consumer.invoice()
    day = DUE + dt.timedelta(days=7)
    run(day)
    second = run(day)
    assert second["dunning"] == {} and second["dunning-notices"] == {}
    assert Decision.objects.count() == 1 and Notice.objects.count() == 1
    assert len(mailbox.settle()) == 1
    # and straight into the service: the idempotency key refuses a second decision for a step
    assert run_day(day) == {}


@pytest.mark.promise("A1", "A2", "A5")
def test_it_walks_the_consumer_ladder_day_by_day_and_blocks_only_after_the_announced_date(consumer, mailbox):
    invoice = consumer.invoice(subscription=consumer.hosting)
    results = run_days(DUE, D(2026, 2, 16))
    steps = [(r["dunning"], DUE + dt.timedelta(days=n)) for n, r in enumerate(results) if r["dunning"]]
    kinds = [(day, sorted(k for k in counts if k != "opened")) for counts, day in steps]
    assert kinds == [
        (D(2026, 1, 12), ["reminder"]),
        (D(2026, 1, 19), ["wik_letter"]),
        (D(2026, 2, 9), ["final_notice"]),
        (D(2026, 2, 16), ["block"]),
    ]
    assert consumer.decisions() == ["reminder", "wik_letter", "final_notice", "block"]
    assert consumer.notices() == ["reminder", "wik_letter", "final_notice", "block"]
    # only the service the unpaid invoice is for
    assert consumer.status() == (BLOCKED, ACTIVE)
    consumer.hosting.refresh_from_db()
    assert consumer.hosting.block_reason == "non_payment"
    final = Notice.objects.get(kind="final_notice")
    assert final.next_on == D(2026, 2, 16)
    messages = mailbox.wait_for(4)
    assert "blokkeren wij op 16 februari 2026 de diensten waarvoor deze facturen zijn" in mailbox.body(messages[2])
    block = Decision.objects.get(kind="block")
    assert block.outcome_data["blocked"] == [
        {"id": consumer.hosting.pk, "product": "Webhosting Basis", "label": "site.example"}
    ]
    assert block.facts["notices"][-1] == {"kind": "final_notice", "sent_on": "2026-02-09"}
    assert block.facts["costs"]["due"] is True  # the WIK term ended on 4 February
    assert invoice.number in mailbox.body(messages[3])


@pytest.mark.promise("A1", "A5")
def test_a_missed_run_takes_every_step_in_order_and_never_compresses_them(consumer):
    consumer.invoice()
    run(DUE + dt.timedelta(days=40))  # nothing ran for forty days
    assert consumer.decisions() == ["reminder"]
    reminder = Decision.objects.get(kind="reminder")
    assert reminder.facts["planned_on"] == "2026-01-12" and reminder.facts["late_days"] == 33
    case = consumer.case()
    assert case.next_step_on == D(2026, 2, 21)  # 7 days after the late reminder, as the ladder spaces them
    run(D(2026, 2, 20))
    assert consumer.decisions() == ["reminder"]
    run(D(2026, 3, 30))
    assert consumer.decisions() == ["reminder", "wik_letter"]
    run(D(2026, 5, 30))
    assert consumer.decisions() == ["reminder", "wik_letter", "final_notice"]
    run(D(2026, 5, 31))
    assert consumer.decisions() == ["reminder", "wik_letter", "final_notice"]  # the notice's 7 days
    run(D(2026, 6, 6))
    assert consumer.decisions() == ["reminder", "wik_letter", "final_notice", "block"]


@pytest.mark.promise("A2", "A5")
def test_a_block_waits_until_the_final_notice_has_really_gone_out(consumer, mailbox, settings):
    consumer.invoice()
    run_days(DUE, D(2026, 2, 8))
    settings.EMAIL_PORT = 1  # the mail server is unreachable when the final notice is due
    result = run(D(2026, 2, 9))
    assert result["dunning"] == {"final_notice": 1}
    assert result["dunning-notices"] == {"failed": 1}
    case = consumer.case()
    assert case.pending_notice
    later = run(D(2026, 2, 16))
    assert later["dunning"] == {"waiting_for_notice": 1}  # no block without its notice
    assert consumer.status() == (ACTIVE, ACTIVE)
    settings.EMAIL_PORT = mailbox.port
    run(D(2026, 2, 17))  # the notice goes out now: the block moves to seven days later
    notice = Notice.objects.get(kind="final_notice")
    assert notice.status == Notice.Status.SENT and notice.next_on == D(2026, 2, 24) and notice.attempts == 3
    run(D(2026, 2, 23))
    assert consumer.status() == (ACTIVE, ACTIVE)
    run(D(2026, 2, 24))
    assert consumer.status() == (BLOCKED, ACTIVE)


@pytest.mark.promise("A2")
def test_block_scope_all_blocks_every_service(consumer, finance_ladder_update):
    finance_ladder_update("consumer", settings={"block_scope": "all"})
    consumer.invoice(subscription=consumer.hosting)
    run_days(DUE, D(2026, 2, 16))
    assert consumer.status() == (BLOCKED, BLOCKED)


@pytest.mark.promise("A2", "A5")
def test_a_block_with_no_service_linked_is_recorded_not_skipped(consumer):
    invoice = consumer.invoice()
    invoice.lines.update(subscription=None)
    run_days(DUE, D(2026, 2, 16))
    block = Decision.objects.get(kind="block")
    assert block.outcome == "nothing_to_block"
    assert consumer.status() == (ACTIVE, ACTIVE)


@pytest.mark.promise("A1", "A5")
def test_a_business_customer_gets_two_reminders_and_the_fixed_compensation(business, mailbox):
    business.invoice()
    business.invoice(due=DUE + dt.timedelta(days=1))
    run_days(DUE, D(2026, 2, 2))
    assert business.decisions() == ["reminder", "reminder", "final_notice", "block"]
    reminder = Decision.objects.filter(kind="reminder").first()
    assert reminder.rule.startswith("ladder business v1")
    assert reminder.facts["costs"] == {
        "kind": "b2b_fixed",
        "amount": "80.00",
        "vat": "0.00",
        "invoices": 2,
        "due": True,
        "basis": "art. 6:96(4) BW",
    }
    body = mailbox.body(mailbox.wait_for(1)[0])
    assert "vaste vergoeding verschuldigd van € 80,00" in body


@pytest.mark.promise("A1")
def test_an_unknown_market_is_treated_as_a_consumer(consumer):
    consumer.customer.market = ""
    consumer.customer.save(update_fields=["market"])
    consumer.invoice()
    run_days(DUE, D(2026, 1, 19))
    assert consumer.case().ladder_version.ladder.key == "consumer"


@pytest.mark.promise("A1", "A5")
def test_the_daily_command_prints_counts_per_step(consumer, capsys):
    from django.core.management import call_command

    consumer.invoice()
    call_command("daily", "--as-of", "2026-01-12", "--only", "dunning", "--only", "dunning-notices")
    out = capsys.readouterr().out
    assert "dunning: opened=1, reminder=1" in out
    assert "dunning-notices: sent=1" in out
    event = AuditEvent.objects.filter(action="dunning.run").last()
    assert event.data == {"opened": 1, "reminder": 1}


@pytest.mark.promise("A1")
def test_the_run_reads_only_overdue_invoices_and_open_cases(personas):
    """The number of queries does not grow with customers who pay on time."""

    def world(n_paying: int, n_late: int):
        for _ in range(n_paying):
            f.InvoiceFactory(
                status="paid", amount_paid=Decimal("121.00"), issue_date=DUE - dt.timedelta(14), due_date=DUE
            )
        for _ in range(n_late):
            f.InvoiceFactory(issue_date=DUE - dt.timedelta(14), due_date=DUE)

    world(5, 3)
    with CaptureQueriesContext(connection) as small:
        run_day(DUE + dt.timedelta(days=7))
    world(60, 3)
    with CaptureQueriesContext(connection) as large:
        run_day(DUE + dt.timedelta(days=14))
    assert len(large) <= len(small) + 2
