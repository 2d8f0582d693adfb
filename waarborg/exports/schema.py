"""The published JSON Schema of the portability package's data.json, generated from the map.

`waarborg exports schema` prints it; every portability package carries a copy as schema.json.
A table is a model of the map with at least one field of portability class `provided` or
`observed`; its rows have an `id`, a column per link to another table of the package (the id of
that row, or null), and a column per portable field. Derived and excluded fields never appear.
Every table and column carries its name in Dutch and English from the map (`x-label`).

The schema is versioned: `schema_versions.json` beside this module lists every published
version with its date, what changed and the package's tables and columns (with their types) in
that version. The newest is the current one; the schema states them all (`x-changelog`). When
the map changes what the package holds, `schema_changes()` (`waarborg exports schema --changes`)
says what differs from the current version, and a test fails until a new version records it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import models

from waarborg.core import datamap

VERSIONS_FILE = Path(__file__).with_name("schema_versions.json")


def schema_versions() -> list[dict]:
    """Every published version, oldest first: version, date, changes and tables."""
    return json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))["versions"]


SCHEMA_VERSION = schema_versions()[-1]["version"]
FORMAT = "waarborg-portability"
ROW_ID_LABEL = {"nl": "Nummer van de rij", "en": "Row id"}
PORTABLE = ("provided", "observed")
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def portable_fields(entry: datamap.Entry) -> list[str]:
    """The entry's provided and observed fields, in the model's field order."""
    names = [f.name for f in entry.model._meta.concrete_fields]
    chosen = [name for name, p in entry.fields.items() if p.portability in PORTABLE]
    return sorted(chosen, key=lambda n: names.index(n) if n in names else len(names))


def link_columns(entry: datamap.Entry) -> list[str]:
    """One column per first step of the entry's links: the row it belongs to (`ticket`, `customer`)."""
    out: list[str] = []
    for link in entry.links:
        hop = link.path.split("__")[0]
        if hop not in out:
            out.append(hop)
    return out


def portable_entries() -> list[datamap.Entry]:
    return [e for e in datamap.entries() if portable_fields(e)]


def _type_of(model_field: models.Field) -> dict:
    kind = model_field.get_internal_type()
    if kind == "DateTimeField":
        schema = {"type": "string", "format": "date-time"}
    elif kind == "DateField":
        schema = {"type": "string", "format": "date"}
    elif kind == "DecimalField":
        schema = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
    elif kind == "BooleanField":
        schema = {"type": "boolean"}
    elif kind in (
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    ):
        schema = {"type": "integer"}
    elif kind == "FloatField":
        schema = {"type": "number"}
    elif kind == "JSONField":
        schema = {}
    else:
        schema = {"type": "string"}
    description = str(model_field.verbose_name)
    if schema and model_field.null:
        schema["type"] = [schema["type"], "null"]
    return {**schema, "description": description}


def _label(label: datamap.Label) -> dict[str, str]:
    return {"nl": label[0], "en": label[1]}


def _row_properties(entry: datamap.Entry) -> dict[str, dict]:
    model = entry.model
    row_props: dict[str, dict] = {
        "id": {"type": ["integer", "string"], "description": "the row's id", "x-label": ROW_ID_LABEL}
    }
    for hop in link_columns(entry):
        target = model._meta.get_field(hop).related_model._meta.label
        target_entry = datamap.entry_for(target)
        row_props[hop] = {
            "type": ["integer", "string", "null"],
            "description": f"id of the row of {target} this row belongs to, when that row is in the package",
            "x-label": _label(target_entry.record_label if target_entry else (target, target)),
        }
    for name in portable_fields(entry):
        p = entry.fields[name]
        row_props[name] = {
            **_type_of(model._meta.get_field(name)),
            "x-label": _label(p.label),
            "x-category": p.category,
            "x-key": p.key,
            "x-portability": p.portability,
        }
    return row_props


def _table_schema(entry: datamap.Entry) -> dict:
    model = entry.model
    row_props = _row_properties(entry)
    columns = list(row_props)
    return {
        "type": "object",
        "description": entry.subject,
        "x-label": _label(entry.record_label),
        "required": ["table", "columns", "rows"],
        "additionalProperties": False,
        "properties": {
            "table": {"const": model._meta.db_table},
            "columns": {"const": columns},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": columns,
                    "additionalProperties": False,
                    "properties": row_props,
                },
            },
        },
    }


