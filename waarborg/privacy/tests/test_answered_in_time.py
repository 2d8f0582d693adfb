"""Late and overdue are judged at the answer, not at the closing nor today (G9, X5, G10).

Every way an answer or a refusal goes out records `answered_at`; `waarborg privacy queue --all`
judges each request by it. The expected dates are worked out by hand in answers_world.py.
"""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.core import clock
from waarborg.privacy import timeliness
from waarborg.privacy.answers import privacy_request_complete, privacy_request_extend, privacy_request_refuse
from waarborg.privacy.delivery import portability_deliver
from waarborg.privacy.intake import privacy_request_answer_no_data, privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.tests import answers_world
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db
D = dt.date
WEEKS_LATER = "2026-05-10"


def run(*args) -> str:
    out = StringIO()
    call_command("privacy", *args, stdout=out)
    return out.getvalue()


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=clock.AMSTERDAM)


def _line(out: str, number: str) -> str:
    [line] = [line for line in out.splitlines() if line.startswith(number)]
    return line


def _flags(line: str) -> str:
    return line.split("  ")[-1].strip()


@pytest.fixture
def world(personas, mail):
    return answers_world.build(personas)


# --- Every answer records when it went out ---------------------------------------------------------


@pytest.mark.promise("G9", "G1")
def test_completing_a_request_records_when_it_was_answered(personas, alice, erin):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    assert made.answered_at is None
    with clock.as_of(D(2026, 3, 14)):
        privacy_request_complete(actor=erin, request=made)
    made.refresh_from_db()
    assert made.answered_at == _noon(D(2026, 3, 14)) and made.closed_at == made.answered_at


@pytest.mark.promise("G9", "G10")
def test_a_refusal_records_when_it_was_sent(personas, alice, erin):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    with clock.as_of(D(2026, 3, 5)):
        privacy_request_refuse(actor=erin, request=made, reason="U vroeg dit gisteren ook.")
    made.refresh_from_db()
    assert made.status == "refused" and made.answered_at == _noon(D(2026, 3, 5))


@pytest.mark.promise("G9", "G7")
def test_the_answer_that_nothing_is_held_records_when_it_went_out(personas, erin):
    with clock.as_of(D(2026, 3, 4)):
        mailed = privacy_request_create(
            actor=erin, type="access", channel="email", received_at=D(2026, 3, 2), email="niemand@example.nl"
        )
        posted = privacy_request_create(
            actor=erin,
            type="access",
            channel="post",
            received_at=D(2026, 3, 2),
            name="Piet Niemand",
            postcode="1234 AB",
        )
    assert mailed.answered_at == _noon(D(2026, 3, 4)) and posted.answered_at is None
    with clock.as_of(D(2026, 3, 6)):
        notice = privacy_request_answer_no_data(actor=erin, request=posted, by_post=True)
    posted.refresh_from_db()
    assert not notice.emailed and posted.answered_at == _noon(D(2026, 3, 6)) and posted.answered_by == "post"


@pytest.mark.promise("G9", "G1", "G7")
def test_an_access_request_answered_from_the_shell_records_the_answer(personas, erin, tmp_path):
    with clock.as_of(D(2026, 3, 9)):
        args = ["--email", personas.alice.contact.email, "--received", "2026-03-02", "--handler", erin.email]
        run("access", *args, "--out", str(tmp_path / "a.zip"))
    made = PrivacyRequest.objects.get()
    assert made.answered_at == _noon(D(2026, 3, 9))
    row = json.loads(run("queue", "--all", "--as-of", WEEKS_LATER, "--format", "json"))[0]
    assert (row["answered"], row["day"], row["late"], row["overdue"]) == ("2026-03-09", 7, False, False)


@pytest.mark.promise("G9", "G6")
def test_a_portability_delivery_records_the_answer(personas, alice, erin):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="portability", channel="portal")
    with clock.as_of(D(2026, 3, 11)):
        portability_deliver(actor=erin, request=made)
    made.refresh_from_db()
    assert made.status == "completed" and made.answered_at == _noon(D(2026, 3, 11))


