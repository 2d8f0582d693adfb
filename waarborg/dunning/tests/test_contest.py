"""A contest pauses the ladder until a named employee decides; the decision and reason are sent (X4, A5)."""

import datetime as dt
import re

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.core.actors import CLI, SYSTEM
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.dunning.contests import contest_decide, contest_submit, hold_release
from waarborg.dunning.language import notice_language_set
from waarborg.dunning.links import links_for, make_token
from waarborg.dunning.models import Contest, Decision, Hold
from waarborg.testing.checks import unchanged

from .conftest import ACTIVE, BLOCKED, DUE, D, run, run_days

pytestmark = pytest.mark.django_db


def token_from(body: str, kind: str = "bezwaar") -> str:
    return re.search(rf"/portaal/incasso/{kind}/([^/\s]+)/", body).group(1)


@pytest.mark.promise("X4", "A5")
def test_the_link_in_a_notice_pauses_the_case_until_a_named_employee_decides(consumer, personas, mailbox):
    consumer.invoice()
    run_days(DUE, D(2026, 2, 9))  # reminder, WIK letter, final notice (block announced for 16 February)
    final = mailbox.wait_for(3)[2]
    with clock.as_of(D(2026, 2, 11)):
        contest = contest_submit(token=token_from(mailbox.body(final)), statement="Deze dienst heb ik opgezegd.")
    assert contest.kind == "contest" and contest.via_decision.kind == "final_notice"
    case = consumer.case()
    assert (case.status, case.paused_on) == ("paused", D(2026, 2, 11))
    ack = mailbox.wait_for(4)
    run(D(2026, 2, 11))
    ack = mailbox.wait_for(4)[3]
    assert ack["Subject"] == "Uw bezwaar is ontvangen: de incasso staat stil"
    result = run_days(D(2026, 2, 12), D(2026, 3, 10))
    assert consumer.status() == (ACTIVE, ACTIVE)  # the block date passed, nothing happened
    assert any(r["dunning"].get("paused") for r in result)
    assert consumer.decisions() == ["reminder", "wik_letter", "final_notice", "paused"]

    with clock.as_of(D(2026, 3, 2)):
        decision = contest_decide(
            actor=personas.dave, contest=contest, outcome="rejected", reason="De dienst liep door tot 1 maart."
        )
    contest.refresh_from_db()
    assert (contest.status, contest.decided_by, contest.reason) == ("rejected", personas.dave, decision.reason)
    assert decision.decided_by == personas.dave and not decision.automated
    assert decision.outcome_data == {"contest": contest.pk, "employee": "Dave", "paused_days": 19}
    case.refresh_from_db()
    assert case.status == "open" and case.shift_days == 19
    assert decision.next_kind == "block" and decision.next_on == D(2026, 3, 7)  # 16 Feb + 19 days
    run(D(2026, 3, 2))
    body = mailbox.body(mailbox.wait_for(5)[4])
    assert "Dave heeft uw bezwaar beoordeeld en besloten dat de incasso doorgaat" in body
    assert "Reden: De dienst liep door tot 1 maart." in body
    assert "Dit besluit is genomen door Dave op 2 maart 2026" in body
    run_days(D(2026, 3, 3), D(2026, 3, 6))
    assert consumer.status() == (ACTIVE, ACTIVE)
    run(D(2026, 3, 7))
    assert consumer.status() == (BLOCKED, ACTIVE)
    event = AuditEvent.objects.filter(action="dunning.contest.decide").last()
    assert event.actor == f"account:{personas.dave.pk}" and "De dienst" not in str(event.data)