def portability_schema() -> dict:
    """The JSON Schema (draft 2020-12) every portability package's data.json validates against."""
    text = {"type": "string"}
    tables = {entry.label: _table_schema(entry) for entry in portable_entries()}
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:waarborg:{FORMAT}:{SCHEMA_VERSION}",
        "title": "Waarborg data portability package (Article 20 GDPR)",
        "description": "The data a subject provided, and the data observed about their use, per table. "
        "Tables and columns follow the personal-data map; derived and security data are not included.",
        "x-changelog": [{k: v[k] for k in ("version", "date", "changes")} for v in schema_versions()],
        "type": "object",
        "required": ["metadata", "tables", "files"],
        "additionalProperties": False,
        "properties": {
            "metadata": {
                "type": "object",
                "required": ["format", "schema_version", "generated_at", "controller", "left_out"],
                "additionalProperties": False,
                "properties": {
                    "format": {"const": FORMAT},
                    "schema_version": {"const": SCHEMA_VERSION},
                    "schema_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "generated_at": {"type": "string", "format": "date-time"},
                    "controller": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": text},
                        "additionalProperties": text,
                    },
                    "left_out": {
                        "type": "object",
                        "required": ["other_people_rows"],
                        "additionalProperties": False,
                        "properties": {"other_people_rows": {"type": "integer", "minimum": 0}},
                    },
                    "readme": {
                        "type": "object",
                        "required": ["nl", "en"],
                        "additionalProperties": False,
                        "properties": {"nl": text, "en": text},
                    },
                },
            },
            "tables": {"type": "object", "additionalProperties": False, "properties": tables},
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["table", "id", "field", "path"],
                    "additionalProperties": False,
                    "properties": {
                        "table": {"enum": sorted(tables)} if tables else text,
                        "id": {"type": ["integer", "string"]},
                        "field": text,
                        "path": {"type": "string", "pattern": "^files/"},
                    },
                },
            },
        },
    }


def schema_text(schema: dict | None = None) -> str:
    return json.dumps(schema or portability_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def schema_sha256(schema: dict | None = None) -> str:
    return hashlib.sha256(schema_text(schema).encode()).hexdigest()


# --- Versions ---------------------------------------------------------------------------------


def _signature(prop: dict) -> dict:
    """A column's type as recorded in a version: its JSON Schema without words."""
    return {k: prop[k] for k in ("type", "format", "pattern") if k in prop}


def package_tables() -> dict[str, dict]:
    """What the package holds now, per table: its name and its columns with their types."""
    return {
        entry.label: {
            "table": entry.model._meta.db_table,
            "columns": {name: _signature(prop) for name, prop in _row_properties(entry).items()},
        }
        for entry in portable_entries()
    }


def schema_changes(recorded: dict | None = None) -> list[str]:
    """How the package's tables and columns differ from those of the current version (or of
    `recorded`), one line each; empty when they are the same."""
    recorded = schema_versions()[-1]["tables"] if recorded is None else recorded
    now = package_tables()
    out = [f"table {label} added" for label in sorted(set(now) - set(recorded))]
    out += [f"table {label} removed" for label in sorted(set(recorded) - set(now))]
    for label in sorted(set(now) & set(recorded)):
        before, after = recorded[label], now[label]
        if before["table"] != after["table"]:
            out.append(f"table {label} renamed from {before['table']} to {after['table']}")
        old, new = before["columns"], after["columns"]
        out += [f"column {label}.{c} added" for c in new if c not in old]
        out += [f"column {label}.{c} removed" for c in old if c not in new]
        out += [f"column {label}.{c} changed type" for c in new if c in old and old[c] != new[c]]
        if [c for c in new if c in old] != [c for c in old if c in new]:
            out.append(f"columns of {label} reordered")
    return out


def next_version(changes: list[str], day: str) -> dict:
    """The entry to append to schema_versions.json for a package that changed (`changes`)."""
    return {
        "version": str(int(SCHEMA_VERSION) + 1),
        "date": day,
        "changes": changes,
        "tables": package_tables(),
    }


def versions_text(versions: list[dict]) -> str:
    """schema_versions.json as it is kept: one line per column, so a diff shows what changed."""
    dump = json.dumps
    out = ['{\n  "versions": [']
    for i, v in enumerate(versions):
        out.append("    {")
        out.append(f'      "version": {dump(v["version"])},\n      "date": {dump(v["date"])},')
        changes = ",\n".join(f"        {dump(c, ensure_ascii=False)}" for c in v["changes"])
        out.append(f'      "changes": [\n{changes}\n      ],\n      "tables": {{')
        tables = []
        for label, table in v["tables"].items():
            columns = ",\n".join(f"            {dump(c)}: {dump(t)}" for c, t in table["columns"].items())
            tables.append(
                f'        {dump(label)}: {{\n          "table": {dump(table["table"])},\n'
                f'          "columns": {{\n{columns}\n          }}\n        }}'
            )
        out.append(",\n".join(tables))
        out.append("      }")
        out.append("    }" + ("," if i < len(versions) - 1 else ""))
    out.append("  ]\n}\n")
    return "\n".join(out)
