"""The portability schema is versioned: what the package holds is recorded per version, the schema
says what changed (`x-changelog`) and names every table and column from the map (`x-label`), and a
package that no longer matches the current version fails until a new version records it."""

import dataclasses
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waarborg.core import datamap
from waarborg.exports.schema import (
    SCHEMA_VERSION,
    next_version,
    package_tables,
    portability_schema,
    schema_changes,
    schema_versions,
    versions_text,
)

pytestmark = pytest.mark.promise("G6")


@pytest.fixture
def registry_snapshot():
    saved = dict(datamap.registry())
    yield
    datamap.registry().clear()
    datamap.registry().update(saved)


def _redeclare(label: str, **fields) -> None:
    entry = datamap.registry()[label]
    changed = {name: dataclasses.replace(entry.fields[name], **change) for name, change in fields.items()}
    datamap.registry()[label] = dataclasses.replace(entry, fields={**entry.fields, **changed})


def test_the_package_holds_exactly_the_tables_and_columns_of_the_current_version():
    changes = schema_changes()
    assert changes == [], (
        "the portability package differs from its published schema version "
        f"{SCHEMA_VERSION}:\n" + "\n".join(changes) + "\nrecord a new version: waarborg exports schema --changes"
    )
    assert schema_versions()[-1]["tables"] == package_tables()


def test_a_field_that_enters_or_leaves_the_package_is_noticed(registry_snapshot):
    _redeclare("customers.ContactHistory", old_value={"portability": "provided"})
    _redeclare("customers.Contact", phone={"portability": "derived"})
    del datamap.registry()["careers.JobApplication"]
    assert schema_changes() == [
        "table careers.JobApplication removed",
        "column customers.Contact.phone removed",
        "column customers.ContactHistory.old_value added",
    ]
    entry = next_version(schema_changes(), "2027-01-05")
    assert entry["version"] == str(int(SCHEMA_VERSION) + 1) and entry["tables"] == package_tables()
    # Recorded as the newest version, the package matches again.
    assert schema_changes(recorded=entry["tables"]) == []


def test_a_column_whose_type_changes_is_noticed(registry_snapshot):
    recorded = json.loads(json.dumps(package_tables()))
    recorded["billing.Invoice"]["columns"]["total_incl"] = {"type": "number"}
    assert schema_changes(recorded=recorded) == ["column billing.Invoice.total_incl changed type"]


def test_the_schema_states_its_versions_and_names_every_table_and_column_from_the_map():
    schema = portability_schema()
    changelog = schema["x-changelog"]
    assert [v["version"] for v in changelog] == [v["version"] for v in schema_versions()]
    assert changelog[-1]["version"] == SCHEMA_VERSION and schema["$id"].endswith(f":{SCHEMA_VERSION}")
    assert all(v["changes"] and v["date"] for v in changelog)
    tables = schema["properties"]["tables"]["properties"]
    for label, table in tables.items():
        entry = datamap.entry_for(label)
        assert table["x-label"] == {"nl": entry.record_label[0], "en": entry.record_label[1]}
        for name, prop in table["properties"]["rows"]["items"]["properties"].items():
            assert prop["x-label"]["nl"] and prop["x-label"]["en"], (label, name)
            if name in entry.fields:
                assert prop["x-label"] == {"nl": entry.fields[name].label[0], "en": entry.fields[name].label[1]}
    phone = tables["customers.Contact"]["properties"]["rows"]["items"]["properties"]["phone"]
    assert phone["x-label"] == {"nl": "Telefoonnummer", "en": "Phone number"}


def test_the_versions_file_is_kept_in_its_own_layout():
    versions = schema_versions()
    assert json.loads(versions_text(versions))["versions"] == versions
    assert [v["version"] for v in versions] == [str(n) for n in range(1, len(versions) + 1)]


def test_the_command_says_whether_the_package_matches_its_version(capsys, registry_snapshot):
    call_command("exports", "schema", "--changes")
    assert (
        capsys.readouterr().out.strip() == f"schema version {SCHEMA_VERSION}: the package's tables and columns match it"
    )
    _redeclare("customers.ContactHistory", old_value={"portability": "provided"})
    with pytest.raises(CommandError) as failed:
        call_command("exports", "schema", "--changes")
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert "column customers.ContactHistory.old_value added" in out
    assert f'"version": "{int(SCHEMA_VERSION) + 1}"' in out
