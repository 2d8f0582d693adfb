"""Payment stops the ladder; it lifts only non-payment blocks, only when nothing else is overdue (A2, A5)."""

import datetime as dt

import pytest

from waarborg.billing.services import payment_record
from waarborg.catalogue.models import Subscription
from waarborg.catalogue.services import subscription_block
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.dunning.contests import contest_submit
from waarborg.dunning.models import Case, Decision, Notice
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

from .conftest import ACTIVE, BLOCKED, DUE, D, run, run_days

pytestmark = pytest.mark.django_db

BLOCK_DAY = D(2026, 2, 16)  # the consumer ladder blocks on day 42


def pay(dave, invoice, amount, day, **kwargs):
    with clock.as_of(day):
        return payment_record(actor=dave, invoice=invoice, amount=amount, **kwargs)


@pytest.mark.promise("A2", "A5")
def test_paying_everything_closes_the_case_and_lifts_the_non_payment_block_at_once(consumer, personas, mailbox):
    invoice = consumer.invoice()
    run_days(DUE, BLOCK_DAY)
    assert consumer.status() == (BLOCKED, ACTIVE)
    sent_before = len(mailbox.wait_for(4))
    pay(personas.dave, invoice, "121.00", D(2026, 2, 18))
    # at once, without waiting for the daily run
    assert consumer.status() == (ACTIVE, ACTIVE)
    case = consumer.case()
    assert (case.status, case.close_reason, case.closed_on) == ("closed", "paid", D(2026, 2, 18))
    closed = Decision.objects.get(case=case, kind="closed")
    assert closed.outcome_data["unblocked"][0]["id"] == consumer.hosting.pk
    assert closed.facts["payment"]["amount"] == "121.00"
    run(D(2026, 2, 18))  # sends the closing notice; nothing else happens
    messages = mailbox.wait_for(sent_before + 1)
    assert messages[-1]["Subject"] == "Alles is betaald: dank u wel"
    assert "opgeheven" in mailbox.body(messages[-1])
    assert run(D(2026, 3, 30))["dunning"] == {}


@pytest.mark.promise("A2", "A5")
def test_payment_lifts_only_blocks_made_for_non_payment(consumer, personas):
    invoice = consumer.invoice()
    run_days(DUE, BLOCK_DAY)
    subscription_block(actor=personas.carol, subscription=consumer.mail, reason="abuse")
    pay(personas.dave, invoice, "121.00", D(2026, 2, 18))
    consumer.refresh()
    assert consumer.hosting.status == ACTIVE
    assert (consumer.mail.status, consumer.mail.block_reason) == (BLOCKED, "abuse")


@pytest.mark.promise("A2", "A5")
def test_payment_lifts_no_block_while_something_else_is_overdue(consumer, personas):
    first = consumer.invoice(subscription=consumer.hosting)
    second = consumer.invoice(due=DUE + dt.timedelta(days=10), subscription=consumer.mail)
    run_days(DUE, BLOCK_DAY)
    assert consumer.status() == (BLOCKED, BLOCKED)
    pay(personas.dave, first, "121.00", D(2026, 2, 18))
    assert consumer.status() == (BLOCKED, BLOCKED)  # the other invoice is still overdue
    decision = Decision.objects.get(kind="payment_booked")
    assert decision.outcome == "continues"
    assert [i["number"] for i in decision.facts["invoices"]] == [second.number]
    assert decision.facts["oldest_due_date"] == "2026-01-15" and decision.facts["previous_anchor"] == "2026-01-05"


@pytest.mark.promise("A5")
def test_a_partial_payment_is_booked_and_the_case_continues_on_what_is_open(consumer, personas, mailbox):
    invoice = consumer.invoice(amount="300.00")
    run_days(DUE, D(2026, 1, 19))  # reminder and WIK letter
    wik = Notice.objects.get(kind="wik_letter")
    assert wik.costs_amount == 45  # 15% of 300.00
    pay(personas.dave, invoice, "100.00", D(2026, 1, 22))
    case = consumer.case()
    assert case.status == "open" and case.anchor_date == DUE
    booked = Decision.objects.get(kind="payment_booked")
    assert booked.facts["invoices"][0]["open"] == "200.00"
    assert booked.facts["payment"] == {
        "id": booked.facts["payment"]["id"],
        "invoice": invoice.number,
        "amount": "100.00",
        "currency": "EUR",
        "received_on": "2026-01-22",
    }
    assert booked.next_kind == "final_notice" and booked.next_on == D(2026, 2, 9)
    run_days(D(2026, 1, 22), D(2026, 2, 9))
    final = Decision.objects.get(kind="final_notice")
    assert final.facts["totals"] == {"EUR": "200.00"}
    # the costs follow what is still open, never more than the letter said: 15% of 200 = 30
    assert final.facts["costs"]["amount"] == "40.00" and final.facts["costs"]["due"] is True
    bodies = [mailbox.body(m) for m in mailbox.wait_for(4)]
    assert any("uw betaling van € 100,00" in b and "€ 200,00" in b for b in bodies)


@pytest.mark.promise("A5")
def test_a_paused_case_closes_when_everything_is_paid(consumer, personas):
    invoice = consumer.invoice()
    run_days(DUE, D(2026, 1, 12))
    contest_submit(actor=personas.alice, case=consumer.case(), statement="Ik heb al betaald.")
    pay(personas.dave, invoice, "121.00", D(2026, 1, 14))
    assert consumer.case().status == "closed"


@pytest.mark.promise("A5")
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": "500.00"}, "more than the amount open"),
        ({"amount": "121.00", "currency": "USD"}, "another currency"),
        ({"amount": "0"}, "more than zero"),
    ],
)
def test_a_refused_payment_changes_nothing_in_dunning(consumer, personas, kwargs, message):
    invoice = consumer.invoice()
    run_days(DUE, BLOCK_DAY)
    before = database_snapshot()
    with pytest.raises(ValidationError, match=message):
        pay(personas.dave, invoice, day=D(2026, 2, 18), **kwargs)
    assert_nothing_changed(before)
    assert consumer.case().status == Case.Status.OPEN


@pytest.mark.promise("A5")
def test_a_payment_for_an_unknown_invoice_is_refused_and_changes_nothing(consumer, personas):
    consumer.invoice()
    run_days(DUE, BLOCK_DAY)
    before = database_snapshot()
    with pytest.raises(ValidationError, match="unknown invoice"):
        pay(personas.dave, "2099-999999", "10.00", D(2026, 2, 18))
    assert_nothing_changed(before)


@pytest.mark.promise("A2")
def test_a_payment_without_a_case_still_lifts_a_non_payment_block(consumer, personas):
    invoice = consumer.invoice(due=D(2026, 3, 1))
    subscription_block(actor=personas.dave, subscription=consumer.hosting, reason="non_payment")
    pay(personas.dave, invoice, "121.00", D(2026, 2, 20))
    assert consumer.status() == (ACTIVE, ACTIVE)
    assert Case.objects.count() == 0


@pytest.mark.promise("A5")
def test_the_daily_run_closes_a_case_whose_invoices_were_cancelled(consumer, personas):
    from waarborg.billing.models import Invoice

    invoice = consumer.invoice()
    run_days(DUE, BLOCK_DAY)
    Invoice.objects.filter(pk=invoice.pk).update(status="cancelled")  # e.g. credited
    result = run(D(2026, 2, 17))
    assert result["dunning"] == {"closed": 1}
    assert consumer.case().close_reason == "settled"
    assert consumer.status() == (ACTIVE, ACTIVE)
    assert Subscription.objects.filter(block_reason="non_payment").count() == 0
