"""The access package's completeness check: the package is not finished while any of
art. 15(1)(a)–(h) is empty for a category in it.

A text counts as empty when either language is blank, so a missing translation stops the
package as surely as a missing declaration in the personal-data map.
"""

from __future__ import annotations

from waarborg.core.errors import ValidationError
from waarborg.core.messages.exports import ART15_WHAT
from waarborg.core.messages.words import InWords
from waarborg.exports.art15 import LETTERS
from waarborg.exports.texts import LANGS


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


def check_complete(data: dict) -> None:
    """Raise ValidationError naming the first category and letter of art. 15(1) left empty in the
    package's `data`; the error's field is `<category>.<letter>` (e.g. `D3.c`)."""
    for category in data["categories"]:
        for letter in LETTERS:
            if _missing(letter, category["art15"][letter]):
                raise ValidationError(
                    "exports.incomplete",
                    {"category": category["id"], "letter": letter, "what": InWords(ART15_WHAT[letter])},
                    field=f"{category['id']}.{letter}",
                )
