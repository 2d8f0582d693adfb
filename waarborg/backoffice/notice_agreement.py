"""Letters by e-mail on a customer's record: whether the customer agreed that written notices —
the fourteen-day letter among them — may reach them by e-mail (art. 6:227a BW), and, for a role
that may change the customer (`check_actor` with scope "customers"), recording and withdrawing
that agreement.

The forms check what a form can (required, choices, a date); the services
`notice_agreement_record` and `notice_agreement_withdraw` decide the rest, and a refusal shows at
the field it names, in the visitor's language, with nothing changed. After a change the staff
member goes back to the record, opened for the purpose it was open for.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from waarborg.auth_web.decorators import staff_required
from waarborg.backoffice.forms import PURPOSE_PARAM, PurposeForm
from waarborg.core import clock, roles
from waarborg.core.errors import ValidationError
from waarborg.customers.models import NoticeAgreement
from waarborg.customers.selectors import customer_get_for, notice_agreement_for
from waarborg.customers.services import notice_agreement_record, notice_agreement_withdraw

SECTION = "brieven-per-email"  # the anchor of the section on the record
SOURCES = (
    (NoticeAgreement.Source.CONTRACT, _("A term of the contract")),
    (NoticeAgreement.Source.CONSENT, _("An agreement the customer gave separately")),
)
_DATE = {"type": "date"}


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """A refusal of the services at the field it names, in the visitor's language."""
    form.add_error(error.field if error.field in form.fields else None, error.text())


def _date_field(label):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs=_DATE),
        error_messages={"required": _("Enter a date (YYYY-MM-DD)."), "invalid": _("Enter a date (YYYY-MM-DD).")},
    )


class _WithPurpose(forms.Form):
    """The purpose the record was open for travels along (a code), to open it again after."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[PURPOSE_PARAM] = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)


class RecordForm(_WithPurpose):
    source = forms.ChoiceField(label=_("Where the agreement comes from"), choices=SOURCES)
    agreed_on = _date_field(_("Agreed on"))
    reference = forms.CharField(
        label=_("Where it is to be found"),
        max_length=120,
        help_text=_("The terms and their article, or how the customer gave the agreement."),
        error_messages={"required": _("Say where the agreement is to be found, in at most 120 characters.")},
    )


class WithdrawForm(_WithPurpose):
    withdrawn_on = _date_field(_("Withdrawn from"))


def may_change(viewer) -> bool:
    """The roles the services let change a customer: those with the scope "customers"."""
    return roles.can(viewer, "customers") and getattr(viewer, "role", None) != roles.CUSTOMER


def section(viewer, customer, purpose: str) -> dict:
    """What the record shows of the agreement, with the forms for a role that may change it."""
    agreement = notice_agreement_for(viewer=viewer, customer=customer)
    out = {"agreement": agreement, "may_change": may_change(viewer), "anchor": SECTION}
    if out["may_change"]:
        today = clock.today()
        out["record_form"] = RecordForm(initial={"agreed_on": today, PURPOSE_PARAM: purpose})
        if agreement is not None and agreement.withdrawn_on is None:
            out["withdraw_form"] = WithdrawForm(initial={"withdrawn_on": today, PURPOSE_PARAM: purpose})
    return out


def _back(request, customer, purpose: str):
    """To the record, opened for the same purpose when it is one this role may give."""
    if PurposeForm({PURPOSE_PARAM: purpose}, viewer=request.user).is_valid():
        query = urlencode({PURPOSE_PARAM: purpose})
        return HttpResponseRedirect(f"{reverse('backoffice:customer', args=[customer.pk])}?{query}#{SECTION}")
    return HttpResponseRedirect(reverse("backoffice:customer", args=[customer.pk]))


def _page(request, customer, form, action: str):
    context = {
        "customer": customer,
        "form": form,
        "action": action,
        "crumbs": [
            {"label": gettext("Customers"), "url": reverse("backoffice:customers")},
            {"label": customer.number, "url": reverse("backoffice:customer", args=[customer.pk])},
            {"label": gettext("Letters by e-mail"), "url": None},
        ],
    }
    return render(request, "backoffice/notice_agreement.html", context, status=400 if form.errors else 200)


@never_cache
@staff_required("customers")
@require_http_methods(["GET", "POST"])
def record(request, pk: int):
    customer = customer_get_for(viewer=request.user, pk=pk)  # NotFound (404) before anything else
    form = RecordForm(request.POST or None, initial={"agreed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice_agreement_record(
                actor=request.user,
                customer=customer,
                source=data["source"],
                agreed_on=data["agreed_on"],
                reference=data["reference"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, gettext("The agreement to letters by e-mail is recorded."))
            return _back(request, customer, data[PURPOSE_PARAM])
    return _page(request, customer, form, "record")


@never_cache
@staff_required("customers")
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    customer = customer_get_for(viewer=request.user, pk=pk)
    form = WithdrawForm(request.POST or None, initial={"withdrawn_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            notice_agreement_withdraw(actor=request.user, customer=customer, on=form.cleaned_data["withdrawn_on"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, gettext("The agreement is withdrawn: the next fourteen-day letter goes by post."))
            return _back(request, customer, form.cleaned_data[PURPOSE_PARAM])
    return _page(request, customer, form, "withdraw")
