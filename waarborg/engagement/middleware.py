"""The cookie middleware (C1, G4, U8, U9).

It goes above the session, CSRF, language and messages middleware, so that on the way out it sees
every cookie the others set. It

- gives each request its browser's cookie choice (`request.cookie_choice`, read lazily);
- counts a page view only with the browser's standing analytics consent (and, for a signed-in
  person, only while processing_allowed(person, "U8")), and removes the analytics cookie
  when that consent is gone;
- lets no cookie out that waarborg.engagement.cookies does not declare, and no cookie of a
  category that needs consent without that consent.
"""

from __future__ import annotations

import logging
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from waarborg.engagement import cookies
from waarborg.engagement.selectors import analytics_allowed, cookie_choice, device_consents, valid_device_id
from waarborg.engagement.services import new_device_id, page_view_record

log = logging.getLogger(__name__)

# The pages whose visits are counted: the public pages and the portal, never the back office,
# the admin, sign-in links with tokens or the newsletter's unsubscribe link.
COUNTED_NAMESPACES = frozenset({"public", "portal", "engagement"})
COUNTED_VIEWS = frozenset({"web:start", "web:portal", "auth_web:login"})
NOT_COUNTED_VIEWS = frozenset({"engagement:unsubscribe"})


def set_cookie(response, name: str, value: str, seconds: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def delete_cookie(response, name: str) -> None:
    response.delete_cookie(name, samesite="Lax")


def consent_device(request) -> str:
    return valid_device_id(request.COOKIES.get(cookies.CONSENT_COOKIE, ""))


def page_path(request) -> str:
    """The page without its query string, and with the ids in its address left out."""
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.args or match.kwargs) and match.route:
        return "/" + match.route.lstrip("^").rstrip("$")
    return request.path


def counted(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    if request.method != "GET" or response.status_code != 200 or match is None or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if match.view_name in NOT_COUNTED_VIEWS:
        return False
    return match.view_name in COUNTED_VIEWS or bool(set(match.namespaces) & COUNTED_NAMESPACES)


def _is_removal(morsel) -> bool:
    if str(morsel["max-age"]) == "0":
        return True
    expires = morsel["expires"]
    if expires:
        try:
            return parsedate_to_datetime(expires).year < 2000
        except (TypeError, ValueError):
            return False
    return False


class CookieConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.cookie_choice = SimpleLazyObject(lambda: cookie_choice(consent_device(request)))
        response = self.get_response(request)
        self._analytics(request, response)
        self._guard(request, response)
        return response

    def _analytics(self, request, response) -> None:
        has_cookie = cookies.ANALYTICS_COOKIE in request.COOKIES
        count = counted(request, response)
        if not (count or has_cookie):
            return  # nothing to decide: no query
        user = getattr(request, "user", None)
        if not analytics_allowed(device_id=consent_device(request), user=user):
            if has_cookie and cookies.ANALYTICS_COOKIE not in response.cookies:
                delete_cookie(response, cookies.ANALYTICS_COOKIE)
            return
        if not count:
            return
        analytics_id = valid_device_id(request.COOKIES.get(cookies.ANALYTICS_COOKIE, ""))
        if not analytics_id:
            analytics_id = new_device_id()
            set_cookie(response, cookies.ANALYTICS_COOKIE, analytics_id, cookies.ANALYTICS_SECONDS)
        page_view_record(path=page_path(request), device_id=analytics_id)

    def _guard(self, request, response) -> None:
        consented: dict[str, bool] = {}
        for name, morsel in list(response.cookies.items()):
            if _is_removal(morsel):
                continue  # taking a cookie away is always allowed
            declared = cookies.by_name(name)
            if declared is None:
                log.error("cookie %r is not declared in waarborg.engagement.cookies: not sent", name)
                del response.cookies[name]
                continue
            kind = declared.consent_kind
            if kind is None:
                continue
            if kind not in consented:
                consented[kind] = device_consents(kind=kind, device_id=consent_device(request))
            if not consented[kind]:
                log.warning("cookie %r needs consent (%s), which this browser has not given: not sent", name, kind)
                del response.cookies[name]
