"""The portability package (art. 20): provided and observed data, a published schema, CSV per table."""

import csv
import io
import json

import jsonschema
import pytest
from django.core.management import call_command

from waarborg.core import datamap
from waarborg.exports.portability import portability_package_build, portability_package_content
from waarborg.exports.schema import SCHEMA_VERSION, portability_schema, portable_fields, schema_sha256
from waarborg.exports.tests.conftest import ALICE_FILE, ALICE_IBAN, BOB_FILE
from waarborg.subjects.finder import Query, subject_find

pytestmark = pytest.mark.django_db

NEVER = [
    ("accounts.Account", "password"),
    ("billing.PaymentMethod", "iban_hash"),
    ("billing.PaymentMethod", "iban_last4"),
    ("customers.ContactHistory", "old_value"),
    ("correspondence.Complaint", "resolution"),
    ("otp_totp.TOTPDevice", "key"),
]


def alice_package(world, opened):
    return opened(portability_package_build(hits=subject_find(Query(email=world["alice"].email))))


def validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.promise("G6")
def test_the_schema_covers_exactly_the_provided_and_observed_fields_of_the_map(db):
    schema = portability_schema()
    validator(schema)  # a valid draft 2020-12 schema
    tables = schema["properties"]["tables"]["properties"]
    for entry in datamap.entries():
        portable = {n for n, p in entry.fields.items() if p.portability in ("provided", "observed")}
        if not portable:
            assert entry.label not in tables
            continue
        columns = tables[entry.label]["properties"]["columns"]["const"]
        declared = [c for c in columns if c in entry.fields]
        assert set(declared) == portable == set(portable_fields(entry))
        for name, p in entry.fields.items():
            if p.portability in ("derived", "excluded"):
                assert name not in columns
    for label, name in NEVER:
        assert label not in tables or name not in tables[label]["properties"]["columns"]["const"]


@pytest.mark.promise("G6")
def test_data_json_validates_against_the_published_schema_and_leaves_out_derived_and_excluded(world, opened):
    package = alice_package(world, opened)
    data = package.json()
    validator(package.json("schema.json")).validate(data)
    validator(portability_schema()).validate(data)
    assert package.json("schema.json") == portability_schema()
    meta = data["metadata"]
    assert meta["schema_version"] == SCHEMA_VERSION and meta["schema_sha256"] == schema_sha256()
    assert meta["controller"]["name"] and meta["generated_at"]
    for label, name in NEVER:
        assert label not in data["tables"] or name not in data["tables"][label]["columns"]
    everything = package.everything()
    alice = world["alice"]
    assert alice.password.encode() not in everything
    assert b"iban_hash" not in everything and b"iban_last4" not in everything
    # Provided data is there, the IBAN in full; observed data too.
    methods = data["tables"]["billing.PaymentMethod"]["rows"]
    assert [m["iban"] for m in methods] == [ALICE_IBAN]
    assert data["tables"]["accounts.LoginEvent"]["rows"][0]["ip_address"] == "198.51.100.7"
    contact = data["tables"]["customers.Contact"]["rows"][0]
    assert contact["email"] == alice.email and contact["customer"] == world["customer"].pk
    # Rows refer to the rows they belong to, within the package.
    messages = data["tables"]["correspondence.Message"]["rows"]
    assert {m["ticket"] for m in messages} == {world["ticket"].pk}
    # A schema that no longer fits is noticed: a value of the wrong type fails.
    contact["email"] = 42
    with pytest.raises(jsonschema.ValidationError):
        validator(portability_schema()).validate(data)


@pytest.mark.promise("G6")
def test_every_table_is_also_a_csv_file_with_a_header_row(world, opened):
    package = alice_package(world, opened)
    data = package.json()
    csv_names = sorted(n for n in package.names() if n.startswith("csv/"))
    assert csv_names == sorted(f"csv/{t['table']}.csv" for t in data["tables"].values())
    for table in data["tables"].values():
        reader = csv.reader(io.StringIO(package.text(f"csv/{table['table']}.csv"), newline=""))
        header, *rows = list(reader)
        assert header == table["columns"]
        assert len(rows) == len(table["rows"])
        for row, expected in zip(rows, table["rows"], strict=True):
            for column, cell in zip(header, row, strict=True):
                value = expected[column]
                if value is None:
                    assert cell == ""
                elif isinstance(value, bool):
                    assert cell == ("true" if value else "false")
                else:
                    assert cell == str(value)
    bodies = [
        r["body"] for r in csv.DictReader(io.StringIO(package.text("csv/correspondence_message.csv"), newline=""))
    ]
    assert "Mijn mailbox van alicedevries.nl is vol." in bodies


@pytest.mark.promise("G6")
def test_other_peoples_rows_are_left_out_and_own_files_included(world, opened):
    package = alice_package(world, opened)
    data = package.json()
    everything = package.everything()
    for other in (world["bob"].email, "Bob Jansen", world["carol"].email, "bob-bijlage"):
        assert other.encode() not in everything
    assert BOB_FILE not in everything
    assert data["metadata"]["left_out"]["other_people_rows"] == 2
    assert world["foreign"].pk not in {m["id"] for m in data["tables"]["correspondence.Message"]["rows"]}
    [attachment] = data["files"]
    assert package.read(attachment["path"]) == ALICE_FILE
    assert attachment["table"] == "correspondence.Attachment"


@pytest.mark.promise("G6")
def test_counts_carry_no_values(world):
    package = portability_package_content(hits=subject_find(Query(email=world["alice"].email)))
    assert set(package.counts) == {"tables", "rows", "files", "left_out_rows"}
    assert all(isinstance(v, int) for v in package.counts.values())


@pytest.mark.promise("G6")
def test_the_schema_command_prints_the_published_schema(db, capsys):
    call_command("exports", "schema")
    assert json.loads(capsys.readouterr().out) == portability_schema()
