"""Errors that reach a user as one clear line (CLI), a form error (web) or a 4xx (API).

An error carries a **code** (`"privacy.identifier_missing"`), its **params** and the **field** it is
about; the words live in one catalogue (`waarborg.core.messages`), in English and Dutch. So a
service never writes a sentence, and no screen parses one:

- `str(error)` is the English line the CLI prints and the API returns as `msg` (params as given);
- `error.text()` is the sentence in the active language, field names put into words, for screens
  and mails.

Messages never contain personal values: they name fields, ids and rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from waarborg.core import messages


class WaarborgError(Exception):
    """Base for errors a user can act on: `code` is a key of the message catalogue."""

    def __init__(self, code: str, params: Mapping | None = None, field: str | None = None):
        if not isinstance(code, str):
            raise TypeError(f"an error code is a string, not {type(code).__name__}")
        # TRANSITION: a code not in the catalogue is an old English sentence; removed when all are codes.
        self.legacy = None if code in messages.MESSAGES else code
        self.code = None if self.legacy else code
        self.params = dict(params or {})
        self.field = field
        super().__init__(code)

    def __str__(self) -> str:
        if self.legacy:
            return self.legacy
        return messages.render(self.code, self.params, lang="en", plain=True)

    def text(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the active language), field names in words."""
        if self.legacy:
            return self.legacy
        return messages.render(self.code, self.params, lang=lang)


class ConfigError(WaarborgError):
    """A setting is missing or invalid."""


class ValidationError(WaarborgError):
    """Input that does not meet the rules; `field` names what is wrong."""


class NotFound(WaarborgError):
    """The object does not exist *for this viewer* (never reveals whether it exists at all)."""


class PermissionDenied(WaarborgError):
    """The viewer's role may not do this."""
