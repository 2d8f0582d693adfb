"""`waarborg incidents list` and `waarborg incidents report` (B6, X6): staff at the shell."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.core import clock
from waarborg.incidents.handling import incident_assess, incident_close
from waarborg.incidents.intake import incident_report
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


@pytest.mark.promise("B6", "X6")
def test_report_takes_a_kind_and_triage_triages_a_report_at_the_shell(personas):
    out = run("report", "--description", "Spam vanaf een klantsite", "--kind", "abuse")
    abuse = Incident.objects.get(description="Spam vanaf een klantsite")
    assert abuse.kind == "abuse" and abuse.aware_at is None
    assert out.strip() == f"registered {abuse.number} (staff) as abuse; no 72-hour clock"
    default = run("report", "--description", "Back-up-schijf kwijt", "--aware", "2026-03-02 09:15")
    assert Incident.objects.get(description="Back-up-schijf kwijt").kind == "breach"  # as before: a suspected breach
    assert "notify a reportable breach by 2026-03-05 09:15" in default
    with clock.as_of(clock.parse_date("2026-03-02")):
        report = incident_report(description="Verdachte export van klantgegevens").incident
        out = run(
            "triage", report.number, "--kind", "breach", "--aware", "2026-03-02 12:00", "--reasons", "Export gezien."
        )
    report.refresh_from_db()
    assert report.kind == "breach" and report.aware_at == at(2026, 3, 2, 12) and report.triaged_by is None
    assert out.strip().startswith(f"triaged {report.number} as breach; aware since 2026-03-02 12:00")
    assert "by 2026-03-05 12:00" in out


@pytest.mark.promise("B6", "X6")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "--description", "Spam", "--kind", "phishing"), "kind must be abuse, security or breach"),
        (("triage", "{n}", "--kind", "phishing", "--reasons", "Spam."), "kind must be abuse, security or breach"),
        (
            ("triage", "{n}", "--kind", "breach", "--aware", "2026-03-01 09:00", "--reasons", "Lek."),
            "aware_at lies before the report was received",
        ),
        (
            ("triage", "{n}", "--kind", "breach", "--aware", "2026-03-03 09:00", "--reasons", "Lek."),
            "aware_at lies after the triage",
        ),
        (("triage", "{t}", "--kind", "breach", "--reasons", "Lek."), "has been triaged already"),
        (("triage", "I99999", "--kind", "abuse", "--reasons", "Spam."), "not found"),
    ],
)
def test_bad_kinds_moments_and_a_second_triage_are_refused_at_the_shell(personas, args, message):
    with clock.as_of(clock.parse_date("2026-03-02")):
        report = incident_report(description="Verdachte export").incident
        triaged = incident_report(description="Spam").incident
        run("triage", triaged.number, "--kind", "abuse", "--reasons", "Spam vanaf een klantsite.")
        before = database_snapshot()
        fields = [(i.pk, i.kind, i.aware_at, i.triaged_at) for i in Incident.objects.order_by("pk")]
        with pytest.raises(CommandError) as refused:
            run(*[a.format(n=report.number, t=triaged.number) for a in args])
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert_nothing_changed(before)
    assert [(i.pk, i.kind, i.aware_at, i.triaged_at) for i in Incident.objects.order_by("pk")] == fields


@pytest.mark.promise("X6")
def test_list_shows_the_kind_and_the_triage_state_with_the_old_keys_kept(personas, registered):
    breach = registered(aware=at(2026, 3, 2, 9))
    with clock.as_of(clock.parse_date("2026-03-03")):
        report = incident_report(description="Phishing op een klantsite").incident
    lines = run("list", "--at", "2026-03-04 09:00").strip().splitlines()
    assert lines[0].startswith(report.number) and "untriaged" in lines[0]
    assert lines[0].endswith("triage by 2026-03-04 12:00")
    assert lines[1].startswith(breach.number) and " breach " in lines[1] and lines[1].endswith("24 h left")
    assert run("list", "--at", "2026-03-04 13:00").strip().splitlines()[0].endswith("TRIAGE OVERDUE")
    rows = json.loads(run("list", "--format", "json", "--at", "2026-03-04 09:00"))
    first, second = rows
    assert first["number"] == report.number and first["kind"] is None and first["triaged"] is False
    assert first["aware_at"] is None and first["due_at"] is None and first["clock_running"] is False
    assert first["triage_due_at"].startswith("2026-03-04T11:00") and first["triage_overdue"] is False  # UTC
    assert second["kind"] == "breach" and second["triaged"] is True and second["due_at"].startswith("2026-03-05T08:00")
    old = {"number", "status", "channel", "received_at", "aware_at", "due_at", "is_breach", "risk", "hours_left"}
    assert old <= set(first) and old <= set(second)
