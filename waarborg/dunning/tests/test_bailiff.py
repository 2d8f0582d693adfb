"""The bailiff hand-off (A3, T3, X4) and the cancellation (A4, X4)."""

import datetime as dt

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.billing.services import payment_record
from waarborg.core import clock
from waarborg.core.actors import CLI, SYSTEM
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.dunning.approvals import approval_decide
from waarborg.dunning.contests import contest_decide, contest_submit
from waarborg.dunning.models import Approval, CaseFile, Decision
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, unchanged

from .conftest import ACTIVE, BLOCKED, CANCELLED, DUE, D, run, run_days

pytestmark = pytest.mark.django_db

BAILIFF_DAY = D(2026, 3, 16)  # day 70 of the consumer ladder


@pytest.fixture
def bailiff():
    return f.RecipientFactory(
        key="deurwaarder-west",
        name="Gerechtsdeurwaarders West",
        kind="third_party",
        category="bailiff",
        purpose="Incasso van onbetaalde facturen",
        data_categories=["D1", "D2", "D5", "D7"],
        agreement_signed_at=D(2025, 1, 1),
        agreement_expires_at=D(2027, 1, 1),
    )


def to_bailiff_step(world):
    invoice = world.invoice()
    run_days(DUE, BAILIFF_DAY)
    return invoice


@pytest.mark.promise("A3", "X4")
def test_the_bailiff_step_waits_for_a_person(consumer):
    to_bailiff_step(consumer)
    approval = Approval.objects.get()
    assert (approval.kind, approval.status, approval.requested_on) == ("bailiff", "pending", BAILIFF_DAY)
    case = consumer.case()
    assert case.status == "waiting"
    assert approval.decision.outcome == "approval_requested" and approval.decision.next_kind == "approval"
    later = run_days(D(2026, 3, 17), D(2026, 6, 30))
    assert all(r["dunning"] == {} for r in later)  # nothing happens without the approval
    assert consumer.decisions()[-1] == "bailiff"


@pytest.mark.promise("A3", "T3", "X4", "B4")
def test_approving_hands_the_case_file_to_a_registered_bailiff_and_logs_the_disclosure(
    consumer, personas, bailiff, mailbox
):
    invoice = to_bailiff_step(consumer)
    approval = Approval.objects.get()
    with clock.as_of(D(2026, 3, 18)):
        decision = approval_decide(
            actor=personas.dave,
            approval=approval,
            approve=True,
            reason="Geen reactie op vier brieven.",
            recipient=bailiff,
        )
    assert decision.kind == "bailiff_handoff" and decision.decided_by == personas.dave
    case_file = CaseFile.objects.get()
    assert case_file.recipient == bailiff and case_file.handed_on == D(2026, 3, 18)
    content = case_file.content
    assert content["debtor"] == {
        "customer_number": consumer.customer.number,
        "name": invoice.name_printed,
        "address": invoice.address_printed,
        "market": "b2c",
    }
    assert [i["number"] for i in content["invoices"]] == [invoice.number]
    assert content["costs"]["kind"] == "wik" and content["costs"]["amount"] == "40.00"
    assert [h["kind"] for h in content["history"]] == ["reminder", "wik_letter", "final_notice", "block", "bailiff"]
    assert [n["kind"] for n in content["notices"]] == ["reminder", "wik_letter", "final_notice", "block"]
    assert "e-mail" not in str(content) and consumer.contact.email not in str(content)
    assert "DOSSIER VOOR DE GERECHTSDEURWAARDER" in case_file.text and invoice.number in case_file.text
    assert "Incassokosten: € 40,00" in case_file.text
    event = AuditEvent.objects.filter(action="recipient.disclosure").last()
    assert event.object_ids == [str(bailiff.pk)] and event.subject_ref == f"customer:{consumer.customer.pk}"
    assert event.data["data_categories"] == ["D1", "D2", "D5", "D7"] and event.data["case_file"] == case_file.pk
    assert event.purpose == "U15"
    assert_clean_event(
        AuditEvent.objects.filter(action="dunning.approval.decide").last(),
        action="dunning.approval.decide",
        values=["Geen reactie", consumer.contact.email, invoice.address_printed],
    )
    run(D(2026, 3, 18))
    message = mailbox.wait_for(5)[4]
    assert message["Subject"] == "Uw vordering is overgedragen aan de deurwaarder"
    assert "Gerechtsdeurwaarders West" in mailbox.body(message)


