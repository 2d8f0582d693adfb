"""Ending a customer's contract from the back office (R2), for a customer who phoned, mailed or
wrote: the services end on the day given and the erasure case opens that runs by itself."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from waarborg.auth_web.decorators import staff_required
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Customer
from waarborg.customers.selectors import customer_get_for
from waarborg.customers.termination import customer_terminate
from waarborg.portal.termination import TerminateForm

CHANNELS = (
    ("phone", gettext_lazy("By phone")),
    ("email", gettext_lazy("By e-mail")),
    ("post", gettext_lazy("By letter")),
)


class StaffTerminateForm(TerminateForm):
    channel = forms.ChoiceField(label=gettext_lazy("How the customer told us"), choices=CHANNELS)
    confirm = forms.BooleanField(
        label=gettext_lazy("The customer asked to end the contract for all services."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


@never_cache
@staff_required("subscriptions")
@require_http_methods(["GET", "POST"])
def terminate(request, pk: int):
    customer = customer_get_for(viewer=request.user, pk=pk)
    form = StaffTerminateForm(request.POST or None, initial={"end_date": clock.today()})
    if request.method == "POST" and customer.status == Customer.Status.ACTIVE and form.is_valid():
        data = form.cleaned_data
        try:
            customer_terminate(
                actor=request.user,
                customer=customer,
                reason=f"ended by {data['channel']}: {data['reason']}",
                end_date=data["end_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.text())
        else:
            messages.success(request, _("The contract ends; the erasure case is open."))
            return redirect(reverse("backoffice:customer_terminate", args=[customer.pk]))
    context = {
        "form": form,
        "customer": customer,
        "ending": customer.status != Customer.Status.ACTIVE,
        "crumbs": [
            {"label": _("Customers"), "url": reverse("backoffice:customers")},
            {"label": customer.number, "url": None},
        ],
    }
    return render(request, "backoffice/terminate.html", context, status=400 if form.errors else 200)
