"""The server log holds no personal values (D10): every line is redacted before it is written."""

import io
import logging

import pytest

from waarborg.core.redact import MASK, RedactingFormatter, RedactingServerFormatter, redact

PERSONAL = [
    "alice.devries@example.nl",
    "+31 6 12345678",
    "0031612345678",
    "06-12345678",
    "020 123 4567",
    "NL91ABNA0417164300",
    "NL91 ABNA 0417 1643 00",
    "3521 AB",
    "192.168.10.24",
    "2001:db8:85a3::8a2e:370:7334",
]
NOT_PERSONAL = [
    "daily run for 2026-11-29",
    "dunning notice 12 not sent (ConnectionRefusedError), attempt 3",
    "request P00042 registered",
    "GET /backoffice/verzoeken/17/ HTTP/1.1 200 5120",
    "took 123.4 ms",
    "started at 17:33:28, done at 17:34:02",
]


@pytest.mark.promise("D10")
@pytest.mark.parametrize("value", PERSONAL)
def test_it_masks_what_looks_personal(value):
    text = redact(f"sending to {value} failed")
    assert value not in text and MASK in text


@pytest.mark.parametrize("line", NOT_PERSONAL)
def test_it_leaves_ordinary_log_lines_alone(line):
    assert redact(line) == line


def _root_formatter():
    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, RedactingFormatter):
            return handler.formatter
    raise AssertionError("the root logger writes through no redacting formatter")


@pytest.mark.promise("D10", "B1")
def test_every_log_line_and_traceback_is_written_redacted():
    formatter = _root_formatter()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    log = logging.getLogger("waarborg.test.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        try:
            raise ValueError("no account for alice.devries@example.nl from 192.168.10.24")
        except ValueError:
            log.exception("sign-in failed for %s (IBAN %s)", "alice.devries@example.nl", "NL91ABNA0417164300")
    finally:
        log.removeHandler(handler)
    written = stream.getvalue()
    assert "ValueError" in written and "sign-in failed" in written
    for value in ("alice.devries@example.nl", "192.168.10.24", "NL91ABNA0417164300"):
        assert value not in written


@pytest.mark.promise("D10")
def test_the_development_servers_request_lines_are_redacted_too():
    handlers = logging.getLogger("django.server").handlers
    assert any(isinstance(h.formatter, RedactingServerFormatter) for h in handlers)


@pytest.mark.promise("D10", "B1")
@pytest.mark.parametrize(
    "path",
    [
        "/privacyverzoek/bevestigen/7/Zk9s-abc_123DEF/",
        "/privacyverzoek/download/7/Zk9s-abc_123DEF/",
        "/aanmelden/welkom/Zk9s-abc_123DEF/",
        "/wachtwoord-herstellen/MQ/Zk9s-abc_123DEF/",
        "/portaal/incasso/bezwaar/Zk9s-abc_123DEF/?taal=en",
    ],
)
def test_the_development_servers_request_lines_carry_no_one_time_token(path):
    """`waarborg demo` serves with Django's development server: its request line for a page with a
    one-time link in its path is written with the token cut off, as the application server's."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingServerFormatter("[{server_time}] {message}", style="{"))
    logger = logging.getLogger("test.devserver.tokens")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.info('"%s" %s %s', f"GET {path} HTTP/1.1", 200, 1234, extra={"status_code": 200})
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "Zk9s-abc_123DEF" not in written and "[token]" in written and "taal=en" not in written
    assert '" 200 1234' in written
