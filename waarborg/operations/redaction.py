"""What the application server's logs may not hold: personal values and one-time tokens.

Personal values (e-mail addresses, phone numbers, IBANs, postcodes, IP addresses) are masked by
`waarborg.core.redact`, as in the application log. One-time tokens travel in the path of a few
pages (a password reset, a privacy request's confirmation, an enrolment link, …): those pages
are found in the URLconf — every route with a `token`, `link` or `uidb64` part — and whatever
follows their fixed beginning is replaced by `[token]`. A query string is never logged.
"""

from __future__ import annotations

import functools
import re

from waarborg.core.redact import redact

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
