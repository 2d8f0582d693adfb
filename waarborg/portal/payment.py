"""Payment details in the portal: the customer's payment methods (IBAN only masked) and a SEPA
direct-debit mandate added with a form that checks the IBAN (schwifty: country format and
check digits) before the billing service stores it encrypted."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from waarborg.auth_web.decorators import customer_required
from waarborg.billing.selectors import payment_method_list_for
from waarborg.billing.services import payment_method_add
from waarborg.core.errors import ValidationError


class MandateForm(forms.Form):
    holder_name = forms.CharField(label=_("Account holder"), max_length=120)
    iban = forms.CharField(label=_("IBAN"), max_length=42, help_text=_("For example NL91 ABNA 0417 1643 00"))
    agree = forms.BooleanField(label=_("I authorise direct debits from this account for my invoices"))

    def clean_iban(self):
        try:
            return IBAN(self.cleaned_data["iban"]).compact
        except SchwiftyException:
            # The message names the field, never the value typed.
            raise forms.ValidationError(_("This is not a valid IBAN.")) from None


@never_cache
@customer_required
@require_http_methods(["GET", "POST"])
def payment_methods(request):
    customer = request.user.contact.customer
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment_method_add(
                actor=request.user,
                customer=customer,
                kind="sepa_mandate",
                iban=form.cleaned_data["iban"],
                holder_name=form.cleaned_data["holder_name"],
            )
        except ValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text())
        else:
            return redirect("portal:payment_methods")
    methods = payment_method_list_for(viewer=request.user, customer=customer)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/payment_methods.html", {"form": form, "methods": methods}, status=status)
