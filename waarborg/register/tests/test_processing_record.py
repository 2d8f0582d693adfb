"""The record of processing activities (art. 30, X1) comes from the personal-data map."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from waarborg.core import datamap
from waarborg.register.processing import processing_record
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("ropa", *args, stdout=out)
    return out.getvalue()


@pytest.mark.promise("X1")
def test_it_lists_every_purpose_the_map_uses_with_what_article_30_asks():
    record = processing_record("nl")
    used = {p for e in datamap.entries() for pd in e.fields.values() for p in pd.purposes}
    assert {a.purpose for a in record.activities} == used
    for activity in record.activities:
        assert activity.name and activity.bases and activity.subjects and activity.categories, activity.purpose
        assert activity.retention, activity.purpose  # (f) the time limits for erasure
    assert record.controller["name"] and record.security  # (a) and (g)


@pytest.mark.promise("X1")
def test_it_follows_the_declarations_it_is_made_from():
    invoicing = {a.purpose: a for a in processing_record("en").activities}["U3"]
    fields = [pd for e in datamap.entries() for _name, pd in e.declarations() if "U3" in pd.purposes]  # variants too
    assert {c.split(" ", 1)[0] for c in invoicing.categories} == {pd.category for pd in fields}
    assert set(invoicing.retention) == {pd.retention.describe("en").rstrip(".") for pd in fields}
    assert any("art. 6(1)(c)" in b for b in invoicing.bases)  # fiscal duty: legal obligation


@pytest.mark.promise("X1", "T2")
def test_it_names_the_registered_recipients_and_transfers_outside_the_eea():
    f.RecipientFactory(key="dc", name="Rekencentrum Noord B.V.", category="datacenter", data_categories=["D2", "D3"])
    f.RecipientFactory(key="mail", name="Mailer Inc.", category="mail_provider", data_categories=["D3"], country="US")
    text = _run("--lang", "en")
    assert "Rekencentrum Noord B.V." in text
    assert "Mailer Inc. (US) — outside the EEA" in text


@pytest.mark.promise("X1")
def test_it_exports_as_markdown_json_and_csv_in_dutch_and_english():
    assert _run().startswith("# Register van verwerkingsactiviteiten (artikel 30 AVG)")
    assert "## U3 Invoicing" in _run("--lang", "en")
    data = json.loads(_run("--format", "json"))
    assert {a["purpose"] for a in data["activities"]} >= {"U1", "U3", "U14"}
    rows = list(csv.reader(io.StringIO(_run("--format", "csv", "--lang", "en"))))
    assert rows[0][:2] == ["id", "purpose"] and len(rows) == len(data["activities"]) + 1


def test_it_refuses_an_unknown_format_or_language():
    from django.core.management.base import CommandError

    for args in (("--format", "pdf"), ("--lang", "de")):
        with unchanged(), pytest.raises(CommandError):
            _run(*args)
