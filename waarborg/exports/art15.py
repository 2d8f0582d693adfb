"""The access package's body, per category of personal data (D1–D11): the copy of the subject's
records in that category and the information of art. 15(1)(a)–(h) about it.

Every part is read from the personal-data map (the names of records, fields and context fields
included), the register of recipients and the fixed texts in `texts.py`; nothing here is written
by hand per category or per model.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from waarborg.core import datamap, declarations
from waarborg.exports import texts as T
from waarborg.exports.collect import Record, Value, json_of
from waarborg.exports.texts import LANGS, date_text, pair
from waarborg.register.models import Recipient
from waarborg.register.transfers import outside_eea

LETTERS = tuple("abcdefgh")


def model_label(label: str) -> dict[str, str]:
    """The name of a kind of record ('Factuur' / 'Invoice') for a model label, from the map."""
    entry = datamap.entry_for(label)
    return pair(entry.record_label) if entry is not None else {"nl": label, "en": label}


def record_name(record_id: str) -> dict[str, str]:
    """'Factuur (registratie 20)' / 'Invoice (record 20)'."""
    label, pk = record_id.rsplit("#", 1)
    kind = model_label(label)
    return {lang: f"{kind[lang]} ({T.RECORD_NO[i].format(id=pk)})" for i, lang in enumerate(LANGS)}


def _value_label(value: Value) -> dict[str, str]:
    """What a value is ('Telefoonnummer' / 'Phone number'): its declaration's label."""
    return pair(value.pd.label)


def _found(record: Record) -> dict[str, str]:
    """Why the record belongs to the subject, in words (the finder's rule is kept beside it)."""
    entry, rule = record.entry, record.rule
    how = record.hit_field
    if how in entry.fields:
        label = pair(entry.field_label(how))
        return {lang: T.FOUND_MATCH[i].format(field=label[lang].lower()) for i, lang in enumerate(LANGS)}
    if "+" in how:
        return pair(T.FOUND_NAME)
    if how == "pk":
        return pair(T.FOUND_SELF)
    link = next((lk for lk in entry.links if lk.path == how), None)
    if link is not None:
        target = record.refs.get(how)
        names = record_name(target) if target else model_label(link.target)
        return {lang: T.FOUND_LINK[i].format(target=names[lang].lower()) for i, lang in enumerate(LANGS)}
    match = re.search(r"\(from ([\w.]+)\)$", rule)
    if match:
        source = model_label(match.group(1))
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


def _erase_on(record: Record, rule: datamap.Retention) -> dict:
    """The record's last day under the rule and the day it goes (the day after)."""
    anchor_date = record.dates.get(rule.anchor)
    purge = rule.purge_date(anchor_date) if anchor_date is not None else None
    extended = declarations.extension_field(record.entry.fields, rule)
    consent = getattr(record.obj, extended[0]) if extended else None
    if purge is not None and consent is not None:  # kept until both terms have passed
        longer = datamap.first_day_gone(consent, **extended[1].term)
        purge = max(purge, longer)
    kept = purge - dt.timedelta(days=1) if purge is not None else None
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
                else T.KEPT_UNTIL[i].format(kept=date_text(kept, lang), gone=date_text(purge, lang))
                if rule.years or rule.months or rule.days
                else T.GONE_ON[i].format(gone=date_text(purge, lang))  # kept until the anchor itself
            )
            for i, lang in enumerate(LANGS)
        },
    }


def _recipients(recipient_keys: list[str], category: str, registered, today: dt.date) -> dict:
    if not recipient_keys:
        return {"categories": [], "statement": pair(T.NO_RECIPIENTS)}
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
                    "kind_text": pair(T.RECIPIENT_KINDS.get(r.kind, (r.kind, r.kind))),
                    "purpose": r.purpose,
                    "agreement_signed_at": json_of(r.agreement_signed_at),
                    "agreement_expires_at": json_of(r.agreement_expires_at),
                    "agreement_valid": valid,
                    "outside_eea": outside_eea(r.country),
                }
            )
        entry = {"key": key, "name": {"nl": names[0], "en": names[1]}, "recipients": concrete}
        if not concrete:
            entry["note"] = pair(T.NO_REGISTERED_RECIPIENT)
        out.append(entry)
    return {"categories": out, "statement": None}


def categories_of(records: list[Record], file_notes: dict, today: dt.date, controller: dict) -> list[dict]:
    """The package's categories, in D-order: each with the copy of its records and its art. 15(1)
    information. `file_notes` says, per (record, field), where a stored file went in the ZIP."""
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
        "kind": model_label(label),
        "rule": record.rule,
        "why": _found(record),
        "context": {
            name: {"label": pair(record.entry.context[name]), "value": json_of(raw)}
            for name, raw in record.context.items()
        },
        "part_of": {
            name: {"record": target, "kind": model_label(target.split("#")[0])} for name, target in record.refs.items()
        },
        "values": [
            {
                "field": v.field,
                "label": _value_label(v),
                "key": v.pd.key,
                "value": json_of(v.raw),
                **({"file": file_notes[(record.id, v.field)]} if (record.id, v.field) in file_notes else {}),
            }
            for v in shown
        ],
        "held": [{"field": v.field, "label": _value_label(v), "key": v.pd.key} for v in held],
        "withheld": [{"field": v.field, "label": _value_label(v), "key": v.pd.key} for v in withheld],
        "retention": [{"rule": rule.key, **_erase_on(record, rule)} for rule in rules],
    }


def _art15(cid: str, rows, declared, registered, today: dt.date, controller: dict) -> dict:
    purposes: dict[str, set[str]] = defaultdict(set)
    for p in declared:
        for u in p.purposes:
            purposes[u].add(p.basis)
    kinds: dict[str, list[dict]] = {}
    for _, shown, held, withheld in rows:
        for v in shown + held + withheld:
            label = _value_label(v)
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
        "e": pair(T.RIGHTS, **controller),
        "f": pair(T.COMPLAINT, **controller),
        "g": [{"source": s, "text": pair(T.SOURCES.get(s, ("", "")))} for s in sources],
        "h": {"automated": automated, "text": pair(T.DUNNING if automated else T.NO_AUTOMATED)},
    }
