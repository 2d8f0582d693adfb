from django.http import JsonResponse
from django.shortcuts import render

from waarborg.core import datamap


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
