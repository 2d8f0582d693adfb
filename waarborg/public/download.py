"""The one-time download of a portability package (art. 20): `/privacyverzoek/download/<link>/<token>/`.

Opening the link shows a page with a download button; the ZIP is served on that POST, once (a
mail scanner that opens the link does not spend it). A used, expired or locked link gets a
page that says so (410), an unknown one 404; nothing is served then.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from waarborg.core.errors import NotFound, ValidationError
from waarborg.privacy.delivery import LINK_DAYS, download_link_problem, download_link_take

# What went wrong with the link, from the code of the service's refusal.
_PROBLEM_BY_CODE = {
    "privacy.link_used": "used",
    "privacy.download_link_expired": "expired",
    "privacy.download_link_locked": "locked",
    "privacy.package_gone": "gone",
}


def _problem_page(request, problem: str):
    status = 404 if problem == "invalid" else 410
    context = {"problem": problem, "link_days": LINK_DAYS, "controller": settings.WAARBORG_CONTROLLER}
    return render(request, "public/download/problem.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def download(request, link: str, token: str):
    problem = download_link_problem(link)
    if problem is not None:
        return _problem_page(request, problem)
    if request.method != "POST":
        return render(request, "public/download/ready.html", {"link_days": LINK_DAYS})
    try:
        data, filename = download_link_take(link_id=link, token=token)
    except NotFound:
        return _problem_page(request, "invalid")
    except ValidationError as error:
        return _problem_page(request, _PROBLEM_BY_CODE.get(error.code, "invalid"))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
