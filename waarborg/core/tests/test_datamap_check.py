"""The system check refuses personal data that is not declared in the map."""

import json

import pytest
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from waarborg.core import datamap, datamap_output
from waarborg.core.checks import check_personal_data_map
from waarborg.core.datamap import WHILE_CUSTOMER, Retention, declare, pd

pytestmark = pytest.mark.promise("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D11")


@pytest.fixture
def registry_snapshot():
    saved = dict(datamap._REGISTRY)
    yield
    datamap._REGISTRY.clear()
    datamap._REGISTRY.update(saved)


def _ids(errors, ignore=("waarborg.E009", "waarborg.E010")):
    """Error ids; the date-anchor and label checks are left out where a test is about something else."""
    return sorted({e.id for e in errors} - set(ignore))


def test_it_passes_for_the_project_itself():
    assert check_personal_data_map() == []
    call_command("check")  # raises SystemCheckError on any error


@isolate_apps("waarborg.core")
def test_it_fails_on_a_model_missing_from_the_map():
    class Newsletter(models.Model):
        email = models.EmailField()

        class Meta:
            app_label = "core"

    errors = check_personal_data_map(models=[Newsletter])
    assert _ids(errors) == ["waarborg.E001"]
    assert "core.Newsletter" in errors[0].msg


@isolate_apps("waarborg.core")
def test_it_fails_on_an_undeclared_field(registry_snapshot):
    class Lead(models.Model):
        email = models.EmailField(db_index=True)
        notes = models.TextField()

        class Meta:
            app_label = "core"

    declare(
        Lead,
        subject="a sales lead",
        anchor=True,
        fields={
            "email": pd(
                "D3", "user.contact.email", "U6", "consent", WHILE_CUSTOMER, "delete", "provided", identifier="email"
            )
        },
    )
    errors = [e for e in check_personal_data_map(models=[Lead]) if e.id == "waarborg.E002"]
    assert _ids(errors) == ["waarborg.E002"]
    assert "core.Lead.notes" in errors[0].msg
    # The message names the field, never a value.


@isolate_apps("waarborg.core")
def test_it_fails_on_incomplete_declarations(registry_snapshot):
    class Visit(models.Model):
        ip = models.GenericIPAddressField()  # an identifier without an index
        page = models.CharField(max_length=100)
        referrer = models.CharField(max_length=100)
        agent = models.CharField(max_length=100)

        class Meta:
            app_label = "core"

    forever = Retention("forever", "never")
    declare(
        Visit,
        subject="a visitor",
        anchor=True,
        fields={
            "ip": pd(
                "D6", "user.device.ip_address", "U8", "consent", WHILE_CUSTOMER, "delete", "observed", identifier="ip"
            ),
            "page": pd("D10", "user.behavior.page", "U99", "consent", WHILE_CUSTOMER, "delete", "observed"),
            "referrer": pd("D10", "user.behavior.referrer", "U8", "consent", forever, "delete", "observed"),
            "agent": pd("D99", "agent", "U8", "whim", WHILE_CUSTOMER, "shred", "maybe"),
        },
        not_personal=("missing_field",),
    )
    errors = check_personal_data_map(models=[Visit])
    messages = "\n".join(e.msg for e in errors)
    assert _ids(errors) == ["waarborg.E003", "waarborg.E004", "waarborg.E005", "waarborg.E006"]
    assert "core.Visit.ip is an identifier but has no index" in messages
    assert "core.Visit.referrer: retention has no term" in messages
    assert "purposes must be U1–U15" in messages


@isolate_apps("waarborg.core")
def test_it_fails_on_personal_fields_without_a_path_to_a_subject(registry_snapshot):
    class Orphan(models.Model):
        remark = models.TextField()

        class Meta:
            app_label = "core"

    declare(
        Orphan,
        subject="?",
        fields={"remark": pd("D11", "user.note", "U5", "contract", WHILE_CUSTOMER, "delete", "provided")},
    )
    assert _ids(check_personal_data_map(models=[Orphan])) == ["waarborg.E008"]


