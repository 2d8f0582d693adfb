"""/healthz and /metrics: for monitors, not for people. Neither sets a cookie or holds personal data."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from waarborg.operations.health import health_report
from waarborg.operations.metrics import render

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@never_cache
@require_GET
def healthz(request):
    """200 when healthy, 503 when not; the JSON says which check failed."""
    report = health_report()
    return JsonResponse(report.as_json(), status=200 if report.ok else 503)


def _bearer(request) -> str:
    scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


@never_cache
@require_GET
def metrics(request):
    """Only with `Authorization: Bearer $WAARBORG_METRICS_TOKEN`; without a token set, not there."""
    expected = settings.WAARBORG_METRICS_TOKEN
    if not expected:
        raise Http404("metrics are off")
    given = _bearer(request)
    if not given or not constant_time_compare(given, expected):
        response = HttpResponse("A valid bearer token is required.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(render(), content_type=PROMETHEUS_TEXT)
