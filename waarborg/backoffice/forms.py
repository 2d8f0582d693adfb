"""Forms of the back office: the customer search, the purpose of an opening, the audit filters."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.backoffice import purposes
from waarborg.backoffice.selectors import SEARCH_KINDS
from waarborg.core import roles
from waarborg.core.errors import ValidationError as DomainValidationError
from waarborg.core.identifiers import (
    normalise_customer_number,
    normalise_domain,
    normalise_email,
    normalise_name,
    normalise_phone,
)

PURPOSE_PARAM = "doel"  # the purpose travels in the link to a customer's record: a code only

# Inputs that hold identifiers or other personal data: the browser must not remember them.
NO_HISTORY = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


def _purpose_field(role: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Purpose"),
        choices=purposes.choices_for(role),
        initial=purposes.usual_purpose(role),
        help_text=_("Why you open customers' data. It is recorded with every search and every record you open."),
        error_messages={
            "required": _("Choose the purpose."),
            "invalid_choice": _("Choose one of the purposes in the list."),
        },
    )


class CustomerSearchForm(forms.Form):
    """Search by name, customer number, e-mail, phone or domain; every given criterion must match."""

    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Name of the customer or of a contact person, or a part of it."),
        widget=forms.TextInput(attrs=NO_HISTORY),
    )
    customer_number = forms.CharField(
        label=_("Customer number"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={**NO_HISTORY, "size": 12}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs=NO_HISTORY),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={**NO_HISTORY, "type": "tel"}),
    )
    domain = forms.CharField(
        label=_("Domain name"),
        required=False,
        max_length=253,
        help_text=_("The domain or host name of a service."),
        widget=forms.TextInput(attrs=NO_HISTORY),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields = {"purpose": _purpose_field(viewer.role), **self.fields}
        # A criterion the role may not search by is not offered; posted anyway, it finds nothing.
        self.offered = [kind for kind, scope in SEARCH_KINDS.items() if roles.can(viewer, scope)]
        for kind in SEARCH_KINDS:
            if kind not in self.offered:
                self.fields[kind].widget = forms.HiddenInput()

    def _normal(self, kind: str, normalise, message) -> str:
        value = self.cleaned_data.get(kind, "")
        if not value or kind not in self.offered:
            return value  # not offered: kept as given, and the search refuses it
        try:
            return normalise(value)
        except DomainValidationError:
            raise forms.ValidationError(message, code="invalid") from None

    def clean_name(self):
        # Names are matched as typed (case-insensitively): the stored names keep their accents.
        value = " ".join(self.cleaned_data.get("name", "").split())
        if not value:
            return ""
        try:
            normalise_name(value)
        except DomainValidationError:
            raise forms.ValidationError(_("Enter the letters of a name."), code="invalid") from None
        if len(value) < 2:
            raise forms.ValidationError(_("Enter at least two characters of the name."), code="short")
        return value

    def clean_customer_number(self):
        return self._normal(
            "customer_number",
            normalise_customer_number,
            _("A customer number is a K followed by 5 to 9 digits, such as K123456."),
        )

    def clean_email(self):
        return self._normal("email", normalise_email, _("Enter a valid e-mail address, such as name@example.com."))

    def clean_phone(self):
        return self._normal("phone", normalise_phone, _("Enter a valid phone number, such as 06 12345678."))

    def clean_domain(self):
        value = self._normal("domain", normalise_domain, _("Enter a valid domain name, such as example.com."))
        if value and "domain" in self.offered and not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", value):
            raise forms.ValidationError(_("Enter a valid domain name, such as example.com."), code="invalid")
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(kind) for kind in SEARCH_KINDS):
            raise forms.ValidationError(_("Fill in at least one field to search by."), code="empty")
        return cleaned

    def criteria(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in SEARCH_KINDS if self.cleaned_data.get(kind)}

    def visible_criteria(self):
        return [self[kind] for kind in self.offered]


class PurposeForm(forms.Form):
    """The purpose of opening one customer's record; sent with GET, as it holds only a code."""

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[PURPOSE_PARAM] = _purpose_field(viewer.role)

    @property
    def purpose(self):
        return self[PURPOSE_PARAM]


_CODE = r"^[a-z][a-z0-9_.-]*$"
_REF = r"^[a-z][a-z0-9_.-]*(:[a-z0-9_.-]+)?$"


def _code_field(label, help_text, pattern=_CODE, max_length=64):
    return forms.RegexField(
        label=label,
        regex=pattern,
        required=False,
        max_length=max_length,
        help_text=help_text,
        error_messages={"invalid": _("Use only the code as it appears in the trail.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AuditFilterForm(forms.Form):
    """Filters of the audit trail: codes and ids only, so they may travel in the URL."""

    action = _code_field(_("Action"), _("For example customer.view"))
    actor = _code_field(_("Actor"), _("For example account:12 or system"), pattern=_REF)
    object_type = _code_field(_("Object type"), _("For example customers.customer"))
    purpose = forms.ChoiceField(label=_("Purpose"), required=False)
    subject_ref = _code_field(_("Data subject"), _("For example customer:12"), pattern=_REF)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, vocabulary=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", _("All purposes")), *purposes.all_choices()]
        for name, values in (vocabulary or {}).items():
            if values:
                self.fields[name].widget.attrs["list"] = f"{name}-suggestions"
        self.vocabulary = vocabulary or {}

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date lies before the start date."))
        return cleaned

    def filters(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
