"""The public form "Misbruik melden" (B6): anyone who suspects misuse of personal data reports
it here, without an account. The report becomes an incident with a record; the answer is the
same whoever reports. The form is length-limited and throttled per connection (counted under a
keyed hash of the address, in the cache only, never stored)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from waarborg.auth_web.events import client_ip
from waarborg.core.crypto import keyed_hash
from waarborg.core.errors import ValidationError
from waarborg.incidents.intake import incident_report
from waarborg.public.incident_forms import ReportForm

log = logging.getLogger(__name__)

THROTTLE_SECONDS = 3600


def _limit() -> int:
    return int(getattr(settings, "WAARBORG_INCIDENT_REPORTS_PER_HOUR", 5))


def _throttle_key(request) -> str:
    return "incidents:report:" + keyed_hash(client_ip(request) or "-", purpose="throttle")


def _throttled(request) -> bool:
    return int(cache.get(_throttle_key(request), 0)) >= _limit()


def _count(request) -> None:
    key = _throttle_key(request)
    if not cache.add(key, 1, THROTTLE_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, THROTTLE_SECONDS)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if _throttled(request):
            form.is_valid()
            form.add_error(
                None,
                _("Too many reports from your connection in a short time. Try again in an hour, or write to us."),
            )
            status = 429
        elif form.is_valid():
            _count(request)
            if form.cleaned_data["website"]:
                return redirect("incidents_public:received")  # a robot: the same answer, nothing kept
            try:
                incident_report(
                    description=form.cleaned_data["description"],
                    reporter_email=form.cleaned_data["reporter_email"],
                    language=get_language() or "nl",
                )
            except ValidationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.text())
            else:
                return redirect("incidents_public:received")
    return render(request, "incidents/report.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD"])
def received(request):
    return render(request, "incidents/report_received.html")
