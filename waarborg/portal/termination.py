"""Ending the contract in the portal (R2): the services end on the chosen day, and an erasure
case opens that runs by itself once the last service has ended and nothing is owed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from waarborg.auth_web.decorators import customer_required
from waarborg.core import clock
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.customers.models import Contact, Customer
from waarborg.customers.selectors import customer_get_for
from waarborg.customers.termination import customer_terminate

MAX_DAYS_AHEAD = 366
# The reason goes into the audit trail: fixed choices, so that it never holds personal data.
REASONS = (
    ("other_provider", gettext_lazy("We are moving to another provider")),
    ("not_needed", gettext_lazy("We no longer need the services")),
    ("costs", gettext_lazy("The costs")),
    ("other", gettext_lazy("Another reason")),
)


class TerminateForm(forms.Form):
    end_date = forms.DateField(
        label=gettext_lazy("The services end on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Choose the day the services end."),
            "invalid": gettext_lazy("Enter a date."),
        },
    )
    reason = forms.ChoiceField(label=gettext_lazy("Why are you leaving?"), choices=REASONS)
    confirm = forms.BooleanField(
        label=gettext_lazy("I end the contract for all services of this customer account."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )

    def clean_end_date(self):
        day = self.cleaned_data["end_date"]
        today = clock.today()
        if day < today:
            raise forms.ValidationError(_("The end date cannot lie in the past."))
        if day > today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(_("Choose an end date within a year."))
        return day


def _may_end(user) -> bool:
    """Only the customer's primary contact person ends the contract."""
    return bool(user.contact_id) and user.contact.role == Contact.Role.PRIMARY


@customer_required
@never_cache
def terminate(request):
    user = request.user
    customer = customer_get_for(viewer=user, pk=user.customer_id)
    allowed = _may_end(user)
    form = TerminateForm(request.POST or None, initial={"end_date": clock.today()})
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied("portal.termination_primary_contact_only")
        if form.is_valid():
            try:
                customer_terminate(
                    actor=user,
                    customer=customer,
                    reason=f"ended in the portal: {form.cleaned_data['reason']}",
                    end_date=form.cleaned_data["end_date"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.text())
            else:
                messages.success(request, _("Your notice of termination is recorded."))
                return redirect("portal:terminate")
    context = {
        "form": form,
        "allowed": allowed,
        "customer": customer,
        "ending": customer.status != Customer.Status.ACTIVE,
    }
    return render(request, "portal/terminate.html", context, status=400 if form.errors else 200)
