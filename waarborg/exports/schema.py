"""The published JSON Schema of the portability package's data.json, generated from the map.

`waarborg exports schema` prints it; every portability package carries a copy as schema.json.
A table is a model of the map with at least one field of portability class `provided` or
`observed`; its rows have an `id`, a column per link to another table of the package (the id of
that row, or null), and a column per portable field. Derived and excluded fields never appear.
"""

from __future__ import annotations

import hashlib
import json

from django.db import models

from waarborg.core import datamap

SCHEMA_VERSION = "1"
FORMAT = "waarborg-portability"
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


def _table_schema(entry: datamap.Entry) -> dict:
    model = entry.model
    fields = portable_fields(entry)
    links = link_columns(entry)
    row_props: dict[str, dict] = {"id": {"type": ["integer", "string"], "description": "the row's id"}}
    for hop in links:
        row_props[hop] = {
            "type": ["integer", "string", "null"],
            "description": f"id of the row of {model._meta.get_field(hop).related_model._meta.label} "
            "this row belongs to, when that row is in the package",
        }
    for name in fields:
        p = entry.fields[name]
        row_props[name] = {
            **_type_of(model._meta.get_field(name)),
            "x-category": p.category,
            "x-key": p.key,
            "x-portability": p.portability,
        }
    columns = ["id", *links, *fields]
    return {
        "type": "object",
        "description": entry.subject,
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
