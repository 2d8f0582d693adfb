"""The fourteen-day letter by e-mail only where the consumer agreed; otherwise by post, its term
and costs counting from the day finance posted it (art. 6:96(6) BW; A1–A5).

The expected last day of the term is computed here from the rule itself — the letter counts as
received on the second day after posting, Sundays, Mondays and public holidays not counted;
then fourteen days; a last day on a Saturday, Sunday or holiday moves to the next working day —
with this file's own holiday list. The dates used lie in September and October 2026, far from
any public or decreed holiday.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from waarborg.audit.services import actor_of
from waarborg.billing.services import payment_record
from waarborg.core import clock
from waarborg.core.actors import System
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.customers.models import Customer
from waarborg.dunning.models import Decision, Notice
from waarborg.dunning.post import letter_posted, letters_to_post_for
from waarborg.dunning.selectors import case_timeline_for
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

from .conftest import ACTIVE, D, run, run_days

pytestmark = pytest.mark.django_db

DUE = D(2026, 9, 7)  # a Monday
LETTER_DAY = D(2026, 9, 21)  # day 14 of the consumer ladder: the fourteen-day letter
# This file's own holidays (Algemene termijnenwet art. 3): none lies near the dates used.
HOLIDAYS = {D(2026, 12, 25), D(2026, 12, 26), D(2027, 1, 1)}
SUNDAY, MONDAY, SATURDAY = 6, 0, 5


def oracle_last_day(posted: dt.date) -> dt.date:
    """The last day to pay without costs for a letter posted on `posted`, from the rule."""
    day, counted = posted, 0
    while counted < 2:  # received: the second day after posting, not counting Sun, Mon, holidays
        day += dt.timedelta(days=1)
        if day.weekday() not in (SUNDAY, MONDAY) and day not in HOLIDAYS:
            counted += 1
    end = day + dt.timedelta(days=14)  # fourteen days from the day after receipt
    while end.weekday() >= SATURDAY or end in HOLIDAYS:
        end += dt.timedelta(days=1)
    return end


def _to_the_letter(world):
    invoice = world.invoice(due=DUE)
    run_days(DUE, LETTER_DAY)
    return invoice


def _letter() -> Notice:
    return Notice.objects.select_related("decision").get(kind="wik_letter")


def _subjects(mailbox) -> list[str]:
    return [m["Subject"] for m in mailbox.settle()]


# --- The channel ---------------------------------------------------------------------------


@pytest.mark.promise("A1", "A5")
def test_a_consumer_without_the_agreement_gets_no_email_but_a_letter_queued_for_post(paper_consumer, mailbox, personas):
    _to_the_letter(paper_consumer)
    assert paper_consumer.decisions() == ["reminder", "wik_letter"]
    decision = Decision.objects.get(kind="wik_letter")
    assert decision.outcome == "letter_to_post"
    assert decision.outcome_data["channel"] == "post" and "agreement" not in decision.outcome_data
    assert decision.outcome_data["costs_total"] == "40.00"  # 15 % of € 121, at least € 40
    letter = _letter()
    assert (letter.channel, letter.status) == ("post", "to_post")
    assert letter.sent_at is None and letter.term_end is None and letter.posted_on is None
    # no e-mail for the letter: only the reminder went out
    assert _subjects(mailbox) == ["Betalingsherinnering"]
    case = paper_consumer.case()
    assert case.pending_notice is True and case.costs_from is None
    timeline = case_timeline_for(viewer=personas.dave, case=case)
    assert timeline.waiting_for == "post"
    assert (timeline.letter.channel, timeline.letter.status) == ("post", "to_post")
    assert [n.pk for n in letters_to_post_for(viewer=personas.dave)] == [letter.pk]
    # the daily notice sender leaves it alone
    assert run(LETTER_DAY + dt.timedelta(days=1))["dunning-notices"] == {}
    assert _letter().status == "to_post"


@pytest.mark.promise("A1", "A2", "A3", "A5")
def test_while_the_letter_is_unposted_the_run_takes_no_later_step_and_charges_no_costs(paper_consumer, mailbox):
    _to_the_letter(paper_consumer)
    # past the days of the final notice (35), the block (42) and the bailiff (70)
    results = run_days(LETTER_DAY + dt.timedelta(days=1), DUE + dt.timedelta(days=75))
    assert all(not {k for k in r["dunning"] if k != "waiting_for_notice"} for r in results)
    assert results[-1]["dunning"] == {"waiting_for_notice": 1}
    assert paper_consumer.decisions() == ["reminder", "wik_letter"]
    assert paper_consumer.status() == (ACTIVE, ACTIVE)
    case = paper_consumer.case()
    assert case.costs_from is None and case.status == "open" and case.next_index == 2
    assert _subjects(mailbox) == ["Betalingsherinnering"]


@pytest.mark.promise("A1", "A5")
def test_a_consumer_with_the_agreement_still_gets_the_email_and_the_case_shows_the_agreement(
    consumer, mailbox, personas
):
    _to_the_letter(consumer)
    decision = Decision.objects.get(kind="wik_letter")
    assert decision.outcome == "letter_sent"
    assert decision.outcome_data["channel"] == "email"
    assert decision.outcome_data["agreement"] == {
        "source": "contract",
        "agreed_on": "2024-01-01",
        "reference": "Algemene voorwaarden 2024, art. 4.3",
    }
    letter = _letter()
    assert (letter.channel, letter.status) == ("email", "sent") and letter.posted_on is None
    assert letter.term_end == oracle_last_day(LETTER_DAY) == D(2026, 10, 7)  # e-mailed Monday 21 September
    messages = mailbox.wait_for(2)
    assert _subjects(mailbox) == [
        "Betalingsherinnering",
        "Aanmaning: betaal binnen veertien dagen zonder extra kosten",
    ]
    body = mailbox.body(messages[1])
    assert "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" in body
    assert "7 oktober 2026" in body and "per post" not in body
    timeline = case_timeline_for(viewer=personas.dave, case=consumer.case())
    assert timeline.letter.channel == "email"
    assert timeline.letter.agreement["source"] == "contract" and timeline.letter.agreement["agreed_on"] == "2024-01-01"
    assert list(letters_to_post_for(viewer=personas.dave)) == []


@pytest.mark.promise("A1", "A5")
def test_an_agreement_withdrawn_before_the_letter_sends_it_by_post(consumer, personas):
    from waarborg.customers.services import notice_agreement_withdraw

    with clock.as_of(D(2026, 9, 1)):
        notice_agreement_withdraw(actor=personas.carol, customer=consumer.customer)
    _to_the_letter(consumer)
    assert (_letter().channel, _letter().status) == ("post", "to_post")


@pytest.mark.promise("A1", "A5")
def test_a_business_ladder_with_a_fourteen_day_letter_keeps_the_email(business, mailbox, finance_ladder_update):
    finance_ladder_update(
        "business",
        steps=[
            {"key": "reminder-1", "kind": "reminder", "day": 7},
            {"key": "wik-letter", "kind": "wik_letter", "day": 14},
            {"key": "final-notice", "kind": "final_notice", "day": 35},
            {"key": "block", "kind": "block", "day": 42},
        ],
    )
    assert business.customer.market == Customer.Market.B2B
    _to_the_letter(business)
    letter = _letter()
    assert (letter.channel, letter.status) == ("email", "sent")
    mailbox.wait_for(2)
    assert "Aanmaning: betaal binnen veertien dagen zonder extra kosten" in _subjects(mailbox)


# --- Recording the posting -------------------------------------------------------------------


@pytest.mark.promise("A1", "A5")
@pytest.mark.parametrize(
    ("posted", "last_day"),
    [
        (D(2026, 9, 23), D(2026, 10, 9)),  # Wednesday: received Friday 25th, term ends Friday 9 October
        (D(2026, 9, 24), D(2026, 10, 12)),  # Thursday: received Saturday 26th, 10 October is a Saturday
        (D(2026, 9, 25), D(2026, 10, 13)),  # Friday: Sunday and Monday do not count, received Tuesday 29th
    ],
)
def test_recording_the_posting_sets_the_term_and_the_costs_from_the_posted_day(
    paper_consumer, personas, posted, last_day
):
    _to_the_letter(paper_consumer)
    assert oracle_last_day(posted) == last_day
    with clock.as_of(D(2026, 9, 28)):  # recorded a few days later
        done = letter_posted(actor=personas.dave, notice=_letter(), posted_on=posted)
    letter = _letter()
    assert letter.pk == done.pk
    assert (letter.status, letter.posted_on, letter.posted_by_id) == ("sent", posted, personas.dave.pk)
    assert letter.term_end == last_day
    assert letter.costs_amount == Decimal("40.00")
    assert letter.sent_at.astimezone(clock.AMSTERDAM).date() == posted
    assert letter.contact_id == personas.alice_contact.pk and letter.language == "nl"
    case = paper_consumer.case()
    assert case.costs_from == last_day + dt.timedelta(days=1)
    assert case.costs_amount == Decimal("40.00")
    assert case.pending_notice is False and case.last_effective_on == posted and case.last_notice_on == posted
    # the final notice (day 35 = 12 October): not before the ladder's 21 days after the letter went out
    assert case.next_step_on == max(DUE + dt.timedelta(days=35), posted + dt.timedelta(days=21), last_day)
    assert letter.next_on == case.next_step_on
    timeline = case_timeline_for(viewer=personas.dave, case=case, lang="nl")
    assert timeline.waiting_for == "" and timeline.letter.posted_on == posted
    wik = next(e for e in timeline.entries if e.kind == "wik_letter")
    assert wik.channel == "post" and wik.posted_on == posted
    assert "per post" in wik.text and f"uiterlijk op {last_day.day} oktober 2026" in wik.text
    assert_clean_event(
        last_event(), action="dunning.letter.posted", values=[personas.alice_contact.street, posted.isoformat()]
    )
    assert last_event().actor == actor_of(personas.dave)
    assert list(letters_to_post_for(viewer=personas.dave)) == []


@pytest.mark.promise("A1", "A2", "A5")
def test_costs_and_later_steps_wait_for_the_term_of_the_posted_letter(
    paper_consumer, personas, mailbox, finance_ladder_update
):
    """A ladder whose final notice comes two days after the letter: still not before the term has run."""
    finance_ladder_update(
        "consumer",
        steps=[
            {"key": "reminder-1", "kind": "reminder", "day": 7},
            {"key": "wik-letter", "kind": "wik_letter", "day": 14},
            {"key": "final-notice", "kind": "final_notice", "day": 16},
            {"key": "block", "kind": "block", "day": 23},
            {"key": "bailiff", "kind": "bailiff", "day": 40},
        ],
    )
    invoice = _to_the_letter(paper_consumer)
    posted = D(2026, 9, 23)
    last_day = oracle_last_day(posted)  # Friday 9 October
    with clock.as_of(posted):
        letter_posted(actor=personas.dave, notice=_letter(), posted_on=posted)
    assert paper_consumer.case().next_step_on == last_day + dt.timedelta(days=1)
    # a part paid within the term: the costs are stated but not owed
    with clock.as_of(D(2026, 10, 5)):
        payment_record(actor=personas.dave, invoice=invoice, amount=Decimal("21.00"))
    booked = Decision.objects.get(kind="payment_booked")
    assert booked.facts["costs"]["due"] is False and booked.facts["costs"]["due_from"] == "2026-10-10"
    results = run_days(posted + dt.timedelta(days=1), last_day)
    assert all(not {k for k in r["dunning"] if k not in ("waiting_for_notice",)} for r in results)
    assert paper_consumer.decisions() == ["reminder", "wik_letter", "payment_booked"]
    assert run(last_day + dt.timedelta(days=1))["dunning"] == {"final_notice": 1}
    final = Decision.objects.get(kind="final_notice")
    assert final.decided_on == D(2026, 10, 10)
    assert final.facts["costs"]["due"] is True and final.facts["costs"]["amount"] == "40.00"


@pytest.mark.promise("A5")
def test_paying_everything_before_posting_withdraws_the_letter(paper_consumer, personas):
    invoice = _to_the_letter(paper_consumer)
    with clock.as_of(D(2026, 9, 22)):
        payment_record(actor=personas.dave, invoice=invoice, amount=Decimal("121.00"))
    assert paper_consumer.case().status == "closed"
    assert _letter().status == "withdrawn"
    assert list(letters_to_post_for(viewer=personas.dave)) == []
    before = database_snapshot()
    with clock.as_of(D(2026, 9, 23)), pytest.raises(ValidationError, match="not waiting to be posted"):
        letter_posted(actor=personas.dave, notice=_letter(), posted_on=D(2026, 9, 23))
    assert_nothing_changed(before)


# --- Bad input: a clear refusal, nothing changed -------------------------------------------


@pytest.mark.promise("A5")
@pytest.mark.parametrize(
    ("posted", "field", "words"),
    [
        (D(2026, 9, 20), "posted_on", "before the day the letter was made"),  # the letter was made on the 21st
        (D(2026, 9, 24), "posted_on", "in the future"),  # today is the 23rd
        ("23-09-2026", "posted_on", "must be a date"),
        ("", "posted_on", "must be a date"),
    ],
)
def test_a_posting_day_before_the_letter_or_in_the_future_is_refused(paper_consumer, personas, posted, field, words):
    _to_the_letter(paper_consumer)
    before = database_snapshot()
    with clock.as_of(D(2026, 9, 23)), pytest.raises(ValidationError, match=words) as refused:
        letter_posted(actor=personas.dave, notice=_letter(), posted_on=posted)
    assert refused.value.field == field
    assert_nothing_changed(before)


@pytest.mark.promise("A5")
def test_recording_a_posting_twice_is_refused(paper_consumer, personas):
    _to_the_letter(paper_consumer)
    with clock.as_of(D(2026, 9, 23)):
        letter_posted(actor=personas.dave, notice=_letter(), posted_on=D(2026, 9, 23))
    before = database_snapshot()
    with clock.as_of(D(2026, 9, 25)), pytest.raises(ValidationError, match="recorded as posted already"):
        letter_posted(actor=personas.dave, notice=_letter(), posted_on=D(2026, 9, 24))
    assert_nothing_changed(before)
    assert _letter().posted_on == D(2026, 9, 23)


@pytest.mark.promise("A5", "B2")
@pytest.mark.parametrize("who", ["carol", "erin", "frank", "alice", "system"])
def test_only_a_finance_employee_records_a_posting(paper_consumer, personas, who):
    _to_the_letter(paper_consumer)
    actor = System("dunning") if who == "system" else getattr(personas, who)
    before = database_snapshot()
    with clock.as_of(D(2026, 9, 23)), pytest.raises(PermissionDenied):
        letter_posted(actor=actor, notice=_letter(), posted_on=D(2026, 9, 23))
    assert_nothing_changed(before)
    with pytest.raises(PermissionDenied):
        letters_to_post_for(viewer=personas.carol)


@pytest.mark.promise("A5")
def test_a_letter_cannot_be_posted_to_a_customer_without_a_postal_address(paper_consumer, personas):
    _to_the_letter(paper_consumer)
    contact = personas.alice_contact
    contact.street = ""
    contact.save(update_fields=["street"])
    before = database_snapshot()
    with clock.as_of(D(2026, 9, 23)), pytest.raises(ValidationError, match="no postal address"):
        letter_posted(actor=personas.dave, notice=_letter(), posted_on=D(2026, 9, 23))
    assert_nothing_changed(before)


# --- From the shell ---------------------------------------------------------------------------


def _command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("dunning", *args, stdout=out)
    return out.getvalue()


@pytest.mark.promise("A5", "B4")
def test_the_shell_lists_the_letters_records_the_posting_and_shows_the_channel(paper_consumer, personas):
    _to_the_letter(paper_consumer)
    letter = _letter()
    number = personas.alice_customer.number
    with clock.as_of(D(2026, 9, 23)):
        listed = _command("letters")
        shown = _command("show", "--customer", number)
    assert f"letter {letter.pk} · case {letter.case_id} · customer {number} · wik_letter · made 2026-09-21" in listed
    assert "waiting for the letter to be posted" in shown
    assert f"fourteen-day letter: by post, waiting to be posted (letter {letter.pk})" in shown
    with clock.as_of(D(2026, 9, 24)):
        done = _command("posted", "--letter", str(letter.pk), "--on", "2026-09-23", "--by", personas.dave.email)
        shown = _command("show", "--customer", number)
    assert "posted 2026-09-23, term ends 2026-10-09" in done
    assert "fourteen-day letter: by post, posted 2026-09-23, term ends 2026-10-09, costs from 2026-10-10" in shown
    assert "letter sent posted 2026-09-23" in shown
    assert _command("letters").strip() == "no letters waiting to be posted"


@pytest.mark.promise("A5")
def test_the_shell_shows_the_email_route_with_the_agreement(consumer, personas):
    _to_the_letter(consumer)
    shown = _command("show", "--customer", personas.alice_customer.number)
    assert (
        "fourteen-day letter: by e-mail (agreed contract 2024-01-01: Algemene voorwaarden 2024, art. 4.3), "
        "sent 2026-09-21, term ends 2026-10-07"
    ) in shown


@pytest.mark.promise("A5", "B2")
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--on", "2026-09-24", "--by", "dave@duinhost.example"), "in the future"),
        (("--on", "2026-09-20", "--by", "dave@duinhost.example"), "before the day the letter was made"),
        (("--on", "next week", "--by", "dave@duinhost.example"), "must be a date"),
        (("--on", "2026-09-23", "--by", "carol@duinhost.example"), "only the finance role"),
        (("--on", "2026-09-23", "--by", "nobody@duinhost.example"), "no active account"),
    ],
)
def test_the_shell_refuses_bad_input_with_exit_code_2_and_changes_nothing(paper_consumer, personas, args, words):
    _to_the_letter(paper_consumer)
    before = database_snapshot()
    with clock.as_of(D(2026, 9, 23)), pytest.raises(CommandError, match=words) as refused:
        _command("posted", "--letter", str(_letter().pk), *args)
    assert refused.value.returncode == 2
    assert_nothing_changed(before)


@pytest.mark.promise("A5")
def test_the_waarborg_command_ends_a_second_posting_with_exit_code_2(paper_consumer, personas, capsys, monkeypatch):
    from waarborg.cli import main

    monkeypatch.setattr("django.setup", lambda *args, **kwargs: None)
    # the command closes the database connections when it ends: keep the test's own open
    monkeypatch.setattr(connections, "close_all", lambda: None)
    _to_the_letter(paper_consumer)
    pk = str(_letter().pk)
    with clock.as_of(D(2026, 9, 23)):
        letter_posted(actor=personas.dave, notice=_letter(), posted_on=D(2026, 9, 23))
        before = database_snapshot()
        with pytest.raises(SystemExit) as ended:
            main(["dunning", "posted", "--letter", pk, "--on", "2026-09-23", "--by", personas.dave.email])
    assert ended.value.code == 2
    err = [line for line in capsys.readouterr().err.splitlines() if "mail.log" not in line]
    assert err == ["CommandError: this letter has been recorded as posted already"]
    assert_nothing_changed(before)
