"""The form of the public page "Misbruik melden" (B6): what someone noticed and, optionally, an
address for the confirmation. Its limits match the incident register's own."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.incidents.validation import DESCRIPTION_MAX


class ReportForm(forms.Form):
    """Anyone's report of suspected misuse: what they noticed and, if they like, an address."""

    description = forms.CharField(
        label=_("What did you notice?"),
        max_length=DESCRIPTION_MAX,
        help_text=_(
            "What happened, when, and which data or which service it concerns. Do not send us passwords "
            "or a citizen service number (BSN)."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": DESCRIPTION_MAX}),
        error_messages={
            "required": _("Describe what you noticed."),
            "max_length": _("Keep it under %(limit_value)d characters; you can send more after our reply."),
        },
    )
    reporter_email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=_("Only to confirm your report and to ask you more about it, if needed."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.com.")},
    )
    # A field people do not see: a form that fills it in is a robot.
    website = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
