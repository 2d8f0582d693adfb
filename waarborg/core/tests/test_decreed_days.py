"""The lists of decreed days: an operator adds a year's list without a release, and `waarborg
check` warns a year before the held lists run out — reading no table."""

import datetime as dt
import io
import json
import os
import subprocess
import sys

import pytest
import time_machine
from django.core import checks as django_checks
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.audit.models import AuditEvent
from waarborg.core import decreed_days
from waarborg.core.checks import check_decreed_days
from waarborg.core.holidays import wik_term_end
from waarborg.testing.checks import unchanged

D = dt.date


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def operator_file(data_dir):
    return data_dir / "decreed_days.json"


# --- The check ----------------------------------------------------------------------------------


@pytest.mark.promise("B4")
def test_the_check_warns_from_the_first_of_january_a_year_before_the_lists_run_out():
    assert check_decreed_days(today=D(2026, 12, 7)) == []
    assert check_decreed_days(today=D(2026, 12, 31)) == []
    [warning] = check_decreed_days(today=D(2027, 1, 1))
    assert isinstance(warning, django_checks.Warning) and not warning.is_serious()
    assert warning.id == "waarborg.W010" and "held up to 2028" in warning.msg
    assert "waarborg holidays add" in warning.hint
    assert [w.id for w in check_decreed_days(today=D(2028, 12, 31))] == ["waarborg.W010"]
    [gap] = check_decreed_days(today=D(2029, 3, 1))  # no list for the current year at all
    assert "no list" in gap.msg and "2029" in gap.msg


@pytest.mark.promise("B4")
def test_an_added_list_moves_the_warning_a_year_on(data_dir):
    operator_file(data_dir).write_text(
        json.dumps({"years": {"2029": [{"days": ["2029-05-11"], "source": "Besluit (test)"}]}})
    )
    assert check_decreed_days(today=D(2027, 1, 1)) == []
    assert [w.id for w in check_decreed_days(today=D(2028, 1, 1))] == ["waarborg.W010"]


@pytest.mark.promise("B4")
def test_an_unreadable_operator_list_is_a_warning_not_an_error(data_dir):
    operator_file(data_dir).write_text("{not json")
    [warning] = check_decreed_days(today=D(2026, 12, 7))
    assert warning.id == "waarborg.W011" and not warning.is_serious()
    assert "decreed_days.json" in warning.msg


