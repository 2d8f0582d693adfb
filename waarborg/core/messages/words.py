"""A message param that reads in the message's language: `InWords(gettext_lazy("the backup"))`.

The plain line (the CLI, the API's `msg`, logs) takes the English words; a screen or mail takes
the words of the language it is rendered in (see `render`).
"""

from __future__ import annotations

from django.utils import translation


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
