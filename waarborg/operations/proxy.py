"""Behind a reverse proxy: whose word counts for the client's address and the scheme.

A request comes from its peer (REMOTE_ADDR). Only when that peer is one of the proxies in
`WAARBORG_TRUSTED_PROXIES` do its `X-Forwarded-For` and `X-Forwarded-Proto` count: the client is
then the first address in `X-Forwarded-For`, read from the right, that is not itself a trusted
proxy. Forwarded headers from any other peer are refused with a 400: someone is either spoofing
them or a proxy is missing from the setting, and in both cases guessing would be wrong (one
locked address would lock everyone out, or anyone could pick their own address).

The client's address is what the sign-in throttle and the login records use
(`waarborg.auth_web.events.client_ip`). Nothing here logs an address.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpResponse

log = logging.getLogger(__name__)

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)
SCHEMES = ("http", "https")
REFUSED = "Forwarded headers are accepted only from the proxies in WAARBORG_TRUSTED_PROXIES.\n"
MALFORMED = "The forwarded headers of the proxy are malformed.\n"
_ATTRIBUTE = "waarborg_client_ip"


class Untrusted(Exception):
    """Forwarded headers from a peer that is not a trusted proxy, or malformed ones."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def _address(raw: str):
    raw = (raw or "").strip()
    if raw.startswith("[") and "]" in raw:  # [2001:db8::1]:1234
        raw = raw[1 : raw.index("]")]
    try:
        return ipaddress.ip_address(raw)
    except ValueError:
        return None


def is_trusted(address, networks=None) -> bool:
    if address is None:
        return False
    networks = settings.WAARBORG_TRUSTED_PROXIES if networks is None else networks
    if getattr(address, "ipv4_mapped", None) is not None:
        address = address.ipv4_mapped
    return any(address.version == net.version and address in net for net in networks)


def resolve(meta, networks=None) -> str:
    """The client's address for a request's META; raises Untrusted (see the module)."""
    peer = _address(meta.get("REMOTE_ADDR", ""))
    present = [name for name in FORWARDED_HEADERS if meta.get(name)]
    if not is_trusted(peer, networks):
        if present:
            raise Untrusted(REFUSED)
        return str(peer) if peer is not None else ""
    proto = (meta.get("HTTP_X_FORWARDED_PROTO") or "").strip().lower()
    if proto and proto not in SCHEMES:
        raise Untrusted(MALFORMED)
    hops = [hop for hop in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            raise Untrusted(MALFORMED)
        client = address
        if not is_trusted(address, networks):
            break
    return str(client)


def client_address(request) -> str:
    """The client's address ("" when it cannot be read); see the module."""
    cached = getattr(request, _ATTRIBUTE, None)
    if cached is not None:
        return cached
    try:
        address = resolve(request.META)
    except Untrusted:
        peer = _address(request.META.get("REMOTE_ADDR", ""))
        address = str(peer) if peer is not None else ""
    setattr(request, _ATTRIBUTE, address)
    return address


class TrustedProxyMiddleware:
    """First in the chain: refuses forwarded headers from untrusted peers, keeps the client's
    address on the request. Only then may Django read X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            address = resolve(request.META)
        except Untrusted as exc:
            log.warning("refused a request with forwarded headers: %s", exc.text.strip())
            return HttpResponse(exc.text, status=400, content_type="text/plain; charset=utf-8")
        setattr(request, _ATTRIBUTE, address)
        return self.get_response(request)
