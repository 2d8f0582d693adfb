"""The access package (art. 15 GDPR): a copy of the subject's data and the art. 15(1) information.

    data = access_package_build(hits=subject_find(Query(email=...)))          # the ZIP as bytes
    access_package_build(hits=hits, out="answer.zip")                         # or to a path/file

The ZIP holds `rapport.html` (Dutch) and `report.html` (English) — readable, self-contained
pages — and `data.json` with the same content for machines, plus the stored files of file
fields under `files/`. The information of art. 15(1)(a)–(h) is given per category of personal
data (D1–D11), next to the copy of that category; every part is read from the personal-data map,
the register of recipients and the fixed texts in `texts.py`. The builder refuses to finish when
any of (a)–(h) is empty for a category in the package.

The builder is pure: it reads, and writes nothing but the package. Recording the request and
the audit event is the caller's work (see `waarborg.exports.services`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import capfirst

from waarborg.core import clock, datamap
from waarborg.core.datamap import AMSTERDAM
from waarborg.core.errors import ValidationError
from waarborg.exports import texts as T
from waarborg.exports.collect import (
    Record,
    Value,
    collect,
    file_name,
    json_of,
    read_file,
    write_zip,
    zip_path,
    zip_time,
)

FORMAT = "waarborg-access"
VERSION = 1
LANGS = ("nl", "en")
REPORT_NAMES = {"nl": "rapport.html", "en": "report.html"}
LETTERS = tuple("abcdefgh")


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
        raise ValidationError("the language is nl or en", field="lang_primary")
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

    categories = _categories(records, file_notes, today, controller)
    others = sum(1 for r in records if r.others)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": json_of(generated_at),
        "language": lang_primary,
        "controller": controller,
        "processed": bool(categories),
        "confirmation": _pair(T.CONFIRMED if categories else T.NOT_PROCESSED),
        "grouping": "category",
        "grouping_text": _pair(T.GROUPING),
        "categories": categories,
        "left_out": {
            "staff": _pair(T.STAFF_LEFT_OUT),
            "other_people_records": others,
            "other_people": _pair(T.OTHERS_LEFT_OUT, count=others),
            "security_data": _pair(T.HELD_WHY),
        },
        "files": list(file_notes.values()),
    }
    _check_complete(data)
    html = {lang: _render(data, lang) for lang in LANGS}
    return AccessPackage(data, html, files, lang_primary, generated_at)


# --- The copy and the art. 15(1) information, per category --------------------------------


def _pair(text: tuple[str, str], **params) -> dict[str, str]:
    return {"nl": text[0].format(**params), "en": text[1].format(**params)}


def _model_label(label: str) -> dict[str, str]:
    if label in T.MODEL_LABELS:
        return _pair(T.MODEL_LABELS[label])
    entry = datamap.entry_for(label)
    name = capfirst(str(entry.model._meta.verbose_name)) if entry else label
    return {"nl": name, "en": name}


def _field_label(label: str, value_field) -> dict[str, str]:
    if (label, value_field.name) in T.FIELD_LABELS:
        return _pair(T.FIELD_LABELS[(label, value_field.name)])
    name = capfirst(str(value_field.verbose_name))
    return {"nl": name, "en": name}


def _context_label(record: Record, name: str) -> dict[str, str]:
    if name in T.CONTEXT_LABELS:
        return _pair(T.CONTEXT_LABELS[name])
    name = capfirst(str(record.entry.model._meta.get_field(name).verbose_name))
    return {"nl": name, "en": name}


def _found(record: Record) -> dict[str, str]:
    """Why the record belongs to the subject, in words (the finder's rule is kept beside it)."""
    entry, rule = record.entry, record.rule
    how = record.hit_field
    if how in entry.fields:
        label = _field_label(entry.label, entry.model._meta.get_field(how))
        return {lang: T.FOUND_MATCH[i].format(field=label[lang].lower()) for i, lang in enumerate(LANGS)}
    if "+" in how:
        return _pair(T.FOUND_NAME)
    if how == "pk":
        return _pair(T.FOUND_SELF)
    link = next((lk for lk in entry.links if lk.path == how), None)
    if link is not None:
        target = record.refs.get(how)
        names = _record_name(target) if target else _model_label(link.target)
        return {lang: T.FOUND_LINK[i].format(target=names[lang].lower()) for i, lang in enumerate(LANGS)}
    match = re.search(r"\(from ([\w.]+)\)$", rule)
    if match:
        source = _model_label(match.group(1))
        return {lang: T.FOUND_UP[i].format(source=source[lang].lower()) for i, lang in enumerate(LANGS)}
    return {"nl": rule, "en": rule}


def _term(rule: datamap.Retention) -> dict[str, str]:
    out = {}
    for i, lang in enumerate(LANGS):
        parts = []
        for unit in ("years", "months", "days"):
            n = getattr(rule, unit)
            if n:
                words = T.TERM_UNITS[unit][i]
                parts.append(f"{n} {words[0] if n == 1 else words[1]}")
        anchor = datamap.ANCHORS.get(rule.anchor, ("", ""))[i]
        if not anchor:
            out[lang] = ""
        elif parts:
            out[lang] = T.RETENTION_TERM[i].format(term=" + ".join(parts), anchor=anchor)
        else:
            out[lang] = T.RETENTION_UNTIL[i].format(anchor=anchor)
    return out


def _record_name(record_id: str) -> dict[str, str]:
    """'Factuur (registratie 20)' / 'Invoice (record 20)'."""
    label, pk = record_id.rsplit("#", 1)
    kind = _model_label(label)
    return {lang: f"{kind[lang]} ({T.RECORD_NO[i].format(id=pk)})" for i, lang in enumerate(LANGS)}


def _erase_on(record: Record, rule: datamap.Retention) -> dict:
    """The record's last day under the rule and the day it goes (the day after)."""
    anchor_date = record.dates.get(rule.anchor)
    purge = rule.purge_date(anchor_date) if anchor_date is not None else None
    kept = rule.kept_until(anchor_date) if anchor_date is not None else None
    anchor_text = datamap.ANCHORS.get(rule.anchor, ("", ""))
    return {
        "record": record.id,
        "anchor": rule.anchor,
        "anchor_date": json_of(anchor_date),
        "kept_until": kept.isoformat() if kept else None,
        "erase_on": purge.isoformat() if purge else None,
        "text": {
            lang: (
                T.NOT_YET_KNOWN[i].format(anchor=anchor_text[i])
                if purge is None
                else T.KEPT_UNTIL[i].format(kept=_date_text(kept, lang), gone=_date_text(purge, lang))
                if rule.years or rule.months or rule.days
                else T.GONE_ON[i].format(gone=_date_text(purge, lang))  # kept until the anchor itself
            )
            for i, lang in enumerate(LANGS)
        },
    }


def _recipients(recipient_keys: list[str], category: str, registered, today: dt.date) -> dict:
    if not recipient_keys:
        return {"categories": [], "statement": _pair(T.NO_RECIPIENTS)}
    out = []
    for key in recipient_keys:
        names = datamap.RECIPIENT_CATEGORIES.get(key, ("", ""))
        concrete = []
        for r in registered.get(key, []):
            if category not in (r.data_categories or []):
                continue
            valid = r.agreement_valid_on(today)
            concrete.append(
                {
                    "name": r.name,
                    "country": r.country,
                    "kind": r.kind,
                    "kind_text": _pair(T.RECIPIENT_KINDS.get(r.kind, (r.kind, r.kind))),
                    "purpose": r.purpose,
                    "agreement_signed_at": json_of(r.agreement_signed_at),
                    "agreement_expires_at": json_of(r.agreement_expires_at),
                    "agreement_valid": valid,
                    "outside_eea": r.country not in T.EEA,
                }
            )
        entry = {"key": key, "name": {"nl": names[0], "en": names[1]}, "recipients": concrete}
        if not concrete:
            entry["note"] = _pair(T.NO_REGISTERED_RECIPIENT)
        out.append(entry)
    return {"categories": out, "statement": None}


def _categories(records: list[Record], file_notes: dict, today: dt.date, controller: dict) -> list[dict]:
    from waarborg.register.models import Recipient

    per_category: dict[str, list[tuple[Record, list[Value], list[Value], list[Value]]]] = defaultdict(list)
    for record in records:
        ids = {v.pd.category for v in record.values + record.held + record.withheld}
        for cid in sorted(ids, key=lambda c: int(c[1:])):
            per_category[cid].append(
                (
                    record,
                    [v for v in record.values if v.pd.category == cid],
                    [v for v in record.held if v.pd.category == cid],
                    [v for v in record.withheld if v.pd.category == cid],
                )
            )
    used_recipients = {
        key for record in records for v in record.values + record.held + record.withheld for key in v.pd.recipients
    }
    registered: dict[str, list] = defaultdict(list)
    if used_recipients:
        for r in Recipient.objects.filter(category__in=used_recipients).order_by("category", "name", "pk"):
            registered[r.category].append(r)

    out = []
    for cid in sorted(per_category, key=lambda c: int(c[1:])):
        rows = per_category[cid]
        declared = [v.pd for _, shown, held, withheld in rows for v in shown + held + withheld]
        name = datamap.CATEGORIES.get(cid, ("", ""))
        out.append(
            {
                "id": cid,
                "name": {"nl": name[0], "en": name[1]},
                "records": [
                    _record(record, shown, held, withheld, file_notes) for record, shown, held, withheld in rows
                ],
                "art15": _art15(cid, rows, declared, registered, today, controller),
            }
        )
    return out


def _record(record: Record, shown, held, withheld, file_notes) -> dict:
    label = record.label
    rules = list(dict.fromkeys(v.pd.retention for v in shown + held + withheld))
    return {
        "record": record.id,
        "model": label,
        "id": json_of(record.pk),
        "kind": _model_label(label),
        "rule": record.rule,
        "why": _found(record),
        "context": {
            name: {"label": _context_label(record, name), "value": json_of(raw)} for name, raw in record.context.items()
        },
        "part_of": {
            name: {"record": target, "kind": _model_label(target.split("#")[0])} for name, target in record.refs.items()
        },
        "values": [
            {
                "field": v.field,
                "label": _field_label(label, v.model_field),
                "key": v.pd.key,
                "value": json_of(v.raw),
                **({"file": file_notes[(record.id, v.field)]} if (record.id, v.field) in file_notes else {}),
            }
            for v in shown
        ],
        "held": [{"field": v.field, "label": _field_label(label, v.model_field), "key": v.pd.key} for v in held],
        "withheld": [
            {"field": v.field, "label": _field_label(label, v.model_field), "key": v.pd.key} for v in withheld
        ],
        "retention": [{"rule": rule.key, **_erase_on(record, rule)} for rule in rules],
    }


def _art15(cid: str, rows, declared, registered, today: dt.date, controller: dict) -> dict:
    purposes: dict[str, set[str]] = defaultdict(set)
    for p in declared:
        for u in p.purposes:
            purposes[u].add(p.basis)
    kinds: dict[str, list[dict]] = {}
    for record, shown, held, withheld in rows:
        for v in shown + held + withheld:
            label = _field_label(record.label, v.model_field)
            if label not in kinds.setdefault(v.pd.key, []):
                kinds[v.pd.key].append(label)
    recipient_keys = list(dict.fromkeys(k for p in declared for k in p.recipients))
    rules: dict[str, datamap.Retention] = {}
    for p in declared:
        rules.setdefault(p.retention.key, p.retention)
    retention = []
    for key, rule in rules.items():
        dates = []
        for record, shown, held, withheld in rows:
            if any(v.pd.retention.key == key for v in shown + held + withheld):
                dates.append(_erase_on(record, rule))
        retention.append(
            {
                "rule": key,
                "text": {"nl": rule.describe("nl"), "en": rule.describe("en")},
                "term": _term(rule),
                "restricted": rule.restricted,
                "records": dates,
            }
        )
    sources = sorted(
        {p.source for p in declared}, key=lambda s: (list(T.SOURCES).index(s) if s in T.SOURCES else 99, s)
    )
    automated = any(u in T.DUNNING_PURPOSES for p in declared for u in p.purposes)
    return {
        "a": [
            {
                "purpose": u,
                "name": {"nl": datamap.PURPOSES.get(u, ("", ""))[0], "en": datamap.PURPOSES.get(u, ("", ""))[1]},
                "bases": [
                    {
                        "basis": b,
                        "name": {"nl": datamap.BASES[b][0], "en": datamap.BASES[b][1]},
                        "article": datamap.BASES[b][2],
                    }
                    for b in sorted(purposes[u])
                    if b in datamap.BASES
                ],
            }
            for u in sorted(purposes, key=lambda u: int(u[1:]))
        ],
        "b": {
            "category": {
                "nl": datamap.CATEGORIES.get(cid, ("", ""))[0],
                "en": datamap.CATEGORIES.get(cid, ("", ""))[1],
            },
            "kinds": [{"key": key, "fields": labels} for key, labels in kinds.items()],
        },
        "c": _recipients(recipient_keys, cid, registered, today),
        "d": retention,
        "e": _pair(T.RIGHTS, **controller),
        "f": _pair(T.COMPLAINT, **controller),
        "g": [{"source": s, "text": _pair(T.SOURCES.get(s, ("", "")))} for s in sources],
        "h": {"automated": automated, "text": _pair(T.DUNNING if automated else T.NO_AUTOMATED)},
    }


# --- Completeness: the package is not finished while any of (a)–(h) is empty -------------


def _blank(text) -> bool:
    return not isinstance(text, dict) or any(not (text.get(lang) or "").strip() for lang in LANGS)


def _missing(letter: str, info) -> bool:
    if letter == "a":
        return not info or any(_blank(p["name"]) for p in info)
    if letter == "b":
        kinds = info["kinds"]
        return (
            _blank(info["category"])
            or not kinds
            or any(not k["fields"] or any(map(_blank, k["fields"])) for k in kinds)
        )
    if letter == "c":
        if not info["categories"]:
            return _blank(info["statement"])
        return any(_blank(c["name"]) for c in info["categories"])
    if letter == "d":
        return not info or any(_blank(r["text"]) or _blank(r["term"]) for r in info)
    if letter == "g":
        return not info or any(_blank(s["text"]) for s in info)
    if letter == "h":
        return _blank(info["text"])
    return _blank(info)


_WHAT = {
    "a": "purposes",
    "b": "categories of data",
    "c": "recipients",
    "d": "retention period",
    "e": "rights",
    "f": "right to complain",
    "g": "source",
    "h": "automated decision-making",
}


def _check_complete(data: dict) -> None:
    for category in data["categories"]:
        for letter in LETTERS:
            if _missing(letter, category["art15"][letter]):
                raise ValidationError(
                    f"the access package is incomplete: category {category['id']} has no "
                    f"art. 15(1)({letter}) information ({_WHAT[letter]})",
                    field=f"{category['id']}.{letter}",
                )


# --- The readable reports -----------------------------------------------------------------


def _date_text(day: dt.date, lang: str) -> str:
    months = T.MONTHS[1 if lang == "en" else 0]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _text(value, lang: str) -> str:
    """A JSON value of the copy, as a person reads it."""
    if isinstance(value, bool):
        return T.YES_NO[1 if lang == "en" else 0][0 if value else 1]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2})?", value):
        moment = dt.datetime.fromisoformat(value)
        return f"{_date_text(moment.date(), lang)}, {moment:%H:%M}"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _date_text(dt.date.fromisoformat(value), lang)
    if isinstance(value, str) and re.fullmatch(r"-?\d+\.\d+", value) and lang == "nl":
        return value.replace(".", ",")
    return "" if value is None else str(value)


