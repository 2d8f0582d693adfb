"""The fourteen-day letter in a year without a list of decreed days: one working day of margin,
recorded with the decision and told in the letter, the case's texts and the shell."""

import json

import pytest
from django.core.management import call_command

from waarborg.dunning.models import Decision, Notice
from waarborg.dunning.selectors import case_timeline_for

from .conftest import D, run_days

pytestmark = pytest.mark.django_db

DUE_2029 = D(2029, 1, 5)  # a Friday; the letter (day 14) goes out on Friday 19 January 2029


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.promise("A1", "A5")
def test_a_letter_in_a_year_without_a_list_names_a_day_more_and_says_why(consumer, personas, mailbox, capsys):
    consumer.invoice(due=DUE_2029)
    run_days(DUE_2029, D(2029, 1, 19))
    # Sent Friday 19 January: received Tuesday 23rd (Sunday and Monday do not count); fourteen
    # days end on Tuesday 6 February; with no list for 2029, one working day more: Wednesday 7th.
    notice = Notice.objects.get(customer=consumer.customer, kind="wik_letter")
    assert notice.status == Notice.Status.SENT and notice.term_end == D(2029, 2, 7)
    assert consumer.case().costs_from == D(2029, 2, 8)
    decision = Decision.objects.get(customer=consumer.customer, kind="wik_letter")
    assert decision.outcome_data["term_margin"] == {
        "days": 1,
        "reason": "no_decree_list",
        "years": [2029],
        "from": "2029-01-19",
        "end": "2029-02-07",
    }
    [body] = [mailbox.body(m) for m in mailbox.wait_for(2) if "veertien" in m["Subject"]]
    assert "uiterlijk op 7 februari 2029" in body
    assert "Daarin zit één werkdag extra: voor 2029 hebben wij nog geen lijst" in body

    en = case_timeline_for(viewer=personas.dave, case=consumer.case(), lang="en").entries[-1]
    assert "(that is, on 7 February 2029 at the latest)" in en.text
    assert "This includes one extra working day: for 2029 we do not yet hold the list" in en.text
    nl = case_timeline_for(viewer=personas.dave, case=consumer.case(), lang="nl").entries[-1]
    assert "Daarin zit één werkdag extra" in nl.text and "artikel 3 lid 3" in nl.text

    call_command("dunning", "show", "--customer", consumer.customer.number)
    out = capsys.readouterr().out
    assert (
        "term: last day without costs 2029-02-07 (includes 1 extra working day: no list of days equated"
        " with holidays by decree is held for 2029)"
    ) in out


@pytest.mark.promise("A1", "A5")
def test_with_the_years_list_held_the_letter_names_the_statutory_day_and_no_margin(
    consumer, personas, data_dir, capsys
):
    (data_dir / "decreed_days.json").write_text(
        json.dumps({"years": {"2029": [{"days": ["2029-05-11"], "source": "Besluit (test)"}]}})
    )
    consumer.invoice(due=DUE_2029)
    run_days(DUE_2029, D(2029, 1, 19))
    notice = Notice.objects.get(customer=consumer.customer, kind="wik_letter")
    assert notice.term_end == D(2029, 2, 6)
    assert "term_margin" not in notice.decision.outcome_data
    entry = case_timeline_for(viewer=personas.dave, case=consumer.case(), lang="en").entries[-1]
    assert "(that is, on 6 February 2029 at the latest)" in entry.text and "extra working day" not in entry.text
    call_command("dunning", "show", "--customer", consumer.customer.number)
    out = capsys.readouterr().out
    assert "term: last day without costs 2029-02-06\n" in out


@pytest.mark.promise("A1", "A5")
def test_a_letter_sent_on_a_decreed_days_eve_runs_past_it(consumer, personas):
    # Due Wednesday 7 April 2027; the letter goes out on Wednesday 21 April and counts as
    # received on Friday 23rd; fourteen days end on Friday 7 May 2027, equated with a holiday
    # by decree: the term runs to Monday 10 May, and costs are due from Tuesday 11 May.
    due = D(2027, 4, 7)
    consumer.invoice(due=due)
    run_days(due, D(2027, 4, 21))
    notice = Notice.objects.get(customer=consumer.customer, kind="wik_letter")
    assert notice.sent_at is not None and notice.term_end == D(2027, 5, 10)
    assert consumer.case().costs_from == D(2027, 5, 11)
    entry = case_timeline_for(viewer=personas.dave, case=consumer.case()).entries[-1]
    assert "(dat is uiterlijk op 10 mei 2027)" in entry.text and "werkdag extra" not in entry.text
