"""Keeping personal values and one-time tokens out of the software's own output (D10, B1).

The server log is declared in the personal-data map as holding no personal data: every log line
goes through `RedactingFormatter` (the development server's request lines through
`RedactingServerFormatter`), which replaces what looks like an e-mail address, phone number,
IBAN, postcode or IP address — in the message and in a traceback — before it is written.

One-time tokens travel in the path of a few pages (a password reset, a privacy request's
confirmation, an enrolment link, …): those pages are found in the URLconf — every route with a
`token`, `link` or `uidb64` part — and whatever follows their fixed beginning is replaced by
`[token]`. A query string is never logged.
"""

from __future__ import annotations

import functools
import logging
import re

from django.utils.log import ServerFormatter

MASK = "[redacted]"

LOOKS_PERSONAL = (
    re.compile(r"[^@\s\"'<>()\[\]]+@[^@\s\"'<>()\[\]]+\.[a-z]{2,}", re.I),  # e-mail address
    re.compile(r"\b[A-Z]{2}\d{2}\s?(?:[A-Z0-9]{4}\s?){2,7}[A-Z0-9]{1,4}\b", re.I),  # IBAN
    re.compile(r"(?<![\w.])(?:\+|00)\d{2}[\s-]?\d(?:[\s-]?\d){7,11}\b"),  # phone, international
    re.compile(r"(?<![\w.-])0\d(?:[\s-]?\d){8}\b"),  # phone, Dutch
    re.compile(r"\b\d{4}\s?[A-Z]{2}\b"),  # Dutch postcode
    re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"),  # IPv4 address
    re.compile(r"\b(?:[0-9a-f]{1,4}:){5,7}[0-9a-f]{1,4}\b", re.I),  # IPv6 address, full
    re.compile(r"(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:?){0,6}(?![\w:])", re.I),  # IPv6, with ::
)


def redact(text: str) -> str:
    for pattern in LOOKS_PERSONAL:
        text = pattern.sub(MASK, text)
    return text


TOKEN_PARTS = frozenset({"token", "link", "uidb64"})
TOKEN_MASK = "[token]"
_PART = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _routes(patterns, prefix: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        nested = getattr(entry, "url_patterns", None)
        if nested is not None:
            yield from _routes(nested, route)
        else:
            yield route


@functools.cache
def token_prefixes() -> tuple[str, ...]:
    """The fixed beginnings ("/privacyverzoek/bevestigen/") of every page with a token in its path."""
    from django.urls import get_resolver

    prefixes = set()
    for route in _routes(get_resolver().url_patterns):
        parts = _PART.findall(route)
        if TOKEN_PARTS.intersection(parts):
            prefixes.add("/" + route[: route.index("<")])
    return tuple(sorted(prefixes, key=len, reverse=True))


@functools.cache
def _token_pattern() -> re.Pattern:
    alternatives = "|".join(re.escape(p) for p in token_prefixes()) or r"(?!)"
    return re.compile(rf"({alternatives})[^\s\"'?#]*(?:\?[^\s\"']*)?")


def redact_path(path: str) -> str:
    """A request path fit for a log line: no token, no query string, no personal value."""
    path = (path or "").split("?", 1)[0]
    return redact(_token_pattern().sub(lambda m: m.group(1) + TOKEN_MASK, path))


_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def redact_text(text: str) -> str:
    """Any log text: token paths cut off, query strings of paths dropped, personal values masked."""
    text = _token_pattern().sub(lambda m: m.group(1) + TOKEN_MASK, text)
    return redact(_QUERY.sub(lambda m: m.group(1) + "?[query]", text))


class _Redacting:
    """Formatter mixin: writes no personal values (the time and level stay as they are)."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.msg, record.args, record.exc_text
        record.msg, record.args = redact_text(record.getMessage()), None
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.msg, record.args, record.exc_text = saved

    def formatException(self, ei) -> str:
        return redact_text(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact_text(super().formatStack(stack_info))


class RedactingFormatter(_Redacting, logging.Formatter):
    pass


class RedactingServerFormatter(_Redacting, ServerFormatter):
    """The development server's request lines (`waarborg demo`), redacted the same way."""
