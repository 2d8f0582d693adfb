"""The portal's forms. Identifiers are checked with the same normal forms the services store."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email, normalise_phone, normalise_postcode
from waarborg.core.postcodes import country_choices

# The fields a customer corrects here, in the order of the form (all of customers.Contact).
CONTACT_FIELDS = ("first_name", "last_name", "street", "postcode", "town", "country", "email", "phone")

MESSAGES = {
    "postcode_nl": _("A Dutch postcode has four digits and two letters, for example 1234 AB."),
    "postcode": _("This is not a valid postcode."),
    "phone": _("This is not a valid phone number."),
    "email": _("This is not a valid e-mail address. For example: name@example.nl."),
}


class ContactForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    street = forms.CharField(
        label=_("Street and number"),
        max_length=160,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=12,
        required=False,
        help_text=_("For example: 1234 AB (Netherlands), 1000 (Belgium), 10115 (Germany)."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    town = forms.CharField(
        label=_("Town"), max_length=80, required=False, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    country = forms.ChoiceField(
        label=_("Country"), widget=forms.Select(attrs={"autocomplete": "country"}), choices=(), required=False
    )
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Where we send invoices and messages. The address you sign in with stays the same."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        required=False,
        help_text=_("For example: 06 12345678 or +31 20 123 4567."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, country: str = "NL", **kwargs):
        kwargs.setdefault("initial", {}).setdefault("country", country or "NL")
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()

    def clean(self):
        # The postcode and the phone number follow the rules of the country chosen (field order
        # puts the country after the postcode, so they are checked here, once it is known).
        data = super().clean()
        country = data["country"] = data.get("country") or self.initial["country"]
        postcode = (data.get("postcode") or "").strip()
        if postcode:
            try:
                data["postcode"] = normalise_postcode(postcode, country)
            except ValidationError as exc:
                self.add_error("postcode", exc.text())
        phone = (data.get("phone") or "").strip()
        if phone:
            try:
                data["phone"] = normalise_phone(phone, country)
            except ValidationError:
                self.add_error("phone", forms.ValidationError(MESSAGES["phone"], code="phone"))
        return data

    def clean_email(self) -> str:
        try:
            return normalise_email(self.cleaned_data["email"])
        except ValidationError:
            raise forms.ValidationError(MESSAGES["email"], code="email") from None

    def add_service_error(self, error: ValidationError) -> None:
        """A refusal of the service, shown at its field in the visitor's language."""
        self.add_error(error.field if error.field in self.fields else None, error.text())
