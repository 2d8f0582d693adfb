"""The rows of a subject, read once, for both packages: values, context, dates and others' data.

Everything here follows the personal-data map; no model is named. Per hit row it reads the
declared fields, the not-personal fields the map declares as the row's context (an invoice's
number and dates, a message's direction: the entry's `context`, an allow-list), the references
to other rows in the package, and the dates the row's retention rules count from. No other field
of a row reaches a package: a column nobody declared stays out.

Other people's data (art. 15(4), art. 20(4)) is recognised from the map as well: a row that is
not itself a subject row but carries an e-mail address or phone number that none of the
subject's own rows carry (a message from someone else in the subject's ticket) is *another
person's* row, and so is a row that belongs to such a row (its attachment). Of those rows only
what our systems and staff recorded is kept; what the other person provided is withheld.
Staff accounts are never shown: references to rows outside the package (a message's author,
the staff member who made a correction) are left out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.db import models
from django.db.models.fields.files import FieldFile

from waarborg.core import clock, datamap
from waarborg.core.datamap import AMSTERDAM, PD
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import NORMALISERS
from waarborg.subjects.finder import Hit

# Identifier kinds that name who wrote or sent something; a foreign one marks another's row.
AUTHOR_KINDS = ("email", "phone")
PREVIOUS_VALUE_KEY = "user.contact.previous_value"


@dataclass
class Value:
    field: str
    pd: PD
    raw: Any
    model_field: models.Field

    @property
    def is_file(self) -> bool:
        return isinstance(self.raw, FieldFile)


@dataclass
class Record:
    entry: datamap.Entry
    obj: models.Model
    rule: str
    hit_field: str = ""  # how the finder reached the row: an identifier field, a link path, "pk"
    values: list[Value] = field(default_factory=list)  # declared, not excluded, not empty, not withheld
    held: list[Value] = field(default_factory=list)  # excluded (security data): held, never reproduced
    withheld: list[Value] = field(default_factory=list)  # another person's input
    others: bool = False
    context: dict[str, Any] = field(default_factory=dict)  # not-personal fields: name -> raw value
    refs: dict[str, str] = field(default_factory=dict)  # FK field -> record id in the package
    dates: dict[str, Any] = field(default_factory=dict)  # retention anchor -> date (or None)

    @property
    def label(self) -> str:
        return self.entry.label

    @property
    def pk(self):
        return self.obj.pk

    @property
    def id(self) -> str:
        return record_id(self.label, self.obj.pk)

    def is_empty(self) -> bool:
        return not (self.values or self.held or self.withheld)


def record_id(label: str, pk) -> str:
    return f"{label}#{pk}"


def is_empty(raw) -> bool:
    if isinstance(raw, FieldFile):
        return not raw
    return raw is None or raw == ""


def _normal(kind: str, value) -> str:
    text = str(value).strip()
    try:
        return NORMALISERS[kind](text)
    except (ValidationError, KeyError):
        return text.lower()


def _fk_fields(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is not None]


def _context_fields(entry: datamap.Entry) -> list[models.Field]:
    """The fields the map declares as the entry's context, in the model's field order."""
    return [f for f in entry.model._meta.concrete_fields if f.name in entry.context]


def _depth(entry: datamap.Entry) -> int:
    return min((len(link.path.split("__")) for link in entry.links), default=0)


def collect(hits) -> list[Record]:
    """Every hit row (subject finder hits, or their as_dict()) as a Record: subject rows first."""
    registry = datamap.registry()
    rules: dict[str, dict] = defaultdict(dict)
    hits = [Hit(**hit) if isinstance(hit, dict) else hit for hit in hits]  # Hit.as_dict() round trip
    for hit in hits:
        if hit.model not in registry:
            raise ValidationError("exports.model_not_in_map", {"model": hit.model}, field="hits")
        rules[hit.model][hit.pk] = (hit.rule, hit.field)
    records: list[Record] = []
    own: dict[str, set[str]] = {kind: set() for kind in AUTHOR_KINDS}

    # Subject rows (a customer, a contact person, an account) first, then what belongs to them,
    # a row before the rows that belong to it (a ticket before its messages).
    for label in sorted(rules, key=lambda lb: (not registry[lb].anchor, _depth(registry[lb]), lb)):
        entry = registry[label]
        model = entry.model
        exempt_fks = [f.name for f in _context_fields(entry) if f.is_relation]
        queryset = model._default_manager.filter(pk__in=list(rules[label])).order_by("pk")
        if exempt_fks:
            queryset = queryset.select_related(*exempt_fks)
        objs = list(queryset)
        far_dates = {anchor: path for anchor, path in entry.dates.items() if "__" in path}
        far: dict[Any, dict[str, Any]] = defaultdict(dict)
        if far_dates and objs:
            anchors = list(far_dates)
            rows = model._default_manager.filter(pk__in=[o.pk for o in objs]).values_list(
                "pk", *[far_dates[a] for a in anchors]
            )
            for pk, *values in rows:
                far[pk] = dict(zip(anchors, values, strict=True))
        context_fields = _context_fields(entry)
        declared_by_pk = entry.fields_by_pk([o.pk for o in objs])  # a variant declares some rows otherwise
        for obj in objs:
            record = Record(entry, obj, *rules[label][obj.pk])
            for name, p in declared_by_pk[obj.pk].items():
                model_field = model._meta.get_field(name)
                raw = getattr(obj, name)
                if is_empty(raw):
                    continue
                value = Value(name, p, raw, model_field)
                (record.held if p.portability == "excluded" else record.values).append(value)
            for f in context_fields:
                # A reference to a model without personal data (a product) shows as its name.
                raw = getattr(obj, f.name) if f.is_relation else getattr(obj, f.attname)
                if not is_empty(raw):
                    record.context[f.name] = str(raw) if f.is_relation else raw
            for anchor, path in entry.dates.items():
                record.dates[anchor] = far[obj.pk].get(anchor) if anchor in far_dates else getattr(obj, path)
            # The subject's own addresses: those on subject rows, those the search matched, and
            # the earlier values of corrected details.
            matched = record.hit_field
            for value in record.values + record.held:
                kind = value.pd.identifier
                if kind in AUTHOR_KINDS and (entry.anchor or value.field == matched):
                    own[kind].add(_normal(kind, value.raw))
                elif value.pd.key == PREVIOUS_VALUE_KEY:
                    for kind in AUTHOR_KINDS:
                        own[kind].add(_normal(kind, value.raw))
            records.append(record)

    in_package = {r.id for r in records}
    for record in records:
        for f in _fk_fields(record.entry.model):
            target_pk = getattr(record.obj, f.attname)
            if target_pk is not None and record_id(f.related_model._meta.label, target_pk) in in_package:
                record.refs[f.name] = record_id(f.related_model._meta.label, target_pk)
    _mark_others(records, own)
    return [r for r in records if not r.is_empty()]


def _mark_others(records: list[Record], own: dict[str, set[str]]) -> None:
    for record in records:
        if record.entry.anchor:
            continue
        for value in record.values:
            kind = value.pd.identifier
            if kind in AUTHOR_KINDS and _normal(kind, value.raw) not in own[kind]:
                record.others = True
                break
    # What belongs to another person's row (an attachment of their message) is theirs too.
    by_id = {r.id: r for r in records}
    changed = True
    while changed:
        changed = False
        for record in records:
            if record.others or record.entry.anchor:
                continue
            if any(by_id[target].others for target in record.refs.values() if target in by_id):
                record.others = True
                changed = True
    for record in records:
        if record.others:
            kept = [v for v in record.values if v.pd.source in ("system", "staff")]
            record.withheld = [v for v in record.values if v not in kept]
            record.values = kept


# --- Plain values ------------------------------------------------------------------------


def json_of(raw):
    if isinstance(raw, FieldFile):
        return file_name(raw)
    if isinstance(raw, dt.datetime):
        if raw.tzinfo is not None:
            raw = raw.astimezone(AMSTERDAM)
        return raw.isoformat(timespec="seconds")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, Decimal):
        return str(raw)
    if isinstance(raw, bool | int | float) or raw is None:
        return raw
    if isinstance(raw, list | dict):
        return raw
    return str(raw)


def file_name(raw: FieldFile) -> str:
    return raw.name.rsplit("/", 1)[-1] if raw else ""


def read_file(raw: FieldFile) -> bytes | None:
    """The stored bytes of a file field, or None when the file is not (or no longer) there."""
    if not raw:
        return None
    try:
        if not raw.storage.exists(raw.name):
            return None
        with raw.storage.open(raw.name, "rb") as handle:
            return handle.read()
    except Exception:  # a storage that cannot deliver the file: reported as missing
        return None


def zip_path(record: Record, value: Value) -> str:
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in file_name(value.raw)) or "file"
    return f"files/{record.label}-{record.pk}/{value.field}/{safe}"


# --- Writing a package ---------------------------------------------------------------------


def zip_time(moment: dt.datetime | None) -> tuple[int, int, int, int, int, int]:
    moment = moment or clock.now()
    if moment.tzinfo is not None:
        moment = moment.astimezone(AMSTERDAM)
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)


def write_zip(package, out: str | Path | BinaryIO | None) -> bytes | None:
    if out is None:
        return package.zip_bytes()
    if isinstance(out, str | Path):
        path = Path(out)
        # The package is personal data: only its owner may read the file.
        with open(path, "wb", opener=lambda name, flags: os.open(name, flags, 0o600)) as handle:
            package.write(handle)
        return None
    package.write(out)
    return None
