"""Language (Dutch first) and the mapping of Waarborg's errors to HTTP answers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from waarborg.core.errors import NotFound, PermissionDenied


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the visitor chose English with the language switch.

    The browser's Accept-Language is not consulted: the site opens in Dutch for everyone, and
    the choice (a session cookie set by the switch) is what changes it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        codes = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DomainErrorsMiddleware:
    """A selector's PermissionDenied becomes 403 and its NotFound 404, with the usual pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(str(exception)) from exception
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
        return None
