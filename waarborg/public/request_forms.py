"""The public privacy-request form and the ID-copy upload form (no sign-in).

Identifiers are checked for their form here; who they belong to is the privacy services' to
find out, and the page never says (G8).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import (
    normalise_name,
)
from waarborg.privacy import storage
from waarborg.privacy.selectors import objectable_purposes
from waarborg.privacy.validation import contains_bsn
from waarborg.web import privacy_texts
from waarborg.web.privacy_forms import IdentifierCleaning

IDENTIFIERS = ("email", "name", "postcode", "phone", "customer_number")
BSN_MESSAGE = _(
    "This contains a number that looks like a citizen service number (BSN). We never store one: leave it out."
)


class PublicRequestForm(IdentifierCleaning, forms.Form):
    type = forms.ChoiceField(
        label=_("What do you ask for?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you ask for.")},
    )
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to this address to confirm that the request is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Give your e-mail address: we send the confirmation there.")},
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=160,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    postcode = forms.CharField(
        label=_("Your postcode (optional)"),
        required=False,
        max_length=12,
        help_text=_(
            "Name and postcode together help us find your data, for example when you write from another address."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    phone = forms.CharField(
        label=_("Your phone number (optional)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    customer_number = forms.CharField(
        label=_("Customer number (optional)"),
        required=False,
        max_length=12,
        help_text=_("If you are or were a customer: it is on every invoice, for example K123456."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 12}),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Objection: the processing you object to"),
        required=False,
        help_text=_("Leave all unticked to object to every processing that can be stopped."),
        widget=forms.CheckboxSelectMultiple,
    )
    consent_kinds = forms.MultipleChoiceField(
        label=_("Withdrawal: the consents you withdraw"),
        required=False,
        help_text=_("Leave all unticked to withdraw every consent."),
        widget=forms.CheckboxSelectMultiple,
    )
    transmit_to = forms.CharField(
        label=_("Data portability: send my data to this organisation (optional)"),
        required=False,
        max_length=300,
        help_text=_(
            "Its e-mail address, or a web address that starts with https:// where we deliver the data. "
            "Leave empty to receive the data yourself."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    details = forms.CharField(
        label=_("Your request"),
        required=False,
        max_length=4000,
        help_text=_("For a correction: what is wrong, and what it should be. Otherwise anything that helps us."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    # The fields each type uses besides the identifiers and the details.
    TYPE_FIELDS = {"objection": ("purposes",), "withdrawal": ("consent_kinds",), "portability": ("transmit_to",)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = privacy_texts.type_choices()
        self.fields["purposes"].choices = privacy_texts.purpose_choices(objectable_purposes())
        self.fields["consent_kinds"].choices = privacy_texts.consent_choices()

    identifier_messages = {
        "email": _("This is not a valid e-mail address. For example: name@example.nl."),
        "phone": _("This is not a valid phone number."),
        "postcode": _("This is not a valid postcode."),
        "customer_number": _("A customer number is a K followed by 5 to 9 digits, such as K123456."),
    }

    def clean_name(self):
        value = " ".join((self.cleaned_data.get("name") or "").split())
        if not value:
            return ""
        if contains_bsn(value):
            raise forms.ValidationError(BSN_MESSAGE, code="bsn")
        try:
            normalise_name(value)
        except ValidationError:
            raise forms.ValidationError(_("Enter the letters of a name."), code="invalid") from None
        return value

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        type_ = data["type"]
        wanted = self.TYPE_FIELDS.get(type_, ())
        return {
            "type": type_,
            **{name: data.get(name, "") for name in IDENTIFIERS},
            "details": data.get("details", ""),
            "purposes": data.get("purposes", ()) if "purposes" in wanted else (),
            "consent_kinds": data.get("consent_kinds", ()) if "consent_kinds" in wanted else (),
            "transmit_to": data.get("transmit_to", "") if "transmit_to" in wanted else "",
        }


class IdUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Copy of your identity document"),
        help_text=_("A PDF, JPEG or PNG file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={"required": _("Choose the file with the copy."), "empty": _("The file is empty.")},
    )
    redaction_confirmed = forms.BooleanField(
        label=_(
            "I have blacked out my photo, the MRZ strip (the lines of characters at the bottom), "
            "the document number and my citizen service number (BSN)."
        ),
        error_messages={"required": _("Black out these parts first, and confirm that you did.")},
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > storage.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."), code="size")
        return upload

    def content(self) -> tuple[bytes, str]:
        """The file's bytes and its type, by what the bytes are (the browser's word is a hint)."""
        upload = self.cleaned_data["document"]
        content = upload.read()
        for content_type, signatures in storage.SIGNATURES.items():
            if content.startswith(signatures):
                return content, content_type
        return content, upload.content_type or ""


SERVICE_FIELDS = {"customer": "customer_number", "changes": "details", "channel": None, "file": "document"}
