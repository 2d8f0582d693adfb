"""The administrator's page of daily runs: when each ran, for which day, what every job did and
which failed (no personal data: days, times, job names, counts and exception classes)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from waarborg.auth_web.decorators import staff_required
from waarborg.operations.selectors import daily_run_list_for

PAGE_SIZE = 50


def _row(run) -> dict:
    jobs = [
        {"name": name, "counts": ", ".join(f"{k}={v}" for k, v in counts.items() if v)}
        for name, counts in run.counts.items()
    ]
    return {
        "run": run,
        "done": [job for job in jobs if job["counts"]],
        "idle": [job["name"] for job in jobs if not job["counts"]],
        "failures": sorted(run.failures.items()),
    }


@never_cache
@staff_required("operations")
@require_GET
def runs(request):
    page = Paginator(daily_run_list_for(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "backoffice/operations/runs.html",
        {
            "page": page,
            "rows": [_row(run) for run in page.object_list],
            "crumbs": [{"label": _("Daily runs"), "url": None}],
        },
    )