@pytest.mark.promise("X4", "A2")
def test_an_upheld_contest_closes_the_case_and_lifts_the_block(consumer, personas, mailbox):
    invoice = consumer.invoice()
    run_days(DUE, D(2026, 2, 16))
    assert consumer.status() == (BLOCKED, ACTIVE)
    block_notice = mailbox.wait_for(4)[3]
    with clock.as_of(D(2026, 2, 17)):
        contest = contest_submit(token=token_from(mailbox.body(block_notice)), statement="Factuur klopt niet.")
        contest_decide(actor=personas.dave, contest=contest, outcome="upheld", reason="Het bedrag was te hoog.")
    assert consumer.status() == (ACTIVE, ACTIVE)
    case = consumer.case()
    assert (case.status, case.close_reason) == ("closed", "contest_upheld")
    run(D(2026, 2, 17))
    bodies = [mailbox.body(m) for m in mailbox.wait_for(6)]
    assert "geeft u gelijk" in bodies[-1] and "Het bedrag was te hoog." in bodies[-1]
    assert f"Factuur {invoice.number} is uit de incasso gehaald" in bodies[-1]
    # the invoice is on hold: the daily run does not start over on it
    assert all(r["dunning"] == {} for r in run_days(D(2026, 2, 18), D(2026, 4, 1)))
    assert len(mailbox.settle()) == 6
    hold = Hold.objects.get()
    assert hold.invoice == invoice and hold.contest == contest
    with unchanged(), pytest.raises(PermissionDenied):
        hold_release(actor=personas.carol, hold=hold)
    with clock.as_of(D(2026, 4, 2)):
        hold_release(actor=personas.dave, hold=hold)
    assert run(D(2026, 4, 2))["dunning"] == {"opened": 1, "reminder": 1}  # a new case, from the start


@pytest.mark.promise("X4")
def test_a_link_works_once_and_only_with_a_valid_signature(consumer, personas):
    consumer.invoice()
    run_days(DUE, D(2026, 1, 12))
    decision = Decision.objects.get(kind="reminder")
    token = make_token(decision.pk, "person")
    contest = contest_submit(token=token, statement="Bel mij graag terug.")
    assert contest.kind == "person"
    with unchanged(), pytest.raises(ValidationError, match="already been used"):
        contest_submit(token=token, statement="nog eens")
    with unchanged(), pytest.raises(ValidationError, match="not valid"):
        contest_submit(token=token[:-2] + "xx")
    with unchanged(), pytest.raises(ValidationError, match="not valid"):
        contest_submit(token="")
    # the contest link of the same notice is a different link and still works
    assert contest_submit(token=make_token(decision.pk, "contest")).kind == "contest"
    assert set(links_for(decision.pk)) == {"pay", "contest", "person"}
    assert Contest.objects.count() == 2


@pytest.mark.promise("X4")
def test_a_contest_on_a_closed_case_is_refused(consumer, personas):
    from waarborg.billing.services import payment_record

    invoice = consumer.invoice()
    run_days(DUE, D(2026, 1, 12))
    decision = Decision.objects.get(kind="reminder")
    with clock.as_of(D(2026, 1, 13)):
        payment_record(actor=personas.dave, invoice=invoice, amount="121.00")
    with unchanged(), pytest.raises(ValidationError, match="closed"):
        contest_submit(token=make_token(decision.pk, "contest"))


@pytest.mark.promise("X4", "B2")
def test_only_the_customer_or_staff_file_a_contest_and_only_finance_decides(consumer, business, personas):
    consumer.invoice()
    business.invoice()
    run_days(DUE, D(2026, 1, 12))
    alice_case, bob_case = consumer.case(), business.case()
    with unchanged(), pytest.raises(NotFound):
        contest_submit(actor=personas.bob, case=alice_case, statement="niet van mij")
    with unchanged(), pytest.raises(PermissionDenied):
        contest_submit(actor=personas.erin, case=alice_case)
    with unchanged(), pytest.raises(PermissionDenied):
        contest_submit(actor=SYSTEM, case=alice_case)
    contest = contest_submit(actor=personas.bob, case=bob_case, statement="Wij betalen per kwartaal.")
    by_phone = contest_submit(actor=personas.carol, case=alice_case, kind="person", statement="Belde op.")
    assert by_phone.submitted_by == personas.carol
    for who in (personas.alice, personas.carol, personas.erin, personas.frank, SYSTEM, CLI):
        with unchanged(), pytest.raises(PermissionDenied):
            contest_decide(actor=who, contest=contest, outcome="rejected", reason="nee")
    with unchanged(), pytest.raises(ValidationError, match="reason is required"):
        contest_decide(actor=personas.dave, contest=contest, outcome="rejected", reason=" ")
    with unchanged(), pytest.raises(ValidationError, match="outcome"):
        contest_decide(actor=personas.dave, contest=contest, outcome="maybe", reason="x")
    contest_decide(actor=personas.dave, contest=contest, outcome="rejected", reason="Afspraak is maandelijks.")
    with unchanged(), pytest.raises(ValidationError, match="decided already"):
        contest_decide(actor=personas.dave, contest=contest, outcome="upheld", reason="toch wel")