@pytest.mark.promise("G9", "G3")
def test_the_erasure_engine_answering_records_the_answer(
    personas,
    files_in_a_fresh_directory,
    django_capture_on_commit_callbacks,
):
    from waarborg.erasure.plan import erasure_plan
    from waarborg.erasure.tests.world import build_alice
    from waarborg.privacy.erasure_answer import privacy_request_erase
    from waarborg.privacy.erasure_plan import erasure_plan_review, erasure_plan_submit
    from waarborg.privacy.identity import privacy_request_verify_by_staff
    from waarborg.privacy.intake import privacy_request_create
    from waarborg.privacy.subject import subject_hits

    build_alice(personas, files=False)
    erin = personas.erin
    with clock.as_of(clock.today() - dt.timedelta(days=3)):
        made = privacy_request_create(
            actor=erin, type="erasure", channel="email", received_at=clock.today(), email="alice.devries@example.nl"
        )
        privacy_request_verify_by_staff(actor=erin, request=made, note="checked against the file")
        plan = erasure_plan(subject_hits(made))
        erasure_plan_submit(actor=erin, request=made, categories=plan.categories(), summary=plan.row_counts())
        erasure_plan_review(actor=erin, request=made, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        privacy_request_erase(actor=erin, request=made)
    made.refresh_from_db()
    assert made.status == "completed" and made.answered_at is not None
    assert made.answered_at.astimezone(clock.AMSTERDAM).date() == clock.today()


# --- `waarborg privacy queue --all`: judged at the answer --------------------------------------------


@pytest.mark.promise("G9")
def test_an_answer_on_day_12_is_neither_late_nor_overdue_weeks_later(world):
    out = run("queue", "--all", "--as-of", WEEKS_LATER)
    header = out.splitlines()[0].split()
    assert header == ["number", "type", "status", "received", "day", "promised", "due", "answered", "flags"]
    line = _line(out, world["day12"].number)
    number = world["day12"].number
    assert line.split()[:8] == [
        number,
        "access",
        "completed",
        "2026-03-20",
        "12",
        "2026-04-17",
        "2026-04-20",
        "2026-04-01",
    ]
    assert "LATE" not in line and "OVERDUE" not in line and "PROMISE MISSED" not in line
    rows = {r["number"]: r for r in json.loads(run("queue", "--all", "--as-of", WEEKS_LATER, "--format", "json"))}
    row = rows[world["day12"].number]
    assert (row["answered"], row["day"], row["first_response"]) == ("2026-04-01", 12, "2026-04-01")
    assert (row["overdue"], row["late"], row["within_promise"], row["within_legal"]) == (False, False, True, True)


@pytest.mark.promise("G9")
def test_an_answer_on_day_30_missed_the_promise_but_kept_the_legal_term(world):
    out = run("queue", "--all", "--as-of", WEEKS_LATER)
    assert _flags(_line(out, world["day30"].number)) == "PROMISE MISSED"
    row = {r["number"]: r for r in json.loads(run("queue", "--all", "--as-of", WEEKS_LATER, "--format", "json"))}[
        world["day30"].number
    ]
    assert (row["day"], row["promise_due"], row["legal_due"], row["answered"]) == (
        30,
        "2026-03-30",
        "2026-04-02",
        "2026-04-01",
    )
    assert (row["overdue"], row["late"], row["within_promise"], row["within_legal"]) == (False, False, False, True)


@pytest.mark.promise("G9", "X5")
def test_an_extended_request_answered_within_the_extension_is_in_time(world):
    rows = {r["number"]: r for r in json.loads(run("queue", "--all", "--as-of", "2026-07-01", "--format", "json"))}
    row = rows[world["extended"].number]
    # received 2 March: one month ends 2 April, two further months 2 June (a Tuesday)
    assert (row["extended_due"], row["due"], row["first_response"], row["answered"]) == (
        "2026-06-02",
        "2026-06-02",
        "2026-03-20",
        "2026-04-20",
    )
    assert (row["overdue"], row["late"], row["within_promise"], row["within_legal"]) == (False, False, True, True)
    assert _flags(_line(run("queue", "--all", "--as-of", "2026-07-01"), world["extended"].number)) == "extended"


@pytest.mark.promise("G9", "G8")
def test_a_request_that_waited_for_the_identity_check_has_its_promise_moved(world):
    row = {r["number"]: r for r in json.loads(run("queue", "--all", "--as-of", WEEKS_LATER, "--format", "json"))}[
        world["paused"].number
    ]
    # received 3 March: promised 31 March; waited 3 to 8 March (5 days): 5 April; legal 7 April (Easter)
    assert (row["promise_due"], row["paused_days"], row["sla_due"], row["legal_due"]) == (
        "2026-03-31",
        5,
        "2026-04-05",
        "2026-04-07",
    )
    assert (row["answered"], row["day"], row["within_promise"], row["within_legal"]) == ("2026-04-04", 32, True, True)
    line = _line(run("queue", "--all", "--as-of", WEEKS_LATER), world["paused"].number)
    assert _flags(line) == "promise moved 5 day(s): awaited the requester"


@pytest.mark.promise("G9", "G10")
def test_a_refusal_after_the_legal_term_is_late_and_an_unanswered_request_overdue(world):
    out = run("queue", "--all", "--as-of", WEEKS_LATER)
    assert _flags(_line(out, world["refused_late"].number)) == "LATE, PROMISE MISSED"
    assert _flags(_line(out, world["open"].number)) == "LATE, OVERDUE"
    assert out.splitlines()[-1] == f"7 requests as of {WEEKS_LATER}; 1 overdue"
    rows = {r["number"]: r for r in json.loads(run("queue", "--all", "--as-of", WEEKS_LATER, "--format", "json"))}
    assert [n for n, r in rows.items() if r["overdue"]] == [world["open"].number]
    assert sorted(n for n, r in rows.items() if r["late"]) == sorted(
        [world["open"].number, world["refused_late"].number]
    )
    # the open queue: only the one still open
    assert [r["number"] for r in json.loads(run("queue", "--as-of", WEEKS_LATER, "--format", "json"))] == [
        world["open"].number
    ]


@pytest.mark.promise("G9")
def test_the_queue_as_of_a_day_before_the_answer_judges_it_as_it_stood_then(world):
    rows = {r["number"]: r for r in json.loads(run("queue", "--all", "--as-of", "2026-03-31", "--format", "json"))}
    row = rows[world["day30"].number]  # promised 30 March, answered 1 April
    assert (row["answered"], row["overdue"], row["late"], row["within_promise"]) == (None, True, False, False)


# --- The judgments themselves, on facts alone ------------------------------------------------------


@pytest.mark.promise("G9", "X5")
def test_an_extension_told_after_the_legal_date_does_not_extend_the_legal_term():
    facts = timeliness.Facts(
        received=D(2026, 3, 2),
        promise_due=D(2026, 3, 30),
        legal_due=D(2026, 4, 2),
        extended_due=D(2026, 6, 2),
        extension_sent=D(2026, 4, 3),
        answered=D(2026, 5, 1),
    )
    judged = timeliness.judge(facts, D(2026, 7, 1))
    assert judged.due == D(2026, 4, 2) and judged.late and judged.within_legal is False
    assert judged.within_promise is False and not judged.overdue


@pytest.mark.promise("G9")
def test_a_wait_that_starts_after_the_promise_ran_out_cannot_mend_it():
    facts = timeliness.Facts(
        received=D(2026, 3, 3),
        promise_due=D(2026, 3, 31),
        legal_due=D(2026, 4, 7),
        pause_start=D(2026, 4, 2),
        pause_end=D(2026, 4, 5),
        answered=D(2026, 4, 6),
    )
    # 3 days waited, but the 28 days were used up on 31 March: 34 days counted by the answer
    judged = timeliness.judge(facts, D(2026, 5, 1))
    assert judged.promise_date == D(2026, 4, 3) and judged.within_promise is False and judged.within_legal is True
    assert timeliness.is_overdue(facts, D(2026, 4, 1)) and timeliness.is_overdue(facts, D(2026, 4, 3))


@pytest.mark.promise("G9")
def test_the_promise_never_moves_past_the_legal_date():
    facts = timeliness.Facts(
        received=D(2026, 3, 2),
        promise_due=D(2026, 3, 30),
        legal_due=D(2026, 4, 2),
        pause_start=D(2026, 3, 2),
        pause_end=D(2026, 3, 22),
        answered=D(2026, 4, 3),
    )
    judged = timeliness.judge(facts, D(2026, 5, 1))
    assert judged.paused_days == 20 and judged.promise_date == D(2026, 4, 2)
    assert judged.within_promise is False and judged.late


# --- Extending from the shell: bad input changes nothing ----------------------------------------------


def _extend(*args):
    return run("extend", *args)


@pytest.mark.promise("X5", "G9")
def test_it_extends_from_the_shell_to_two_further_months(personas, alice, erin, mail):
    with clock.as_of(D(2025, 10, 31)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    with clock.as_of(D(2025, 11, 20)):
        out = _extend(made.number, "--reason", "Uw gegevens staan in drie systemen.", "--handler", erin.email)
    made.refresh_from_db()
    # one month ends 30 November; two further months end 30 January 2026 (a Friday), not 31 January
    assert out.strip() == f"{made.number}: extended to 2026-01-30; the requester was told why by e-mail"
    assert made.extended_due == D(2026, 1, 30) and made.extension_notice_sent_at == _noon(D(2025, 11, 20))
    assert "drie systemen" in mail.body(mail.wait_for(1)[0])


@pytest.mark.promise("X5")
def test_it_prints_the_notice_of_extension_to_post(personas, erin, mail):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(
            actor=erin,
            type="access",
            channel="post",
            received_at=D(2026, 3, 2),
            name="Alice de Vries",
            postcode="3521 AB",
        )
        out = _extend(made.number, "--reason", "Veel gegevens.", "--handler", erin.email, "--by-post")
    assert f"{made.number}: extended to 2026-06-02; post this notice today:" in out and "Veel gegevens." in out
    assert mail.settle() == []


@pytest.mark.promise("X5")
@pytest.mark.parametrize(
    ("today", "args", "code", "words"),
    [
        (D(2026, 3, 31), ["--reason", "Te laat bedacht."], 2, "too late to extend"),  # day 29
        (D(2026, 3, 20), ["--reason", "   "], 2, "reason is required"),
        (D(2026, 3, 20), ["--reason", "Zie BSN 123456782"], 2, "BSN"),
        (D(2026, 3, 20), ["--reason", "Veel.", "--handler", "carol@duinhost.example"], 2, "privacy officer"),
        (D(2026, 3, 20), ["--reason", "Veel.", "--handler", "niemand@duinhost.example"], 2, "no active account"),
    ],
)
def test_it_refuses_a_bad_extension_from_the_shell_with_one_line_and_changes_nothing(
    personas, alice, erin, mail, today, args, code, words
):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    if "--handler" not in args:
        args = [*args, "--handler", erin.email]
    before = database_snapshot()
    with clock.as_of(today), pytest.raises(CommandError) as refused:
        _extend(made.number, *args)
    assert refused.value.returncode == code and words in str(refused.value), str(refused.value)
    assert "\n" not in str(refused.value) and "123456782" not in str(refused.value)
    assert_nothing_changed(before)
    assert mail.settle() == []


@pytest.mark.promise("X5")
def test_it_refuses_a_second_extension_and_an_unknown_number_from_the_shell(personas, alice, erin, mail):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(actor=alice, type="access", channel="portal")
    with clock.as_of(D(2026, 3, 10)):
        privacy_request_extend(actor=erin, request=made, reason="Complex verzoek.")
        before = database_snapshot()
        with pytest.raises(CommandError) as refused:
            _extend(made.number, "--reason", "Nog complexer.", "--handler", erin.email)
        assert refused.value.returncode == 2 and "extended already" in str(refused.value)
        with pytest.raises(CommandError) as unknown:
            _extend("PV999999", "--reason", "Iets.", "--handler", erin.email)
        assert unknown.value.returncode == 1 and "no such privacy request" in str(unknown.value)
    assert_nothing_changed(before)
    assert len(mail.wait_for(1)) == 1  # only the first extension's notice
