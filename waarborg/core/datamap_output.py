"""The personal-data map as plain data and as a Markdown table (`waarborg datamap`)."""

from __future__ import annotations

from typing import Any

from waarborg.core import datamap
from waarborg.core.datamap import PD


def _fields_out(fields: dict[str, PD]) -> list[dict]:
    return [
        {
            "field": name,
            "category": p.category,
            "key": p.key,
            "purposes": list(p.purposes),
            "basis": p.basis,
            "retention": p.retention.key,
            "erasure": p.erasure,
            "portability": p.portability,
            "recipients": list(p.recipients),
            "identifier": p.identifier,
            "source": p.source,
            "label": {"nl": p.label[0], "en": p.label[1]},
        }
        for name, p in sorted(fields.items())
    ]


def _when_text(when: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in sorted(when.items()))


def as_dict() -> dict:
    """The whole map as plain data (for `waarborg datamap --format json` and the engines)."""
    models_out = []
    for entry in datamap.entries():
        models_out.append(
            {
                "model": entry.label,
                "table": entry.model._meta.db_table,
                "label": {"nl": entry.record_label[0], "en": entry.record_label[1]},
                "subject": entry.subject,
                "subject_ref": (
                    {"kind": entry.subject_ref.kind, "path": entry.subject_ref.path, "rank": entry.subject_ref.rank}
                    if entry.subject_ref
                    else None
                ),
                "anchor": entry.anchor,
                "groups": list(entry.groups),
                "dates": dict(sorted(entry.dates.items())),
                "links": [
                    {"path": link.path, "target": link.target, "rule": link.rule, "up": link.up} for link in entry.links
                ],
                "fields": _fields_out(entry.fields),
                "variants": [
                    {"when": _when_text(v.when), "why": v.why, "fields": _fields_out(v.fields)} for v in entry.variants
                ],
                "not_personal": sorted(entry.not_personal),
                "context": {name: {"nl": nl, "en": en} for name, (nl, en) in entry.context.items()},
            }
        )
    return {
        "categories": {k: {"nl": v[0], "en": v[1]} for k, v in datamap.CATEGORIES.items()},
        "purposes": {k: {"nl": v[0], "en": v[1]} for k, v in datamap.PURPOSES.items()},
        "bases": {k: {"nl": v[0], "en": v[1], "article": v[2]} for k, v in datamap.BASES.items()},
        "retention": {
            k: {
                "anchor": r.anchor,
                "term": {"years": r.years, "months": r.months, "days": r.days},
                "restricted": r.restricted,
                "nl": r.nl,
                "en": r.en,
            }
            for k, r in sorted(datamap.RETENTION.items())
        },
        "recipient_categories": {k: {"nl": v[0], "en": v[1]} for k, v in datamap.RECIPIENT_CATEGORIES.items()},
        "models": models_out,
        "exempt": dict(sorted(datamap.EXEMPT.items())),
    }


def as_markdown() -> str:
    data = as_dict()
    lines = ["# Personal-data map", ""]
    lines.append(
        "| model | field | cat. | key | purposes | basis | retention | erasure | portability | identifier | label |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for m in data["models"]:
        rows = [(m["model"], f) for f in m["fields"]]
        rows += [(f"{m['model']} ({v['when']})", f) for v in m["variants"] for f in v["fields"]]
        for model, f in rows:
            lines.append(
                f"| {model} | {f['field']} | {f['category']} | `{f['key']}` | "
                f"{' '.join(f['purposes'])} | {f['basis']} | {f['retention']} | {f['erasure']} | "
                f"{f['portability']} | {f['identifier'] or ''} | {f['label']['nl']} / {f['label']['en']} |"
            )
    lines += ["", "## Subjects and links", ""]
    for m in data["models"]:
        links = "; ".join(f"`{lk['path']}` → {lk['target']} ({lk['rule']})" for lk in m["links"])
        name = f"{m['label']['nl']} / {m['label']['en']}"
        lines.append(f"- **{m['model']}** ({name}) — {m['subject']}" + (f": {links}" if links else ""))
        if m["context"]:
            lines.append(f"  context: {', '.join(m['context'])}")
    lines += ["", "## Retention rules", ""]
    for key, r in data["retention"].items():
        lines.append(f"- `{key}` — {r['en']}")
    lines += ["", "## Models without personal data", ""]
    for label, why in data["exempt"].items():
        lines.append(f"- {label}: {why}")
    return "\n".join(lines) + "\n"