def test_a_bailiff_without_the_categories_is_refused_naming_them_in_words(consumer, personas, bailiff):
    to_bailiff_step(consumer)
    bailiff.data_categories = ["D1", "D2"]
    bailiff.save()
    with clock.as_of(D(2026, 3, 18)), unchanged(), pytest.raises(ValidationError) as refused:
        approval_decide(
            actor=personas.dave, approval=Approval.objects.get(), approve=True, reason="ok", recipient=bailiff
        )
    dutch = refused.value.text("nl")
    assert "D5 (" in dutch and "D7 (" in dutch and dutch.startswith("De deurwaarder is niet geregistreerd")
    assert str(refused.value).endswith(": D5, D7")  # the command line keeps the codes


@pytest.mark.promise("T3", "A3")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "accountant"}, "not registered as a bailiff"),
        ({"agreement_expires_at": D(2026, 3, 1)}, "no valid agreement on 2026-03-18"),
        ({"agreement_signed_at": D(2026, 4, 1), "agreement_expires_at": None}, "no valid agreement"),
        ({"data_categories": ["D1", "D2"]}, "not registered for these data categories: D5, D7"),
    ],
)
def test_the_hand_off_is_refused_without_a_valid_bailiff(consumer, personas, bailiff, change, message):
    to_bailiff_step(consumer)
    for field, value in change.items():
        setattr(bailiff, field, value)
    bailiff.save()
    approval = Approval.objects.get()
    with clock.as_of(D(2026, 3, 18)), unchanged(), pytest.raises(ValidationError, match=message):
        approval_decide(actor=personas.dave, approval=approval, approve=True, reason="ok", recipient=bailiff)
    approval.refresh_from_db()
    assert approval.status == "pending"
    with clock.as_of(D(2026, 3, 18)), unchanged(), pytest.raises(ValidationError, match="name the bailiff"):
        approval_decide(actor=personas.dave, approval=approval, approve=True, reason="ok")


@pytest.mark.promise("A3", "X4")
def test_only_a_named_finance_employee_approves(consumer, personas, bailiff):
    to_bailiff_step(consumer)
    approval = Approval.objects.get()
    for who in (SYSTEM, CLI, personas.alice, personas.carol, personas.erin, personas.frank):
        with unchanged(), pytest.raises(PermissionDenied):
            approval_decide(actor=who, approval=approval, approve=True, reason="ok", recipient=bailiff)


@pytest.mark.promise("A3", "A4", "X4")
def test_a_refused_hand_off_is_recorded_and_the_ladder_moves_on(consumer, personas):
    to_bailiff_step(consumer)
    approval = Approval.objects.get()
    with clock.as_of(D(2026, 3, 18)):
        decision = approval_decide(actor=personas.dave, approval=approval, approve=False, reason="Betalingsregeling.")
    assert decision.kind == "bailiff_refused" and decision.next_kind == "cancel"
    assert consumer.case().status == "open"


