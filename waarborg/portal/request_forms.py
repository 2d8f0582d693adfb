"""The portal's privacy-request form: one form, with the fields of the type asked for.

There is no upload field: a signed-in customer is verified by the session (G8).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email, normalise_phone, normalise_postcode
from waarborg.portal.forms import MESSAGES
from waarborg.portal.presenters import phone_display
from waarborg.privacy.rectification import RECTIFIABLE
from waarborg.privacy.selectors import objectable_purposes
from waarborg.web import privacy_texts
from waarborg.web.privacy_forms import clean_destination

DESTINATIONS = (("me", _("To me")), ("organisation", _("To another organisation")))

DETAILS_LABELS = {
    "access": (_("Anything in particular you want to know? (optional)"), ""),
    "rectification": (_("Explanation (optional)"), _("For example why a detail is wrong.")),
    "erasure": (_("Explanation (optional)"), _("For example which data, or why you want it erased.")),
    "withdrawal": (_("Explanation (optional)"), ""),
    "objection": (
        _("Your reasons (optional)"),
        _("You may describe your particular situation; it helps us weigh your objection."),
    ),
    "portability": (_("Explanation (optional)"), ""),
    "restriction": (
        _("Why should we restrict the processing?"),
        _(
            "For example: you contest that the data is correct; the processing is unlawful but you do not want "
            "it erased; you need the data for a legal claim; or you objected and await our decision."
        ),
    ),
}


def _textarea():
    return forms.Textarea(attrs={"rows": 4})


class PortalRequestForm(forms.Form):
    """A request of one type; `service_kwargs()` gives what privacy_request_create takes."""

    def __init__(self, *args, type: str, contact=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = type
        self.contact = contact
        self.changes: dict[str, str] = {}
        if type == "rectification":
            self._add_rectification_fields()
        elif type == "withdrawal":
            self.fields["consent_kinds"] = forms.MultipleChoiceField(
                label=_("The consents you withdraw"),
                choices=privacy_texts.consent_choices(),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one consent.")},
            )
        elif type == "objection":
            self.fields["purposes"] = forms.MultipleChoiceField(
                label=_("The processing you object to"),
                help_text=_("Only processing that rests on your consent or on our legitimate interest can be stopped."),
                choices=privacy_texts.purpose_choices(objectable_purposes()),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one purpose.")},
            )
        elif type == "portability":
            self.fields["destination"] = forms.ChoiceField(
                label=_("Where should the data go?"),
                choices=DESTINATIONS,
                initial="me",
                widget=forms.RadioSelect,
            )
            self.fields["organisation_address"] = forms.CharField(
                label=_("The organisation's e-mail address or secure web address"),
                required=False,
                max_length=300,
                help_text=_(
                    "Only when we send the data to another organisation: an e-mail address, or an address that "
                    "starts with https:// where we deliver the data."
                ),
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
        label, help_text = DETAILS_LABELS[type]
        self.fields["details"] = forms.CharField(
            label=label,
            help_text=help_text,
            required=type == "restriction",
            max_length=4000,
            widget=_textarea(),
            error_messages={"required": _("Tell us why.")},
        )

    # --- rectification: one field per detail, the current value beside it ---

    def _add_rectification_fields(self) -> None:
        for name in RECTIFIABLE:
            current = getattr(self.contact, name, "") if self.contact is not None else ""
            shown = phone_display(current) if name == "phone" else current
            self.fields[name] = forms.CharField(
                label=privacy_texts.FIELDS[name],
                required=False,
                max_length=160 if name != "email" else 254,
                help_text=(_("Now: %(value)s") % {"value": shown}) if shown else _("Now: not filled in"),
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    @property
    def rectification_fields(self):
        return [self[name] for name in RECTIFIABLE if name in self.fields]

    def _normal(self, name: str, value: str) -> str:
        country = (getattr(self.contact, "country", "") or "NL") if self.contact is not None else "NL"
        try:
            if name == "email":
                return normalise_email(value)
            if name == "phone":
                return normalise_phone(value, country)
            if name == "postcode":
                return normalise_postcode(value, country)
        except ValidationError:
            key = "postcode_nl" if name == "postcode" and country == "NL" else name
            raise forms.ValidationError(MESSAGES[key], code=name) from None
        if name == "country":
            if len(value) != 2 or not value.isalpha():
                raise forms.ValidationError(_("A country is a two-letter code, such as NL."), code="country")
            return value.upper()
        return " ".join(value.split())

    def _clean_rectification(self, cleaned: dict) -> None:
        for name in RECTIFIABLE:
            value = (cleaned.get(name) or "").strip()
            if not value or name in self.errors:
                continue
            try:
                value = self._normal(name, value)
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            if value != (getattr(self.contact, name, "") or ""):
                self.changes[name] = value
        if not self.errors and not self.changes:
            raise forms.ValidationError(
                _("Fill in at least one detail that differs from what we hold now."), code="no_changes"
            )

    # --- portability: to me, or to an organisation by e-mail or https ---

    def _clean_portability(self, cleaned: dict) -> None:
        if cleaned.get("destination") != "organisation":
            cleaned["organisation_address"] = ""
            return
        address = (cleaned.get("organisation_address") or "").strip()
        if not address:
            self.add_error("organisation_address", _("Give its e-mail address or a web address with https://."))
            return
        try:
            cleaned["organisation_address"] = clean_destination(address)
        except forms.ValidationError as error:
            self.add_error("organisation_address", error)

    def clean(self):
        cleaned = super().clean()
        if self.type == "rectification":
            self._clean_rectification(cleaned)
        elif self.type == "portability":
            self._clean_portability(cleaned)
        return cleaned

    def transmit_to(self) -> str:
        data = self.cleaned_data
        if self.type != "portability" or data.get("destination") != "organisation":
            return ""
        return data["organisation_address"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "type": self.type,
            "details": data.get("details", ""),
            "purposes": data.get("purposes", ()),
            "consent_kinds": data.get("consent_kinds", ()),
            "changes": dict(self.changes),
            "transmit_to": self.transmit_to(),
        }


# Where a refusal of privacy_request_create belongs in this form.
SERVICE_FIELDS = {"transmit_to": "organisation_address", "changes": None, "channel": None, "type": None}
