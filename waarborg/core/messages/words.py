"""A message param that reads in the message's language: `InWords(gettext_lazy("the backup"))`.

The plain line (the CLI, the API's `msg`, logs) takes the English words; a screen or mail takes
the words of the language it is rendered in (see `render`).
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation


class InWords:
    """Words of a lazy text, put into the language of the message that carries them."""

    def __init__(self, text):
        self.text = text

    def words(self, lang: str, plain: bool) -> str:
        with translation.override("en" if plain else lang):
            return str(self.text)

    def __str__(self) -> str:
        return self.words("en", True)

    def __repr__(self) -> str:
        return f"InWords({self.words('en', True)!r})"


class Day:
    """A date: ISO for the CLI and the API, the language's date format on a screen."""

    def __init__(self, day: dt.date):
        self.day = day

    def words(self, lang: str, plain: bool) -> str:
        return self.day.isoformat() if plain else formats.date_format(self.day, "DATE_FORMAT")


class Named:
    """Codes from a table of words (code -> lazy text): as given for the CLI and the API, in words on a screen."""

    def __init__(self, table: dict, *codes: str):
        self.table, self.codes = table, tuple(str(c) for c in codes)

    def words(self, lang: str, plain: bool) -> str:
        if plain:
            return ", ".join(self.codes)
        return ", ".join(str(self.table.get(code, code)) for code in self.codes)
