from django.shortcuts import render

from waarborg.auth_web.decorators import staff_required
from waarborg.core import datamap
from waarborg.demo import data as demo
from waarborg.web import nav


def start(request):
    return render(
        request,
        "web/start.html",
        {
            "demo_logins": demo.demo_logins_with_secrets() if demo.demo_loaded() else [],
            "model_count": len(datamap.entries()),
            "field_count": sum(len(e.fields) for e in datamap.entries()),
        },
    )


@staff_required
def backoffice(request):
    return render(
        request,
        "web/backoffice.html",
        {"sections": nav.backoffice_sections(request.user.role)},
    )
