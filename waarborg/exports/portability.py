"""The portability package (art. 20 GDPR): the subject's provided and observed data, per table.

    data = portability_package_build(hits=subject_find(Query(email=...)))     # the ZIP as bytes
    portability_package_build(hits=hits, out="data.zip")                      # or to a path/file

The ZIP holds `data.json` (metadata and one object per table with its columns and rows), which
validates against `schema.json` (the published schema, `waarborg exports schema`), the same
tables as CSV under `csv/` (UTF-8, a header row), the stored files of file fields under `files/`
and a short README in Dutch and English. Only fields of portability class `provided` and
`observed` are included — never `derived` or `excluded` ones — and rows that hold another
person's input (art. 20(4)) are left out.

Like the access builder, this builder only reads; the caller records the request and the audit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from waarborg.core import clock
from waarborg.exports import texts as T
from waarborg.exports.collect import collect, json_of, read_file, write_zip, zip_path, zip_time
from waarborg.exports.schema import (
    FORMAT,
    SCHEMA_VERSION,
    link_columns,
    portability_schema,
    portable_fields,
    schema_sha256,
    schema_text,
)


@dataclass
class PortabilityPackage:
    data: dict
    schema: dict
    files: list[tuple[str, bytes]] = field(default_factory=list)
    generated_at: dt.datetime | None = None

    @property
    def counts(self) -> dict[str, int]:
        return {
            "tables": len(self.data["tables"]),
            "rows": sum(len(t["rows"]) for t in self.data["tables"].values()),
            "files": len(self.files),
            "left_out_rows": self.data["metadata"]["left_out"]["other_people_rows"],
        }

    def csv_files(self) -> list[tuple[str, bytes]]:
        out = []
        for table in self.data["tables"].values():
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(table["columns"])
            for row in table["rows"]:
                writer.writerow([_csv_cell(row[c]) for c in table["columns"]])
            out.append((f"csv/{table['table']}.csv", buffer.getvalue().encode()))
        return out

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()

    def write(self, out: BinaryIO) -> None:
        stamp = zip_time(self.generated_at)
        readme = "\n\n".join(T.PORTABILITY_README) + "\n"
        entries = [
            ("data.json", json.dumps(self.data, ensure_ascii=False, indent=2).encode()),
            ("schema.json", schema_text(self.schema).encode()),
            ("README.txt", readme.encode()),
            *self.csv_files(),
            *self.files,
        ]
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, payload in entries:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                archive.writestr(info, payload)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def portability_package_content(*, hits, generated_at: dt.datetime | None = None) -> PortabilityPackage:
    generated_at = generated_at or clock.now()
    schema = portability_schema()
    records = collect(hits)
    tables: dict[str, dict] = {}
    files: list[tuple[str, bytes]] = []
    file_rows: list[dict] = []
    left_out = 0
    for record in records:
        entry = record.entry
        fields = portable_fields(entry)
        if not fields:
            continue
        if record.others:
            left_out += 1
            continue
        links = link_columns(entry)
        table = tables.setdefault(
            entry.label, {"table": entry.model._meta.db_table, "columns": ["id", *links, *fields], "rows": []}
        )
        row = {"id": json_of(record.pk)}
        for hop in links:
            target = record.refs.get(hop)
            row[hop] = json_of(_pk_of(target)) if target else None
        values = {v.field: v for v in record.values}
        for name in fields:
            raw = getattr(record.obj, name)
            row[name] = json_of(raw)
            if name in values and values[name].is_file:
                payload = read_file(raw)
                if payload is not None:
                    path = zip_path(record, values[name])
                    files.append((path, payload))
                    file_rows.append({"table": entry.label, "id": row["id"], "field": name, "path": path})
        table["rows"].append(row)
    data = {
        "metadata": {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "schema_sha256": schema_sha256(schema),
            "generated_at": json_of(generated_at),
            "controller": dict(settings.WAARBORG_CONTROLLER),
            "left_out": {"other_people_rows": left_out},
            "readme": {"nl": T.PORTABILITY_README[0], "en": T.PORTABILITY_README[1]},
        },
        "tables": tables,
        "files": file_rows,
    }
    return PortabilityPackage(data, schema, files, generated_at)


def _pk_of(record_ref: str):
    pk = record_ref.rsplit("#", 1)[1]
    return int(pk) if pk.isdigit() else pk


def portability_package_build(
    *, hits, generated_at: dt.datetime | None = None, out: str | Path | BinaryIO | None = None
) -> bytes | None:
    """Build the portability package for the rows `hits`; bytes, or written to `out` (then None)."""
    return write_zip(portability_package_content(hits=hits, generated_at=generated_at), out)