def _dates_view(dates: list[dict], lang: str) -> list[tuple[str, str]]:
    """Per erasure date (or 'not yet known'), the records it applies to: 'Factuur 20, 45; Betaling 20'."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for d in dates:
        label, pk = d["record"].rsplit("#", 1)
        grouped.setdefault(d["text"][lang], {}).setdefault(_model_label(label)[lang], []).append(pk)
    return [
        (text, "; ".join(f"{kind} {', '.join(pks)}" for kind, pks in kinds.items())) for text, kinds in grouped.items()
    ]


def _view(data: dict, lang: str) -> dict[str, Any]:
    """Everything the template shows, resolved to one language."""
    i = 1 if lang == "en" else 0

    def t(pair) -> str:
        return pair[lang] if isinstance(pair, dict) else pair[i]

    categories = []
    for category in data["categories"]:
        records = []
        for record in category["records"]:
            values = []
            for v in record["values"]:
                note = ""
                if "file" in v:
                    path = v["file"].get("path")
                    note = T.FILE_INCLUDED[i].format(path=path) if path else T.FILE_MISSING[i]
                values.append({"label": t(v["label"]), "value": _text(v["value"], lang), "note": note})
            records.append(
                {
                    "name": t(_record_name(record["record"])),
                    "anchor": f"{category['id']}-{record['record']}".replace("#", "-").replace(".", "-"),
                    "why": t(record["why"]),
                    "context": [(t(c["label"]), _text(c["value"], lang)) for c in record["context"].values()],
                    "part_of": [t(_record_name(p["record"])) for p in record["part_of"].values()],
                    "values": values,
                    "held": [t(h["label"]) for h in record["held"]],
                    "withheld": [t(w["label"]) for w in record["withheld"]],
                    "retention": [t(r["text"]) for r in record["retention"]],
                }
            )
        art = category["art15"]
        recipients = []
        for c in art["c"]["categories"]:
            concrete = []
            for r in c["recipients"]:
                bits = [r["country"], t(r["kind_text"])]
                if r["agreement_signed_at"]:
                    bits.append(T.AGREEMENT_SINCE[i].format(date=_text(r["agreement_signed_at"], lang)))
                if r["agreement_expires_at"]:
                    bits.append(T.AGREEMENT_UNTIL[i].format(date=_text(r["agreement_expires_at"], lang)))
                if not r["agreement_valid"]:
                    bits.append(T.AGREEMENT_INVALID[i])
                if r["outside_eea"]:
                    bits.append(T.OUTSIDE_EEA[i])
                concrete.append({"name": r["name"], "details": ", ".join(bits), "purpose": r["purpose"]})
            recipients.append(
                {"name": t(c["name"]), "recipients": concrete, "note": t(c["note"]) if "note" in c else ""}
            )
        categories.append(
            {
                "id": category["id"],
                "name": t(category["name"]),
                "records": records,
                "letters": {letter: t(T.LETTERS[letter]) for letter in LETTERS},
                "purposes": [
                    {
                        "name": f"{t(p['name'])} ({p['purpose']})",
                        "bases": "; ".join(f"{t(b['name'])} ({b['article']})" for b in p["bases"]),
                    }
                    for p in art["a"]
                ],
                "kinds": [{"key": k["key"], "fields": ", ".join(t(f) for f in k["fields"])} for k in art["b"]["kinds"]],
                "recipients": recipients,
                "no_recipients": t(art["c"]["statement"]) if art["c"]["statement"] else "",
                "retention": [
                    {
                        "text": t(r["text"]),
                        "term": t(r["term"]),
                        "dates": _dates_view(r["records"], lang),
                    }
                    for r in art["d"]
                ],
                "rights": t(art["e"]),
                "complaint": t(art["f"]),
                "sources": [t(s["text"]) for s in art["g"]],
                "automated": t(art["h"]["text"]),
            }
        )
    controller = data["controller"]
    generated = _text(data["generated_at"], lang)
    other = "en" if lang == "nl" else "nl"
    return {
        "lang": lang,
        "other_lang": other,
        "other_report": REPORT_NAMES[other],
        "other_label": T.OTHER_LANGUAGE[i],
        "title": T.TITLE[i],
        "controller_label": T.CONTROLLER[i],
        "controller": controller,
        "generated_label": T.GENERATED[i],
        "generated": generated,
        "intro": T.INTRO[i].format(**controller),
        "confirmation": t(data["confirmation"]),
        "grouping": t(data["grouping_text"]),
        "contents_label": T.CONTENTS[i],
        "skip_label": T.SKIP[i],
        "copy_heading": T.COPY_HEADING[i],
        "about_heading": T.ABOUT_HEADING[i],
        "why_label": T.RECORD_WHY[i],
        "context_label": T.RECORD_CONTEXT[i],
        "part_of_label": T.RECORD_PART_OF[i],
        "field_label": T.FIELD[i],
        "value_label": T.VALUE[i],
        "erased_label": T.ERASED_ON[i],
        "held_label": T.HELD_NOT_SHOWN[i],
        "withheld_label": T.WITHHELD[i],
        "dates_label": T.RETENTION_DATES[i],
        "left_out_heading": T.LEFT_OUT_HEADING[i],
        "staff_left_out": t(data["left_out"]["staff"]),
        "others_left_out": t(data["left_out"]["other_people"]) if data["left_out"]["other_people_records"] else "",
        "security_data": t(data["left_out"]["security_data"]),
        "categories": categories,
    }


def _render(data: dict, lang: str) -> str:
    return render_to_string("exports/access_report.html", _view(data, lang))
