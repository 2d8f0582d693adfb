"""The API under /api/v1/: ninja's routes, every answer JSON (405 and unknown addresses too)."""

from functools import wraps

from django.http import JsonResponse
from django.urls import path, re_path

from waarborg.api.api import api


def _json_not_allowed(view):
    @wraps(view)  # keeps csrf_exempt: a bearer token is no cookie
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            return JsonResponse({"detail": "method not allowed"}, status=405, headers={"Allow": response["Allow"]})
        return response

    return wrapped


def not_found(request, rest=""):
    return JsonResponse({"detail": "no such address in this API"}, status=404)


_routes, _app, _namespace = api.urls  # (no module-level `app_name`: include() would read it)
for _route in _routes:
    _route.callback = _json_not_allowed(_route.callback)

urlpatterns = [path("", (_routes, _app, _namespace)), re_path(r"^(?P<rest>.*)$", not_found)]
