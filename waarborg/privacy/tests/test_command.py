"""`waarborg privacy register` and `waarborg privacy queue` (G7, G9)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.core import clock
from waarborg.privacy.models import PrivacyRequest
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("privacy", *args, stdout=out)
    return out.getvalue()


@pytest.mark.promise("G7", "G9", "G8")
def test_it_registers_a_letter_with_the_date_received_and_starts_the_identity_check(personas, mail, erin):
    with clock.as_of(clock.parse_date("2026-02-03")):
        out = run(
            "register",
            "--type",
            "access",
            "--channel",
            "post",
            "--received",
            "2026-01-31",
            "--email",
            "alice.devries@example.nl",
            "--handler",
            "erin@duinhost.example",
        )
    request = PrivacyRequest.objects.get()
    assert f"registered {request.number} (access, by post), received 2026-01-31" in out
    assert "promised by 2026-02-28, legally due 2026-03-02" in out
    assert "one-time confirmation link was e-mailed" in out
    assert request.handler == erin and request.status == PrivacyRequest.Status.AWAITING_ID
    assert mail.wait_for(1)[0]["To"] == "alice.devries@example.nl"


@pytest.mark.promise("G8")
def test_it_prints_the_upload_link_for_a_letter_without_an_e_mail_address(personas, mail):
    out = run(
        "register",
        "--type",
        "erasure",
        "--channel",
        "post",
        "--received",
        clock.today().isoformat(),
        "--name",
        "Alice de Vries",
        "--postcode",
        "3521 AB",
    )
    assert "post this one-time link to upload an ID copy" in out and "/privacyverzoek/identiteit/" in out
    assert mail.settle() == []


@pytest.mark.promise("G7")
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "give an identifier"),
        (["--email", "alice.devries@example.nl", "--details", "BSN 123456782"], 2, "BSN"),
        (["--email", "alice.devries@example.nl", "--received", "31-01-2026"], 2, "YYYY-MM-DD"),
        (["--email", "alice.devries@example.nl", "--received", "2099-01-01"], 2, "future"),
        (["--email", "alice.devries@example.nl", "--received", "0001-01-01"], 2, "GDPR"),
        (["--email", "alice.devries@example.nl", "--received", "9999-12-31"], 2, "future"),
        (["--email", "alice.devries@example.nl", "--handler", "nobody@duinhost.example"], 2, "no active account"),
    ],
)
def test_it_refuses_bad_input_with_one_line_and_writes_nothing(personas, args, code, message):
    base = ["register", "--type", "access", "--channel", "email", "--received", "2026-01-31"]
    before = database_snapshot()
    with pytest.raises(CommandError) as refused:
        run(*base, *args)
    assert refused.value.returncode == code and message in str(refused.value)
    assert "123456782" not in str(refused.value) and "\n" not in str(refused.value)
    assert_nothing_changed(before)


@pytest.mark.promise("G9")
def test_it_lists_the_queue_with_due_dates_and_flags_the_overdue(personas, mail):
    with clock.as_of(clock.parse_date("2026-03-10")):
        run(
            "register",
            "--type",
            "access",
            "--channel",
            "email",
            "--received",
            "2026-02-02",
            "--email",
            "alice.devries@example.nl",
            "--no-verify",
        )
        run(
            "register",
            "--type",
            "erasure",
            "--channel",
            "phone",
            "--received",
            "2026-03-02",
            "--email",
            "bob@bakkerijjansen.example",
        )
    out = run("queue", "--as-of", "2026-03-10")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["number", "type", "status"]
    assert "access" in lines[1] and "2026-03-02" in lines[1] and "LATE, OVERDUE" in lines[1]
    assert "erasure" in lines[2] and "SLA paused (awaiting ID)" in lines[2] and "OVERDUE" not in lines[2]
    assert lines[-1] == "2 requests as of 2026-03-10; 1 overdue"
    rows = json.loads(run("queue", "--as-of", "2026-03-10", "--format", "json"))
    assert [r["overdue"] for r in rows] == [True, False]
    assert rows[1]["legal_due"] == "2026-04-02" and rows[1]["sla_paused"]
    assert "alice" not in out.lower()  # numbers, types and dates only


@pytest.mark.promise("G7", "G1")
def test_it_registers_a_request_about_no_one_we_know_and_answers_it(personas, mail):
    out = run(
        "register",
        "--type",
        "access",
        "--channel",
        "email",
        "--received",
        "2026-01-31",
        "--email",
        "niemand@example.nl",
    )
    assert "answered by e-mail" in out
    request = PrivacyRequest.objects.get()
    assert request.status == "completed" and request.subject_rows == [] and request.answered_by == "email"
    assert mail.wait_for(1)[0]["To"] == "niemand@example.nl"
    # By post (no address): the letter's text, to be posted.
    out = run(
        "register",
        "--type",
        "erasure",
        "--channel",
        "post",
        "--received",
        "2026-01-31",
        "--name",
        "Niemand Bekend",
        "--postcode",
        "9999 ZZ",
    )
    assert "post this answer" in out and "geen persoonsgegevens" in out
    assert PrivacyRequest.objects.get(type="erasure").answered_by == "post"
