"""The access package's readable reports: `rapport.html` (Dutch) and `report.html` (English).

Each is one self-contained HTML page rendered from the package's `data.json` content, resolved
to one language; the two reports say the same and link to each other.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.template.loader import render_to_string

from waarborg.exports import texts as T
from waarborg.exports.art15 import LETTERS, model_label, record_name
from waarborg.exports.texts import date_text

REPORT_NAMES = {"nl": "rapport.html", "en": "report.html"}


def _text(value, lang: str) -> str:
    """A JSON value of the copy, as a person reads it."""
    if isinstance(value, bool):
        return T.YES_NO[1 if lang == "en" else 0][0 if value else 1]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2})?", value):
        moment = dt.datetime.fromisoformat(value)
        return f"{date_text(moment.date(), lang)}, {moment:%H:%M}"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date_text(dt.date.fromisoformat(value), lang)
    if isinstance(value, str) and re.fullmatch(r"-?\d+\.\d+", value) and lang == "nl":
        return value.replace(".", ",")
    return "" if value is None else str(value)


def _dates_view(dates: list[dict], lang: str) -> list[tuple[str, str]]:
    """Per erasure date (or 'not yet known'), the records it applies to: 'Factuur 20, 45; Betaling 20'."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for d in dates:
        label, pk = d["record"].rsplit("#", 1)
        grouped.setdefault(d["text"][lang], {}).setdefault(model_label(label)[lang], []).append(pk)
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
                    "name": t(record_name(record["record"])),
                    "anchor": f"{category['id']}-{record['record']}".replace("#", "-").replace(".", "-"),
                    "why": t(record["why"]),
                    "context": [(t(c["label"]), _text(c["value"], lang)) for c in record["context"].values()],
                    "part_of": [t(record_name(p["record"])) for p in record["part_of"].values()],
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


def render_report(data: dict, lang: str) -> str:
    """The readable report of the package's `data` in `lang` (nl or en), as a self-contained HTML page."""
    return render_to_string("exports/access_report.html", _view(data, lang))