@pytest.mark.promise("X4")
def test_english_notices_for_a_customer_who_asked_for_english(consumer, personas, mailbox):
    notice_language_set(actor=personas.alice, customer=consumer.customer, language="en")
    consumer.invoice()
    run_days(DUE, D(2026, 1, 12))
    message = mailbox.wait_for(1)[0]
    assert message["Subject"] == "Payment reminder" and message["Content-Language"] == "en"
    body = mailbox.body(message)
    assert body.startswith("Dear Alice de Vries,")
    assert "€121.00" in body and "taken automatically on 12 January 2026" in body
    assert "Disagree with this decision? Object: http://" in body
    with unchanged(), pytest.raises(NotFound):
        notice_language_set(actor=personas.bob, customer=consumer.customer, language="en")
    with unchanged(), pytest.raises(ValidationError):
        notice_language_set(actor=personas.alice, customer=consumer.customer, language="de")


@pytest.mark.promise("X4")
def test_the_days_a_case_was_paused_move_every_later_step(consumer, personas):
    consumer.invoice()
    run_days(DUE, D(2026, 1, 12))
    with clock.as_of(D(2026, 1, 13)):
        contest = contest_submit(actor=personas.alice, case=consumer.case(), statement="?")
    run_days(D(2026, 1, 13), D(2026, 1, 23))
    with clock.as_of(D(2026, 1, 23)):
        contest_decide(actor=personas.dave, contest=contest, outcome="rejected", reason="Factuur klopt.")
    case = consumer.case()
    assert case.shift_days == 10 and case.next_step_on == D(2026, 1, 29)  # 19 January + 10 days
    run_days(D(2026, 1, 23), D(2026, 1, 29))
    assert consumer.decisions()[-1] == "wik_letter"
    assert Decision.objects.get(kind="wik_letter").decided_on == D(2026, 1, 29)
    assert dt.date(2026, 1, 29) == case.next_step_on


@pytest.mark.promise("X4")
def test_the_portal_can_read_what_a_link_points_at(consumer, personas):
    from waarborg.dunning.selectors import contest_link_get

    consumer.invoice()
    run_days(DUE, D(2026, 1, 12))
    decision = Decision.objects.get(kind="reminder")
    token = make_token(decision.pk, "contest")
    link = contest_link_get(token, lang="en")
    assert (link.decision_id, link.case_id, link.kind, link.used, link.closed) == (
        decision.pk,
        consumer.case().pk,
        "contest",
        False,
        False,
    )
    assert "This is a reminder" in link.text
    contest_submit(token=token, statement="Al betaald.")
    assert contest_link_get(token).used
    with unchanged(), pytest.raises(ValidationError):
        contest_link_get("garbage")


@pytest.mark.promise("A5")
def test_the_links_of_a_decision_are_the_same_every_time_it_is_shown(consumer):
    consumer.invoice()
    run_days(DUE, D(2026, 1, 12))
    decision = Decision.objects.get(kind="reminder")
    assert links_for(decision.pk) == links_for(decision.pk)
    assert links_for(decision.pk)["contest"] != links_for(decision.pk)["person"]


@pytest.mark.promise("X4")
def test_it_never_stores_a_bsn_in_a_contest_or_its_decision(consumer, personas):
    consumer.invoice()
    run_days(DUE, D(2026, 1, 12))
    decision = Decision.objects.get(kind="reminder")
    with unchanged(), pytest.raises(ValidationError, match="BSN"):
        contest_submit(token=make_token(decision.pk, "contest"), statement="Mijn BSN is 111222333.")
    assert not Contest.objects.exists()
    contest = contest_submit(token=make_token(decision.pk, "contest"), statement="Al betaald.")
    with unchanged(), pytest.raises(ValidationError, match="BSN"):
        contest_decide(actor=personas.dave, contest=contest, outcome="upheld", reason="BSN 111222333 gecontroleerd")
    contest.refresh_from_db()
    assert contest.status == Contest.Status.OPEN and contest.reason == ""
