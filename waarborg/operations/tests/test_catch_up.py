"""After downtime the scheduler catches up the missed days one by one; a decision may be taken for
a missed day, but the letter goes out dated today, and its terms count from today."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from waarborg.dunning.models import Case, Decision, Notice
from waarborg.operations.models import DailyRun
from waarborg.testing import factories as f

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
D = dt.date
DUE = D(2026, 2, 2)  # a Monday; the consumer ladder: reminder on day 7, the fourteen-day letter on day 14
LAST_RUN = D(2026, 2, 15)  # the last day run before the downtime
TODAY = D(2026, 2, 19)  # back up on Thursday: 16, 17 and 18 February were missed

# The generally recognised Dutch holidays of 2026 (Good Friday counted, the safe side for a creditor).
HOLIDAYS_2026 = {
    D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 5), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 5),
    D(2026, 5, 14), D(2026, 5, 24), D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26),
}  # fmt: skip


def oracle_term_end(posted: dt.date) -> dt.date:
    """Art. 6:96(6) BW: fourteen days from the day after the letter counts as received. A letter
    counts as received on the second day after posting, Sundays, Mondays and holidays not counted
    (HR 25 November 2016); a term ending on a Saturday, Sunday or holiday runs on to the next
    working day (Algemene termijnenwet art. 1)."""
    received, counted = posted, 0
    while counted < 2:
        received += dt.timedelta(days=1)
        if received.weekday() not in (6, 0) and received not in HOLIDAYS_2026:
            counted += 1
    end = received + dt.timedelta(days=14)
    while end.weekday() >= 5 or end in HOLIDAYS_2026:
        end += dt.timedelta(days=1)
    return end


def dutch(day: dt.date) -> str:
    months = "januari februari maart april mei juni juli augustus september oktober november december".split()
    return f"{day.day} {months[day.month - 1]} {day.year}"


def scheduler_once_at(day: dt.date, hour: int = 4):
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=AMS), tick=False):
        call_command("scheduler", "--once", stdout=StringIO())


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMS).date()


@pytest.mark.promise("A1", "A5")
def test_missed_days_are_caught_up_one_by_one_with_the_letter_dated_and_its_term_counted_from_today(
    personas, smtp_server
):
    customer, contact = personas.alice_customer, personas.alice_contact  # a consumer: the WIK ladder
    f.NoticeAgreementFactory(customer=customer)  # she agreed to notices by e-mail: the letter is e-mailed
    hosting = f.SubscriptionFactory(customer=customer, label="site.example", start_date=D(2025, 1, 1))
    invoice = f.InvoiceFactory(
        customer=customer,
        billing_contact=contact,
        issue_date=DUE - dt.timedelta(days=14),
        due_date=DUE,
        total_excl=Decimal("100.00"),
        vat_amount=Decimal("21.00"),
        total_incl=Decimal("121.00"),
    )
    f.InvoiceLineFactory(invoice=invoice, subscription=hosting, unit_price=Decimal("100.00"))

    scheduler_once_at(D(2026, 2, 9))  # the first run: the reminder, sent that day
    scheduler_once_at(LAST_RUN)  # 10 to 15 February, one by one
    assert list(DailyRun.objects.order_by("pk").values_list("day", flat=True)) == [
        D(2026, 2, 9) + dt.timedelta(days=n) for n in range(7)
    ]
    before = len(smtp_server.settle())
    first_pk = DailyRun.objects.order_by("-pk").first().pk

    scheduler_once_at(TODAY)  # down on 16, 17 and 18 February

    runs = list(DailyRun.objects.filter(pk__gt=first_pk).order_by("pk"))
    assert [run.day for run in runs] == [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), TODAY]
    assert all(run.status == DailyRun.Status.OK and run.trigger == "scheduler" for run in runs), [
        (run.day, run.failures) for run in runs
    ]
    assert [run.started_at for run in runs] == sorted(run.started_at for run in runs)
    assert runs[0].counts["dunning"] == {"wik_letter": 1}  # decided for the missed day it was due
    assert runs[0].counts["dunning-notices"] == {"sent": 1}

    case = Case.objects.get(customer=customer)
    letter = Decision.objects.get(case=case, kind="wik_letter")
    assert letter.decided_on == D(2026, 2, 16)
    notice = Notice.objects.get(decision=letter)
    assert notice.status == Notice.Status.SENT
    assert local_day(notice.sent_at) == TODAY  # dated the day it really went out
    assert notice.term_end == oracle_term_end(TODAY) == D(2026, 3, 9)
    assert notice.term_end != oracle_term_end(D(2026, 2, 16))  # what counting from the missed day would give
    assert case.costs_from == notice.term_end + dt.timedelta(days=1)
    # The next step counts from the day the letter went out: the ladder's 21 days between the letter
    # (day 14) and the final notice (day 35), not from 16 February.
    assert case.last_effective_on == TODAY and case.last_notice_on == TODAY
    assert case.next_step_on == max(DUE + dt.timedelta(days=35), TODAY + dt.timedelta(days=35 - 14))
    # Nothing that went out carries a missed day.
    sent_days = sorted(local_day(n.sent_at) for n in Notice.objects.filter(case=case))
    assert sent_days == [D(2026, 2, 9), TODAY]

    (message,) = smtp_server.wait_for(before + 1)[before:]
    assert message["To"] == contact.email
    assert message["Date"].datetime.astimezone(AMS).date() == TODAY
    body = smtp_server.body(message)
    assert f"uiterlijk op {dutch(oracle_term_end(TODAY))}" in body
    assert dutch(oracle_term_end(D(2026, 2, 16))) not in body
