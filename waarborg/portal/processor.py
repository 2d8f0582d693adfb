"""The processing agreement in the portal (X7): the customer reads the terms and accepts them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from waarborg.auth_web.decorators import customer_required
from waarborg.core.errors import ValidationError
from waarborg.public.views import processor_context
from waarborg.register.selectors import processor_agreement_of
from waarborg.register.services import PROCESSOR_AGREEMENT_VERSION, processor_agreement_accept


@customer_required
@never_cache
def processor_agreement(request):
    error = ""
    if request.method == "POST":
        if request.POST.get("accept") != "yes":
            error = _("Tick the box to accept the processing agreement.")
        else:
            try:
                processor_agreement_accept(actor=request.user)
            except ValidationError as exc:
                error = exc.text()
            else:
                messages.success(request, _("You have accepted the processing agreement."))
                return redirect("portal:processor_agreement")
    accepted = processor_agreement_of(viewer=request.user)
    context = processor_context() | {
        "accepted": accepted,
        "current": accepted is not None and accepted.version == PROCESSOR_AGREEMENT_VERSION,
        "error": error,
    }
    return render(request, "portal/processor_agreement.html", context, status=400 if error else 200)
