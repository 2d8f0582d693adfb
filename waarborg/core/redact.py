"""Keeping personal values out of the software's own output (D10, B1).

The server log is declared in the personal-data map as holding no personal data: every log line
goes through `RedactingFormatter`, which replaces what looks like an e-mail address, phone number,
IBAN, postcode or IP address — in the message and in a traceback — before it is written.
"""

from __future__ import annotations

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


class _Redacting:
    """Formatter mixin: writes no personal values (the time and level stay as they are)."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.msg, record.args, record.exc_text
        record.msg, record.args = redact(record.getMessage()), None
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.msg, record.args, record.exc_text = saved

    def formatException(self, ei) -> str:
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))


class RedactingFormatter(_Redacting, logging.Formatter):
    pass


class RedactingServerFormatter(_Redacting, ServerFormatter):
    """The development server's request lines (`waarborg demo`), redacted the same way."""