@pytest.mark.promise("A4", "X4")
def test_without_response_after_the_notice_the_services_are_cancelled(consumer, personas, bailiff, mailbox):
    to_bailiff_step(consumer)
    with clock.as_of(D(2026, 3, 18)):
        approval_decide(
            actor=personas.dave, approval=Approval.objects.get(), approve=True, reason="ok", recipient=bailiff
        )
    run(D(2026, 3, 18))  # the hand-off notice (with the contest link) goes out
    case = consumer.case()
    assert case.last_notice_on == D(2026, 3, 18)
    # day 100 would be 15 April; the ladder's 30 days after the hand-off (18 March) win
    assert case.next_step_on == D(2026, 4, 17)
    run_days(D(2026, 3, 19), D(2026, 4, 16))
    assert consumer.status() == (BLOCKED, ACTIVE)
    run(D(2026, 4, 17))
    assert consumer.status() == (CANCELLED, ACTIVE)  # only the service the invoice is for
    cancel = Decision.objects.get(kind="cancel")
    assert cancel.outcome == "cancelled" and cancel.automated
    assert cancel.outcome_data["silence_days"] == 14 and cancel.outcome_data["last_notice_on"] == "2026-03-18"
    assert consumer.case().status == "done"
    body = mailbox.body(mailbox.wait_for(6)[5])
    assert "binnen 14 dagen niet gereageerd" in body and "Webhosting Basis site.example" in body
    assert run(D(2026, 6, 1))["dunning"] == {}


@pytest.mark.promise("A4", "X4")
def test_a_response_after_the_notice_makes_the_cancellation_wait_for_a_person(consumer, personas, bailiff):
    invoice = to_bailiff_step(consumer)
    with clock.as_of(D(2026, 3, 18)):
        approval_decide(
            actor=personas.dave, approval=Approval.objects.get(), approve=True, reason="ok", recipient=bailiff
        )
    run(D(2026, 3, 18))
    with clock.as_of(D(2026, 3, 25)):
        payment_record(actor=personas.dave, invoice=invoice, amount="20.00")
    run_days(D(2026, 3, 26), D(2026, 4, 17))
    assert consumer.status() == (BLOCKED, ACTIVE)
    approval = Approval.objects.get(kind="cancel")
    assert approval.decision.outcome_data["responses"] == [{"kind": "payment", "count": 1}]
    with clock.as_of(D(2026, 4, 20)):
        decision = approval_decide(
            actor=personas.dave, approval=approval, approve=True, reason="Regeling niet nagekomen."
        )
    assert decision.kind == "cancel_approved"
    assert consumer.status() == (CANCELLED, ACTIVE)


@pytest.mark.promise("A4", "X4")
def test_a_refused_cancellation_ends_the_ladder_without_cancelling(consumer, personas, bailiff):
    to_bailiff_step(consumer)
    with clock.as_of(D(2026, 3, 18)):
        approval_decide(
            actor=personas.dave, approval=Approval.objects.get(), approve=True, reason="ok", recipient=bailiff
        )
    run(D(2026, 3, 18))
    with clock.as_of(D(2026, 3, 20)):
        contest = contest_submit(actor=personas.alice, case=consumer.case(), kind="person", statement="Bel me.")
    with clock.as_of(D(2026, 3, 22)):
        contest_decide(actor=personas.dave, contest=contest, outcome="rejected", reason="Gebeld; vordering blijft.")
    run_days(D(2026, 3, 22), D(2026, 4, 30))
    approval = Approval.objects.get(kind="cancel")
    with clock.as_of(D(2026, 5, 1)):
        approval_decide(actor=personas.dave, approval=approval, approve=False, reason="Klant betaalt in termijnen.")
    assert consumer.status() == (BLOCKED, ACTIVE)
    assert consumer.case().status == "done"


@pytest.mark.promise("X4")
def test_an_open_contest_is_decided_before_an_approval(consumer, personas, bailiff):
    to_bailiff_step(consumer)
    with clock.as_of(D(2026, 3, 17)):
        contest_submit(actor=personas.alice, case=consumer.case(), statement="Niet naar de deurwaarder aub.")
    with clock.as_of(D(2026, 3, 18)), unchanged(), pytest.raises(ValidationError, match="decide the contest first"):
        approval_decide(
            actor=personas.dave, approval=Approval.objects.get(), approve=True, reason="ok", recipient=bailiff
        )


