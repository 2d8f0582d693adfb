from django.http import JsonResponse
from django.shortcuts import render

from waarborg.auth_web.decorators import customer_required, staff_required
from waarborg.core import datamap
from waarborg.web import nav


def start(request):
    from waarborg.demo.data import DEMO_LOGINS, demo_loaded

    return render(
        request,
        "web/start.html",
        {
            "demo_logins": DEMO_LOGINS if demo_loaded() else [],
            "model_count": len(datamap.entries()),
            "field_count": sum(len(e.fields) for e in datamap.entries()),
        },
    )


def healthz(request):
    return JsonResponse({"status": "ok"})


@staff_required
def backoffice(request):
    return render(
        request,
        "web/backoffice.html",
        {"sections": nav.backoffice_sections(request.user.role)},
    )


@customer_required
def portal(request):
    return render(request, "web/portal.html")
