"""The access package (art. 15 GDPR): a copy of the subject's data and the art. 15(1) information.

    data = access_package_build(hits=subject_find(Query(email=...)))          # the ZIP as bytes
    access_package_build(hits=hits, out="answer.zip")                         # or to a path/file

The ZIP holds `rapport.html` (Dutch) and `report.html` (English) — readable, self-contained
pages — and `data.json` with the same content for machines, plus the stored files of file
fields under `files/`. The information of art. 15(1)(a)–(h) is given per category of personal
data (D1–D11), next to the copy of that category; every part is read from the personal-data map,
the register of recipients and the fixed texts in `texts.py`. The builder refuses to finish when
any of (a)–(h) is empty for a category in the package.

The parts: the copy and the art. 15(1) information per category (`art15.py`), the check that
(a)–(h) is there for every category (`completeness.py`) and the readable reports
(`access_report.py`). The builder is pure: it reads, and writes nothing but the package. Recording the request and
the audit event is the caller's work (see `waarborg.exports.services`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from waarborg.core import clock
from waarborg.core.datamap import AMSTERDAM
from waarborg.core.errors import ValidationError
from waarborg.exports import texts as T
from waarborg.exports.access_report import REPORT_NAMES, render_report
from waarborg.exports.art15 import categories_of
from waarborg.exports.collect import collect, file_name, json_of, read_file, write_zip, zip_path, zip_time
from waarborg.exports.completeness import check_complete
from waarborg.exports.texts import LANGS, pair

FORMAT = "waarborg-access"
VERSION = 1


@dataclass
class AccessPackage:
    """What goes into the ZIP, and the counts an audit event may carry."""

    data: dict
    html: dict[str, str]
    files: list[tuple[str, bytes]] = field(default_factory=list)
    lang_primary: str = "nl"
    generated_at: dt.datetime | None = None

    @property
    def counts(self) -> dict[str, int]:
        records = {r["record"] for c in self.data["categories"] for r in c["records"]}
        return {
            "records": len(records),
            "categories": len(self.data["categories"]),
            "values": sum(len(r["values"]) for c in self.data["categories"] for r in c["records"]),
            "files": len(self.files),
            "left_out_records": self.data["left_out"]["other_people_records"],
        }

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()

    def write(self, out: BinaryIO) -> None:
        stamp = zip_time(self.generated_at)
        other = "en" if self.lang_primary == "nl" else "nl"
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, payload in [
                (REPORT_NAMES[self.lang_primary], self.html[self.lang_primary].encode()),
                (REPORT_NAMES[other], self.html[other].encode()),
                ("data.json", json.dumps(self.data, ensure_ascii=False, indent=2).encode()),
                *self.files,
            ]:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                archive.writestr(info, payload)


def access_package_build(
    *,
    hits,
    lang_primary: str = "nl",
    generated_at: dt.datetime | None = None,
    out: str | Path | BinaryIO | None = None,
) -> bytes | None:
    """Build the access package for the rows `hits` (from the subject finder).

    Returns the ZIP as bytes, or writes it to `out` (a path or a binary file object) and returns
    None. Raises ValidationError naming the category and the letter when any of art. 15(1)(a)–(h)
    would be empty.
    """
    package = access_package_content(hits=hits, lang_primary=lang_primary, generated_at=generated_at)
    return write_zip(package, out)


def access_package_content(*, hits, lang_primary: str = "nl", generated_at: dt.datetime | None = None) -> AccessPackage:
    """The package's content (data.json, both reports, the files), checked for completeness."""
    if lang_primary not in LANGS:
        raise ValidationError("exports.language", field="lang_primary")
    generated_at = generated_at or clock.now()
    today = generated_at.astimezone(AMSTERDAM).date() if generated_at.tzinfo else generated_at.date()
    controller = dict(settings.WAARBORG_CONTROLLER)
    records = collect(hits)
    files: list[tuple[str, bytes]] = []
    file_notes: dict[tuple[str, str], dict] = {}
    for record in records:
        for value in record.values:
            if value.is_file:
                payload = read_file(value.raw)
                note = {"record": record.id, "field": value.field, "name": file_name(value.raw)}
                if payload is not None:
                    note["path"] = zip_path(record, value)
                    files.append((note["path"], payload))
                file_notes[(record.id, value.field)] = note

    categories = categories_of(records, file_notes, today, controller)
    others = sum(1 for r in records if r.others)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": json_of(generated_at),
        "language": lang_primary,
        "controller": controller,
        "processed": bool(categories),
        "confirmation": pair(T.CONFIRMED if categories else T.NOT_PROCESSED),
        "grouping": "category",
        "grouping_text": pair(T.GROUPING),
        "categories": categories,
        "left_out": {
            "staff": pair(T.STAFF_LEFT_OUT),
            "other_people_records": others,
            "other_people": pair(T.OTHERS_LEFT_OUT, count=others),
            "security_data": pair(T.HELD_WHY),
        },
        "files": list(file_notes.values()),
    }
    check_complete(data)
    html = {lang: render_report(data, lang) for lang in LANGS}
    return AccessPackage(data, html, files, lang_primary, generated_at)
