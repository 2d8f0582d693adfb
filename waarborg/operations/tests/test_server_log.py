"""The application server's logs (D10, B1): no personal value, no one-time token, no client address."""

import datetime as dt
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from waarborg.core.redact import redact_path, redact_text, token_prefixes
from waarborg.operations.server import ServerLogger

# Every page with a one-time token (or the parts of one) in its path, written out by hand: a new
# one must be added here, and to the nginx site's map (deploy/nginx/waarborg.conf).
TOKEN_PAGES = {
    "/aanmelden/welkom/",
    "/aanmelden/email-bevestigen/",
    "/wachtwoord-herstellen/",
    "/nieuwsbrief/afmelden/",
    "/portaal/incasso/bezwaar/",
    "/portaal/incasso/persoon/",
    "/privacyverzoek/bevestigen/",
    "/privacyverzoek/identiteit/",
    "/privacyverzoek/download/",
}


def test_the_pages_with_tokens_are_found_in_the_urlconf():
    assert set(token_prefixes()) == TOKEN_PAGES


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/privacyverzoek/bevestigen/3f2a/Zk9s-abc_123/", "/privacyverzoek/bevestigen/[token]"),
        ("/wachtwoord-herstellen/MQ/set-password/", "/wachtwoord-herstellen/[token]"),
        ("/aanmelden/welkom/AbCdEf0123456789/?x=1", "/aanmelden/welkom/[token]"),
        ("/backoffice/klanten/?q=jan@example.nl", "/backoffice/klanten/"),
        ("/backoffice/klanten/12/", "/backoffice/klanten/12/"),
        ("/privacy/", "/privacy/"),
    ],
)
def test_paths_lose_their_tokens_and_query_strings(path, logged):
    assert redact_path(path) == logged


def test_any_text_loses_tokens_queries_and_personal_values():
    text = 'Error handling request /nieuwsbrief/afmelden/abc123/ from 203.0.113.9 ("/zoek/?q=Jansen") jan@example.nl'
    assert redact_text(text) == (
        'Error handling request /nieuwsbrief/afmelden/[token] from [redacted] ("/zoek/?[query]") [redacted]'
    )


def _logger(tmp_path):
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    return ServerLogger(cfg)


@pytest.mark.promise("D10", "B1")
def test_the_access_log_names_method_path_status_and_time_only(tmp_path):
    log = _logger(tmp_path)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/privacyverzoek/download/1a2b/s3cr3t-t0ken/?email=jan@example.nl",
        "PATH_INFO": "/privacyverzoek/download/1a2b/s3cr3t-t0ken/",
        "QUERY_STRING": "email=jan@example.nl",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.3",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        "HTTP_REFERER": "https://waarborg.example.nl/privacyverzoek/bevestigen/1a2b/s3cr3t-t0ken/",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64)",
    }
    req = SimpleNamespace(headers=[("X-FORWARDED-FOR", "203.0.113.9"), ("COOKIE", "sessionid=abc")])
    resp = SimpleNamespace(status="200 OK", sent=1234, headers=[("Set-Cookie", "sessionid=abc")])
    log.access(resp, req, environ, dt.timedelta(milliseconds=42))
    for handler in log.access_log.handlers:
        handler.flush()
    line = (tmp_path / "access.log").read_text().strip()
    assert '"GET /privacyverzoek/download/[token] HTTP/1.1" 200 1234 42ms' in line
    for secret in ("s3cr3t", "jan@", "203.0.113", "127.0.0", "Mozilla", "sessionid", "email="):
        assert secret not in line


@pytest.mark.promise("D10", "B1")
def test_the_error_log_is_redacted_tracebacks_included(tmp_path):
    log = _logger(tmp_path)
    try:
        raise ValueError("no account for jan@example.nl at /aanmelden/welkom/Zm9vYmFyYmF6/")
    except ValueError:
        log.exception("Error handling request /wachtwoord-herstellen/MQ/abc-def/ from %s", "203.0.113.9")
    log.info("Listening at: http://127.0.0.1:8000")
    for handler in log.error_log.handlers:
        handler.flush()
    text = (tmp_path / "error.log").read_text()
    assert "Error handling request /wachtwoord-herstellen/[token]" in text
    assert "ValueError: no account for [redacted] at /aanmelden/welkom/[token]" in text
    for secret in ("jan@", "Zm9vYmFyYmF6", "abc-def", "203.0.113.9", "127.0.0.1"):
        assert secret not in text
