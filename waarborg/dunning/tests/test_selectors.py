"""Reads for the back office, the portal and the shell: scoped to the viewer (B2, X4)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.core import clock
from waarborg.core.datamap import entry_for
from waarborg.core.errors import NotFound, PermissionDenied
from waarborg.dunning.contests import contest_submit
from waarborg.dunning.models import Approval, Notice
from waarborg.dunning.selectors import (
    approvals_waiting_for,
    case_get_for,
    case_timeline_for,
    contests_to_decide_for,
    dunning_cases_for,
    ladders_for,
    notices_needing_attention_for,
    provisioning_backlog_for,
)
from waarborg.testing.checks import unchanged

from .conftest import DUE, D, run_days

pytestmark = pytest.mark.django_db


@pytest.mark.promise("B2", "A5")
def test_customers_see_only_their_own_cases_and_support_none(consumer, business, personas):
    consumer.invoice()
    business.invoice()
    run_days(DUE, D(2026, 1, 12))
    alice_case, bob_case = consumer.case(), business.case()
    assert list(dunning_cases_for(viewer=personas.dave)) == [bob_case, alice_case] or set(
        dunning_cases_for(viewer=personas.dave)
    ) == {alice_case, bob_case}
    assert list(dunning_cases_for(viewer=personas.alice)) == [alice_case]
    assert list(dunning_cases_for(viewer=personas.bob, active_only=True)) == [bob_case]
    with unchanged(), pytest.raises(NotFound):
        case_get_for(viewer=personas.bob, pk=alice_case.pk)
    with unchanged(), pytest.raises(NotFound):
        list(dunning_cases_for(viewer=personas.bob, customer=consumer.customer))
    for who in (personas.carol, personas.erin, personas.frank, None):
        with unchanged(), pytest.raises(PermissionDenied):
            dunning_cases_for(viewer=who)
    for selector in (contests_to_decide_for, approvals_waiting_for, notices_needing_attention_for, ladders_for):
        with unchanged(), pytest.raises(PermissionDenied):
            selector(viewer=personas.alice)
        with unchanged(), pytest.raises(PermissionDenied):
            selector(viewer=personas.carol)


@pytest.mark.promise("A5", "X4")
def test_the_timeline_explains_every_step_and_names_the_next(consumer, personas):
    consumer.invoice()
    run_days(DUE, D(2026, 1, 19))
    timeline = case_timeline_for(viewer=personas.alice, case=consumer.case(), lang="en")
    assert [(e.kind, e.outcome, e.automated, e.notice_status) for e in timeline.entries] == [
        ("reminder", "reminder_sent", True, "sent"),
        ("wik_letter", "letter_sent", True, "sent"),
    ]
    wik = timeline.entries[1]
    assert wik.notice_sent_on == D(2026, 1, 19)
    assert "within fourteen days from the day after this letter was delivered to you" in wik.text
    assert "(that is, on 4 February 2026 at the latest)" in wik.text
    assert "collection costs of €40.00" in wik.text
    assert (timeline.next_kind, timeline.next_on, timeline.waiting_for) == ("final_notice", D(2026, 2, 9), "")
    nl = case_timeline_for(viewer=personas.dave, case=consumer.case())
    assert "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" in nl.entries[1].text
    assert "(dat is uiterlijk op 4 februari 2026)" in nl.entries[1].text


@pytest.mark.promise("X4")
def test_finance_sees_what_waits_for_a_person(consumer, business, personas):
    consumer.invoice()
    business.invoice()
    business.contact.email = ""
    business.contact.save(update_fields=["email"])
    run_days(DUE, D(2026, 1, 12))
    with clock.as_of(D(2026, 1, 13)):
        contest = contest_submit(actor=personas.alice, case=consumer.case(), statement="Klopt niet.")
    assert list(contests_to_decide_for(viewer=personas.dave)) == [contest]
    attention = list(notices_needing_attention_for(viewer=personas.dave))
    assert [(n.customer_id, n.status) for n in attention] == [(business.customer.pk, Notice.Status.UNDELIVERABLE)]
    assert list(approvals_waiting_for(viewer=personas.dave)) == []
    assert list(provisioning_backlog_for(viewer=personas.dave)) == []
    assert [lad.key for lad in ladders_for(viewer=personas.dave)] == ["business", "consumer"]
    timeline = case_timeline_for(viewer=personas.dave, case=business.case())
    assert timeline.waiting_for == "notice"  # the next step waits for a notice that cannot go out
    assert Approval.objects.count() == 0


@pytest.mark.promise("A5")
def test_the_shell_shows_each_open_case_with_its_timeline_and_next_step(consumer, capsys):
    consumer.invoice()
    run_days(DUE, D(2026, 1, 19))
    call_command("dunning", "show", "--customer", consumer.customer.number)
    out = capsys.readouterr().out
    assert f"case {consumer.case().pk} · customer {consumer.customer.number} · open · ladder consumer v1" in out
    assert "2026-01-12  reminder" in out and "2026-01-19  wik_letter" in out
    assert "rule: ladder consumer v1, step 2 'wik-letter' (wik_letter, day 14)" in out
    assert "next step: final notice with the block date (final_notice) on 2026-02-09" in out
    call_command("dunning", "show", "--customer", str(consumer.customer.pk), "--text", "--lang", "nl")
    assert "| WAT WE HEBBEN BESLOTEN" in capsys.readouterr().out
    with unchanged(), pytest.raises(CommandError) as missing:
        call_command("dunning", "show", "--customer", "K99999999")
    assert missing.value.returncode == 1
    with unchanged(), pytest.raises(CommandError) as bad:
        call_command("dunning", "show", "--customer", "nobody")
    assert bad.value.returncode == 2
    call_command("dunning", "ladders")
    assert "consumer (b2c) v1" in capsys.readouterr().out


@pytest.mark.promise("B4")
def test_every_dunning_model_is_in_the_personal_data_map():
    for label in ("Case", "Decision", "Notice", "Contest", "Approval", "CaseFile", "NoticePreference"):
        entry = entry_for(f"dunning.{label}")
        assert entry is not None and entry.dates
    assert entry_for("dunning.Decision").fields["facts"].retention.key == "fiscal_7y"
    assert entry_for("dunning.CaseFile").fields["content"].recipients == ("bailiff",)
