"""Form checks the privacy-request screens share (portal, public form, back office)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import (
    normalise_customer_number,
    normalise_email,
    normalise_phone,
    normalise_postcode,
)
from waarborg.privacy.delivery import check_push_url


def clean_destination(value: str) -> str:
    """Where a portability package goes besides the subject: an organisation's e-mail address,
    or an https:// address it is delivered to (the privacy app's own rule, `check_push_url`)."""
    text = (value or "").strip()
    if not text:
        return ""
    if "://" in text:
        try:
            return check_push_url(text)
        except ValidationError:
            raise forms.ValidationError(
                _("Use a secure web address that starts with https://, without a user name or password."),
                code="insecure",
            ) from None
    try:
        return normalise_email(text)
    except ValidationError:
        raise forms.ValidationError(
            _("Give the organisation's e-mail address, or a web address that starts with https://."), code="invalid"
        ) from None


class IdentifierCleaning:
    """The clean_* methods of a form's identifier fields (e-mail, phone, postcode, customer
    number, and a portability destination): an empty field stays empty, a filled one is
    normalised or refused with the form's own words from `identifier_messages`."""

    identifier_messages: dict[str, str] = {}

    def _normal(self, name, normalise):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return ""
        try:
            return normalise(value)
        except ValidationError:
            raise forms.ValidationError(self.identifier_messages[name], code="invalid") from None

    def clean_email(self):
        return self._normal("email", normalise_email)

    def clean_phone(self):
        return self._normal("phone", normalise_phone)

    def clean_postcode(self):
        return self._normal("postcode", normalise_postcode)

    def clean_customer_number(self):
        return self._normal("customer_number", normalise_customer_number)

    def clean_transmit_to(self):
        if self.data.get("type") != "portability":
            return ""  # belongs to a portability request only
        return clean_destination(self.cleaned_data.get("transmit_to", ""))