@pytest.mark.promise("B4")
def test_waarborg_check_shows_the_warning_without_reading_a_table():
    # No django_db mark: any query would fail this test.
    with time_machine.travel(dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        err = io.StringIO()
        call_command("check", stdout=io.StringIO(), stderr=err)
        assert "(waarborg.W010)" in err.getvalue() and "2028" in err.getvalue()
        # Other commands are not told: it must not add lines to their stderr.
        assert "waarborg.W010" not in {m.id for m in django_checks.run_checks()}
    err = io.StringIO()
    call_command("check", stdout=io.StringIO(), stderr=err)  # today, 2026: nothing to say yet
    assert "W010" not in err.getvalue()


@pytest.mark.promise("B4")
def test_waarborg_check_runs_on_an_unmigrated_database(tmp_path):
    data = tmp_path / "fresh"
    data.mkdir()
    (data / "decreed_days.json").write_text("[]")  # unreadable: the W011 warning shows the check ran
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL"))}
    env.update(WAARBORG_DATA_DIR=str(data), PYTHONWARNINGS="ignore")
    result = subprocess.run(
        [sys.executable, "-m", "waarborg", "check"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "(waarborg.W011)" in result.stderr and "Traceback" not in result.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "waarborg", "holidays", "list"], capture_output=True, text=True, env=env, timeout=120
    )
    assert listed.returncode == 2 and len(listed.stderr.strip().splitlines()) == 1
    assert "decreed_days.json" in listed.stderr


# --- The operator command -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.promise("A5", "B4")
def test_an_operator_adds_a_years_list_and_it_counts_at_once(data_dir, capsys):
    assert wik_term_end(D(2029, 1, 19)) == D(2029, 2, 7)  # no list for 2029: one day of margin
    call_command(
        "holidays", "add", "--year", "2029", "--day", "2029-05-11", "--day", "2029-02-06",
        "--source", "Besluit gelijkstelling van … 2029 … met een algemeen erkende feestdag (Stcrt. 2028, 1)",
    )  # fmt: skip
    assert "2029: added 2029-02-06, 2029-05-11" in capsys.readouterr().out
    stored = json.loads(operator_file(data_dir).read_text())
    [entry] = stored["years"]["2029"]
    assert entry["days"] == ["2029-02-06", "2029-05-11"] and entry["source"].startswith("Besluit gelijkstelling")
    assert decreed_days.is_held(2029) and decreed_days.is_decreed_day(D(2029, 2, 6))
    # Received Tuesday 23 January, the 14 days end Tuesday 6 February — now decreed: Wednesday 7th.
    assert wik_term_end(D(2029, 1, 19)) == D(2029, 2, 7)
    assert wik_term_end(D(2029, 1, 17)) == D(2029, 2, 2)  # no margin any more
    event = AuditEvent.objects.get(action="holidays.decreed_days.add")
    assert event.actor == "cli" and event.data == {"year": 2029, "days_added": 2}

    call_command("holidays", "list")
    out = capsys.readouterr().out
    assert "2027: 2027-05-07 (Fri)" in out
    assert "2029: 2029-02-06 (Tue), 2029-05-11 (Fri)" in out
    assert "source (operator): Besluit gelijkstelling van … 2029" in out
    assert "source (shipped): Besluit gelijkstelling van 2 januari 2026" in out

    # The same day again: nothing new, nothing written.
    before = operator_file(data_dir).read_bytes()
    with unchanged():
        call_command("holidays", "add", "--year", "2029", "--day", "2029-05-11", "--source", "again")
    assert "nothing written" in capsys.readouterr().out
    assert operator_file(data_dir).read_bytes() == before


@pytest.mark.django_db
@pytest.mark.promise("A5")
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--year", "2029", "--day", "2030-05-10", "--source", "S"], "2030-05-10 is not in 2029"),
        (["--year", "2029", "--day", "2029-05-12", "--source", "S"], "is a Saturday"),
        (["--year", "2029", "--day", "2029-05-13", "--source", "S"], "is a Sunday"),
        (["--year", "2029", "--day", "2029-05-10", "--source", "S"], "public holiday already"),  # Ascension
        (["--year", "2029", "--day", "11-05-2029", "--source", "S"], "is not a date"),
        (["--year", "2029", "--day", "2029-05-11"], "source"),
        (["--year", "2029", "--day", "2029-05-11", "--source", "   "], "source"),
        (["--year", "2029", "--source", "S"], "--day"),
        (["--day", "2029-05-11", "--source", "S"], "--year"),
        (["--year", "next", "--day", "2029-05-11", "--source", "S"], "--year"),
        (["--year", "2029", "--day", "2029-05-11", "--source", "S" * 301], "longer than"),
    ],
)
def test_bad_input_is_refused_with_one_line_and_nothing_written(data_dir, args, words):
    with unchanged(), pytest.raises(CommandError) as refused:
        call_command("holidays", "add", *args)
    assert refused.value.returncode == 2 and words in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not operator_file(data_dir).exists() and not decreed_days.is_held(2029)


def test_the_command_line_refuses_with_exit_2_and_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL"))}
    env.update(WAARBORG_DATA_DIR=str(tmp_path), PYTHONWARNINGS="ignore")
    result = subprocess.run(
        [sys.executable, "-m", "waarborg", "holidays", "add", "--year", "2029", "--day", "2029-05-12"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and "Saturday" in lines[0], result.stderr
    assert not (tmp_path / "decreed_days.json").exists()


@pytest.mark.django_db
@pytest.mark.promise("A5")
def test_an_unreadable_operator_list_leaves_the_terms_on_the_safe_side_and_refuses_additions(data_dir):
    operator_file(data_dir).write_text('{"years": {"2029": [{"days": ["2029-02-30"], "source": "S"}]}}')
    # The shipped lists still count, and 2029 is not held: its terms keep their margin.
    assert wik_term_end(D(2027, 4, 21)) == D(2027, 5, 10)
    assert wik_term_end(D(2029, 1, 19)) == D(2029, 2, 7)
    before = operator_file(data_dir).read_bytes()
    with unchanged(), pytest.raises(CommandError) as refused:
        call_command("holidays", "add", "--year", "2030", "--day", "2030-05-31", "--source", "S")
    assert refused.value.returncode == 2 and "decreed_days.json in the data directory cannot be read" in str(
        refused.value
    )
    assert operator_file(data_dir).read_bytes() == before
