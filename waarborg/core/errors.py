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
        # An unknown code is a programming error, found here rather than when a user is shown nothing
        # (and a test walks every raise in the code base: test_messages).
        if not isinstance(code, str) or code not in messages.MESSAGES:
            raise TypeError(f"unknown error code {code!r}: add it to waarborg.core.messages")
        self.code = code
        self.params = dict(params or {})
        self.field = field
        super().__init__(code)

    def __str__(self) -> str:
        return messages.render(self.code, self.params, lang="en", plain=True)

    def text(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the active language), field names in words."""
        return messages.render(self.code, self.params, lang=lang)


class ConfigError(WaarborgError):
    """A setting is missing or invalid."""


class ValidationError(WaarborgError):
    """Input that does not meet the rules; `field` names what is wrong."""


class NotFound(WaarborgError):
    """The object does not exist *for this viewer* (never reveals whether it exists at all)."""


class PermissionDenied(WaarborgError):
    """The viewer's role may not do this."""


class SettingError(ConfigError):
    """A setting is missing or invalid, found while the settings load (config/): before Django and
    its translations are ready, so it carries the operator's English line instead of params."""

    def __init__(self, message: str):  # no catalogue lookup: Django is not set up yet
        Exception.__init__(self, message)
        self.code, self.params, self.field = "config.setting", {"message": message}, None

    def __str__(self) -> str:
        return str(self.args[0])

    def text(self, lang: str | None = None) -> str:
        return str(self.args[0])
