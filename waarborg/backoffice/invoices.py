"""Finance's invoice page: the invoice with its structured payment reference and the account to pay
to, the payments received, the dunning case it is in — and registering a payment received by
transfer (amount, date, the reference on the bank statement), which closes the dunning case and
lifts the non-payment blocks as every payment does (billing.services.payment_record → the
dunning payment hook). A bank line's reference finds its invoice (`find`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from waarborg.audit.services import audit_record
from waarborg.auth_web.decorators import staff_required
from waarborg.billing.models import Invoice
from waarborg.billing.payment_reference import how_to_pay, invoice_id_of
from waarborg.billing.selectors import invoice_get_for, invoice_list_for, payment_list_for
from waarborg.billing.services import payment_record
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.customers.services import customer_ref
from waarborg.dunning.selectors import dunning_cases_for, invoice_costs_owed_for

PURPOSE = "U4"  # checking payments


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount received"), min_value=Decimal("0.01"), decimal_places=2)
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, initial="EUR")
    received_on = forms.DateField(
        label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference on the bank statement"),
        max_length=140,
        required=False,
        help_text=gettext_lazy("The payment reference or description as the bank shows it."),
    )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > clock.today():
            raise forms.ValidationError(_("The day received lies in the future."))
        return day

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()


def _case_costs(viewer, invoice: Invoice):
    """The active dunning case of the invoice's customer, and the collection costs owed with it."""
    case = next(iter(dunning_cases_for(viewer=viewer, customer=invoice.customer_id, active_only=True)), None)
    return case, invoice_costs_owed_for(viewer=viewer, invoice=invoice)


def _page(request, invoice: Invoice, form: PaymentForm, status: int = 200):
    case, costs = _case_costs(request.user, invoice)
    return render(
        request,
        "backoffice/invoice.html",
        {
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "payments": list(payment_list_for(viewer=request.user, invoice=invoice)),
            "pay": how_to_pay(invoice, costs=costs),
            "case": case,
            "form": form,
            "may_register": invoice.status == Invoice.Status.OPEN,
            "crumbs": [
                {"label": gettext_lazy("Invoices"), "url": reverse("backoffice:invoices")},
                {"label": invoice.number, "url": None},
            ],
        },
        status=status,
    )


@never_cache
@staff_required("invoices")
@require_http_methods(["GET", "POST"])
@transaction.atomic
def detail(request, pk: int):
    invoice = invoice_get_for(viewer=request.user, pk=pk)  # NotFound (404) for anyone else's
    audit_record(
        actor=request.user,
        action="invoice.read",
        purpose=PURPOSE,
        object_type="billing.invoice",
        object_ids=[invoice.pk],
        subject_ref=customer_ref(invoice.customer_id),
        data={"fields": ["number", "name_printed", "address_printed", "lines", "payments"]},
    )
    if request.method != "POST":
        return _page(request, invoice, PaymentForm(initial={"received_on": clock.today(), "currency": "EUR"}))
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        received = dt.datetime.combine(data["received_on"], dt.time(12, 0), tzinfo=clock.AMSTERDAM)
        try:
            with transaction.atomic():
                payment_record(
                    actor=request.user,
                    invoice=invoice,
                    amount=data["amount"],
                    currency=data["currency"],
                    received_at=received,
                    reference=data["reference"],
                )
        except ValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text())
        else:
            messages.success(request, _("The payment is registered."))
            return redirect(reverse("backoffice:invoice", args=[invoice.pk]))
    return _page(request, invoice, form, status=400)


@never_cache
@staff_required("invoices")
@require_GET
def find(request):
    """An invoice by its payment reference (as on a bank statement) or its number."""
    text = (request.GET.get("kenmerk") or "").strip()
    pk = invoice_id_of(text)
    candidates = invoice_list_for(viewer=request.user)
    invoice = (candidates.filter(pk=pk) if pk else candidates.filter(number__iexact=text)).first() if text else None
    if invoice is None:
        messages.error(request, _("No invoice has this payment reference or number."))
        return redirect(reverse("backoffice:invoices"))
    return redirect(reverse("backoffice:invoice", args=[invoice.pk]))
