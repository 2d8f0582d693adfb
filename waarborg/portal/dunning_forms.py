"""The forms a customer contests a dunning step with, or asks for a person (X4).

The reason is required and kept within the service's length; a number that looks like a BSN is
refused here, before anything is stored (a BSN is never stored, G8).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.privacy.validation import contains_bsn

STATEMENT_MAX = 4000  # what contest_submit keeps

KINDS = (
    ("contest", _("I disagree: I object to this step")),
    ("person", _("I would like an employee to contact me")),
)
LABELS = {
    "contest": (
        _("Why do you disagree?"),
        _("For example: the invoice is wrong, you paid already, or you cancelled the service. An employee reads this."),
    ),
    "person": (
        _("What should the employee know?"),
        _("For example what you would like to discuss, or when and how we can best reach you."),
    ),
}


def _statement_field(kind: str) -> forms.CharField:
    label, help_text = LABELS.get(kind, LABELS["contest"])
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Tell us in a few words: an employee reads this before deciding."),
            "max_length": _("Keep it to %(limit_value)d characters, please."),
        },
    )


class DunningLinkForm(forms.Form):
    """The page behind a notice's contest or person link: the kind is the link's."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["statement"] = _statement_field(kind)

    def clean_statement(self) -> str:
        text = self.cleaned_data["statement"].strip()
        if not text:
            raise forms.ValidationError(self.fields["statement"].error_messages["required"], code="required")
        if contains_bsn(text):
            raise forms.ValidationError(
                _(
                    "This contains a number that looks like a citizen service number (BSN). "
                    "We never store one: leave it out."
                ),
                code="bsn",
            )
        return text


class PortalDunningForm(DunningLinkForm):
    """From the invoice page, signed in: contest the step, or ask for a person."""

    def __init__(self, *args, kind: str = "contest", **kwargs):
        super().__init__(*args, kind=kind, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("What would you like?"),
            choices=KINDS,
            initial=kind,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose one."), "invalid_choice": _("Choose one.")},
        )
        self.order_fields(["kind", "statement"])
        self.fields["statement"].label = _("Your explanation")
        self.fields["statement"].help_text = _(
            "Why you disagree, or what an employee should know. An employee reads this before deciding."
        )
