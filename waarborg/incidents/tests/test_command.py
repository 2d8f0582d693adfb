"""`waarborg incidents list` and `waarborg incidents report` (B6, X6): staff at the shell."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.incidents.handling import incident_assess, incident_close
from waarborg.incidents.models import Incident
from waarborg.incidents.tests.conftest import at
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("incidents", *args, stdout=out)
    return out.getvalue()


@pytest.mark.promise("B6", "X6")
def test_it_registers_an_incident_at_the_shell_with_the_moment_of_awareness(personas):
    out = run("report", "--description", "Back-up-schijf met klantgegevens kwijt", "--aware", "2026-03-02 09:15")
    incident = Incident.objects.get()
    assert incident.channel == "staff" and incident.aware_at == at(2026, 3, 2, 9, 15)
    assert out.strip() == (
        f"registered {incident.number} (staff); aware since 2026-03-02 09:15; assess it, and notify a reportable "
        "breach by 2026-03-05 09:15 (Amsterdam time)"
    )
    assert "klantgegevens" not in out


@pytest.mark.promise("B6")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--description", "   "), "description is required"),
        (("--description", "Lek", "--aware", "2 maart"), "aware_at is not a moment in the form YYYY-MM-DD HH:MM"),
        (("--description", "Lek", "--aware", "2099-01-01 10:00"), "aware_at lies in the future"),
        (("--description", "BSN 111222333 gelekt"), "looks like a BSN"),
    ],
)
def test_it_refuses_bad_input_in_one_line_with_exit_code_2_and_writes_nothing(personas, args, message):
    before = database_snapshot()
    with pytest.raises(CommandError) as refused:
        run("report", *args)
    assert refused.value.returncode == 2
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert_nothing_changed(before)


@pytest.mark.promise("X6")
def test_it_lists_the_register_with_the_clock_as_text_and_json(personas, erin, registered):
    running = registered(aware=at(2026, 3, 2, 9))
    closed = registered(aware=at(2026, 3, 1, 9))
    incident_assess(actor=erin, incident=closed, is_breach=False, reasons="Geen lek.")
    incident_close(actor=erin, incident=closed)
    text = run("list", "--at", "2026-03-04 09:00")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith(running.number) and lines[0].endswith("24 h left")
    assert "not assessed" in lines[0] and lines[1].startswith(closed.number) and "no breach" in lines[1]
    assert run("list", "--open", "--at", "2026-03-05 10:00").strip().endswith("OVERDUE")
    rows = json.loads(run("list", "--open", "--format", "json", "--at", "2026-03-05 10:00"))
    assert [r["number"] for r in rows] == [running.number]
    assert rows[0]["overdue"] is True and rows[0]["hours_left"] == -1 and rows[0]["clock_running"] is True
    assert rows[0]["due_at"].startswith("2026-03-05T08:00")  # UTC
    assert "description" not in rows[0] and "reporter_email" not in rows[0]


@pytest.mark.promise("X6")
def test_the_waarborg_command_ends_a_refusal_with_one_line_and_exit_code_2(personas, capsys, monkeypatch):
    from waarborg.cli import main

    # Django is set up already; setting it up again would bind the log to this test's captured stderr.
    monkeypatch.setattr("django.setup", lambda *args, **kwargs: None)

    with pytest.raises(SystemExit) as ended:
        main(["incidents", "report", "--description", ""])
    assert ended.value.code == 2
    # (the test SMTP server logs to stderr too; the command's own output is one line)
    err = [line for line in capsys.readouterr().err.splitlines() if "mail.log" not in line]
    assert err == ["CommandError: description is required"]