def test_every_retention_rule_has_a_term_and_every_category_is_used():
    data = datamap_output.as_dict()
    used = {f["category"] for m in data["models"] for f in m["fields"]}
    assert {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D11"} <= used
    for key, rule in datamap.RETENTION.items():
        assert rule.has_term, key


def test_the_datamap_command_prints_json_and_markdown(capsys):
    call_command("datamap", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    contact = next(m for m in data["models"] if m["model"] == "customers.Contact")
    email = next(f for f in contact["fields"] if f["field"] == "email")
    assert email["category"] == "D3" and email["identifier"] == "email" and "U1" in email["purposes"]
    assert data["retention"]["fiscal_7y"]["term"]["years"] == 7
    call_command("datamap", "--format", "markdown")
    out = capsys.readouterr().out
    assert "| customers.Contact | email | D3 |" in out


@pytest.mark.promise("R3")
def test_retention_terms_are_calendar_arithmetic():
    import datetime as dt

    # the last day kept is the anchor + the term; the data goes the day after
    assert datamap.FISCAL_7Y.kept_until(dt.date(2026, 3, 5)) == dt.date(2033, 12, 31)
    assert datamap.FISCAL_7Y.purge_date(dt.date(2026, 3, 5)) == dt.date(2034, 1, 1)
    assert datamap.FISCAL_7Y.purge_date(dt.date(2026, 12, 31)) == dt.date(2034, 1, 1)
    assert datamap.LOGIN_6M.kept_until(dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)
    assert datamap.LOGIN_6M.purge_date(dt.date(2026, 8, 31)) == dt.date(2027, 3, 1)
    assert datamap.APPLICATION_4W.purge_date(dt.date(2026, 1, 10)) == dt.date(2026, 2, 8)
    assert datamap.WHILE_CUSTOMER.purge_date(None) is None  # still a customer: no end in sight
    # a rule without a term keeps data until its anchor: it goes that day
    assert datamap.WHILE_CUSTOMER.purge_date(dt.date(2026, 5, 1)) == dt.date(2026, 5, 1)
    late = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # already 1 January in Amsterdam
    assert datamap.FISCAL_7Y.purge_date(late) == dt.date(2035, 1, 1)


@isolate_apps("waarborg.core")
def test_it_fails_when_a_retention_anchor_has_no_date(registry_snapshot):
    class Visit(models.Model):
        ip = models.GenericIPAddressField(db_index=True)
        seen = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    fields = {
        "ip": pd(
            "D6",
            "user.device.ip_address",
            "U12",
            "legitimate_interest",
            datamap.LOGIN_6M,
            "delete",
            "observed",
            identifier="ip",
            label=("IP-adres", "IP address"),
        )
    }
    named = {"subject": "a visitor", "anchor": True, "label": ("Bezoek", "Visit")}
    declare(Visit, **named, fields=fields, not_personal=("seen",))
    assert _ids(check_personal_data_map(models=[Visit]), ignore=()) == ["waarborg.E009"]
    declare(Visit, **named, fields=fields, not_personal=("seen",), dates={"event": "seen"})
    assert "is not a date" in check_personal_data_map(models=[Visit])[0].msg


@pytest.mark.promise("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U11", "U12", "U13", "U14", "U15")
def test_every_purpose_is_in_use_and_rests_on_a_legal_basis():
    used: dict[str, set[str]] = {}
    for entry in datamap.entries():
        for p in entry.fields.values():
            for purpose in p.purposes:
                used.setdefault(purpose, set()).add(p.basis)
    assert set(used) == set(datamap.PURPOSES), "every purpose of the statement is declared somewhere"
    for purpose, bases in used.items():
        assert bases and bases <= set(datamap.BASES), purpose
    # Consent is the basis only where the statement ties the purpose to consent (cookies, marketing).
    consent_only = {
        pur for e in datamap.entries() for p in e.fields.values() if p.basis == "consent" for pur in p.purposes
    }
    assert consent_only <= {"U6", "U8", "U9", "U10"}