@pytest.mark.promise("A3")
def test_paying_withdraws_a_waiting_approval(consumer, personas):
    invoice = to_bailiff_step(consumer)
    with clock.as_of(D(2026, 3, 17)):
        payment_record(actor=personas.dave, invoice=invoice, amount="121.00")
    assert Approval.objects.get().status == "withdrawn"
    assert consumer.status() == (ACTIVE, ACTIVE)
    assert dt.date(2026, 3, 17) == consumer.case().closed_on
    assert consumer.status()[0] == ACTIVE


@pytest.mark.promise("A3", "T3")
def test_the_case_file_is_sent_to_the_bailiffs_office(consumer, personas, bailiff, mailbox):
    import json

    invoice = to_bailiff_step(consumer)
    before = len(mailbox.wait_for(4))
    with clock.as_of(D(2026, 3, 18)):
        approval_decide(
            actor=personas.dave,
            approval=Approval.objects.get(),
            approve=True,
            reason="Geen reactie.",
            recipient=bailiff,
            send_to="Dossiers@Deurwaarders-West.example",
        )
    case_file = CaseFile.objects.get()
    assert case_file.sent_to == "dossiers@deurwaarders-west.example" and case_file.sent_at is not None
    message = mailbox.wait_for(before + 1)[-1]
    assert message["To"] == "dossiers@deurwaarders-west.example"
    assert message["Subject"] == f"Incassodossier {consumer.customer.number} (dossier {case_file.case_id})"
    assert invoice.number in mailbox.body(message)
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"dossier-{case_file.case_id}.json"
    assert json.loads(attachment.get_content())["invoices"][0]["number"] == invoice.number
    event = AuditEvent.objects.filter(action="recipient.disclosure").last()
    assert event.data["channel"] == "email"


@pytest.mark.promise("A3", "T3")
def test_a_case_file_that_cannot_be_sent_hands_nothing_off(consumer, personas, bailiff, settings):
    to_bailiff_step(consumer)
    approval = Approval.objects.get()
    before = database_snapshot()
    with clock.as_of(D(2026, 3, 18)), pytest.raises(ValidationError, match="not a valid e-mail address"):
        approval_decide(
            actor=personas.dave, approval=approval, approve=True, reason="ok", recipient=bailiff, send_to="nee"
        )
    settings.EMAIL_PORT = 1
    from waarborg.core.errors import WaarborgError

    with clock.as_of(D(2026, 3, 18)), pytest.raises(WaarborgError, match="could not be sent"):
        approval_decide(
            actor=personas.dave, approval=approval, approve=True, reason="ok", recipient=bailiff, send_to="a@b.example"
        )
    assert_nothing_changed(before)
    approval.refresh_from_db()
    assert approval.status == "pending" and consumer.case().status == "waiting"


@pytest.mark.promise("A4", "X4")
def test_the_notice_before_a_cancellation_states_the_silence_period(consumer, personas, bailiff, mailbox):
    to_bailiff_step(consumer)
    with clock.as_of(D(2026, 3, 18)):
        approval_decide(
            actor=personas.dave, approval=Approval.objects.get(), approve=True, reason="ok", recipient=bailiff
        )
    run(D(2026, 3, 18))
    body = mailbox.body(mailbox.wait_for(5)[4])
    assert "opzeggen van diensten, op 17 april 2026 of later" in body
    assert "Horen wij tot die datum niets van u (ten minste 14 dagen na deze brief)" in body


@pytest.mark.promise("X4", "A5")
def test_a_contest_while_an_approval_waits_is_told_truthfully(consumer, personas, mailbox):
    from waarborg.dunning.notices import explain, subject_for

    to_bailiff_step(consumer)
    with clock.as_of(D(2026, 3, 17)):
        contest_submit(actor=personas.alice, case=consumer.case(), statement="Niet naar de deurwaarder aub.")
    assert consumer.case().status == "waiting"  # not paused: a person decides anyway
    decision = Decision.objects.filter(kind="paused").get()
    assert decision.outcome == "noted"
    assert "een medewerker beslist" in subject_for(decision, "nl")
    text = explain(decision, "nl")
    assert "wachtte al op het besluit van een medewerker" in text and "staat stil" not in text
    assert "taken into account" in explain(decision, "en")
