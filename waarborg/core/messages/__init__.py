"""The message catalogue: every error code's words, in English (the msgid) and Dutch (the .po).

One module per area holds `MESSAGES = {code: gettext_lazy("English with %(param)s")}` and may hold
`FIELDS = {field_name: gettext_lazy("words")}`; this module joins every module of the package. A code is `area.name` in lower case. `render(code, params, lang)` gives the text:

- `plain=True` (the CLI, the API's `msg`, logs): params as given, such as a field's name;
- otherwise (screens, mails): a param named `field` or ending in `_field` is put into words
  through `FIELDS`, in the language asked for;
- a param value with a `words(lang, plain)` method (an amount, a dunning step) puts itself into
  words.

A test walks every code raised in the code base and fails when one has no message in either
language.
"""

from __future__ import annotations

import pkgutil
import re
from importlib import import_module

from django.utils import translation

CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

MESSAGES: dict[str, object] = {}
FIELDS: dict[str, object] = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    _area = import_module(f"{__name__}.{_info.name}")
    for _code, _text in getattr(_area, "MESSAGES", {}).items():
        if not CODE.match(_code):
            raise ValueError(f"message code {_code!r} is not area.name in lower case")
        if _code in MESSAGES:
            raise ValueError(f"message code {_code!r} is declared twice")
        MESSAGES[_code] = _text
    for _name, _words in getattr(_area, "FIELDS", {}).items():
        if FIELDS.get(_name, _words) is not _words:
            raise ValueError(f"field {_name!r} is put into words twice")
        FIELDS[_name] = _words


def _field_words(value) -> str:
    words = FIELDS.get(str(value))
    return str(words) if words is not None else str(value)


def render(code: str, params: dict | None = None, *, lang: str | None = None, plain: bool = False) -> str:
    """The text of `code` with `params`, in `lang` (default: the active language)."""
    template = MESSAGES[code]
    with translation.override(lang or translation.get_language()):
        values = {}
        for name, value in (params or {}).items():
            if hasattr(value, "words"):  # a value that puts itself into words (an amount, a step)
                value = value.words(translation.get_language() or "nl", plain)
            elif not plain and (name == "field" or name.endswith("_field")):
                value = _field_words(value)
            values[name] = value
        text = str(template)
        text = text % values if values else text
    return text if plain else text[:1].upper() + text[1:]
