"""Errors that reach a user as one clear line (CLI), a form error (web) or a 4xx (API).

Messages never contain personal values: they name fields, ids and rules.
"""


class WaarborgError(Exception):
    """Base for errors a user can act on."""


class ConfigError(WaarborgError):
    """A setting is missing or invalid."""


class ValidationError(WaarborgError):
    """Input that does not meet the rules; `field` names what is wrong."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(WaarborgError):
    """The object does not exist *for this viewer* (never reveals whether it exists at all)."""


class PermissionDenied(WaarborgError):
    """The viewer's role may not do this."""
