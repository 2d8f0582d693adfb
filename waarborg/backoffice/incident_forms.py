"""Forms of the incident register's back-office screens: the filters, registering, and one form
per action on an incident. They check what a form can; the services decide the rest,
and their refusals are shown at the field they name."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waarborg.backoffice.forms import NO_HISTORY
from waarborg.core import datamap
from waarborg.incidents.models import Incident
from waarborg.incidents.validation import DESCRIPTION_MAX, REFERENCE_MAX, TEXT_MAX

_MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def _text(label, *, required=True, help_text="", rows=3, max_length=TEXT_MAX):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
        error_messages={"required": _("This field is required.")},
    )


def _moment(label, *, required=False, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=_MOMENT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Enter a date and time, such as 2026-03-02 14:30.")},
    )


NO_PERSONAL_DATA = _("No names, addresses or numbers of people: describe, do not copy.")


# --- The register -------------------------------------------------------------------------


class FilterForm(forms.Form):
    """Codes only, so the filters may travel in the URL."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    breach = forms.ChoiceField(label=_("Assessment"), required=False)
    due = forms.ChoiceField(label=_("72-hour clock"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("open", _("Open")),
            ("new", _("New, not assessed yet")),
            ("assessed", _("Assessed")),
            ("closed", _("Closed")),
            ("all", _("All, closed ones too")),
        ]
        self.fields["breach"].choices = [
            ("", _("Any")),
            ("untriaged", _("Not triaged yet")),
            ("abuse", _("Abuse")),
            ("security", _("Security incident")),
            ("breach", _("Triaged as a breach")),
            ("unassessed", _("Not assessed yet")),
            ("yes", _("Personal-data breach")),
            ("reportable", _("Breach to notify")),
            ("no", _("No breach")),
        ]
        self.fields["due"].choices = [
            ("", _("Any")),
            ("running", _("Clock running")),
            ("soon", _("24 hours left or fewer")),
            ("overdue", _("Overdue")),
            ("late", _("Notified late")),
        ]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"status": "open", "breach": "", "due": ""}
        data = self.cleaned_data
        return {
            "status": data.get("status") or "open",
            "breach": data.get("breach") or "",
            "due": data.get("due") or "",
        }


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=lambda: kind_choices(),
        initial="breach",
        required=False,  # not given: a suspected breach, as before the triage existed
        help_text=_("Only a personal-data breach has the 72-hour clock."),
    )
    channel = forms.ChoiceField(
        label=_("How it came in"),
        choices=(("staff", _("Staff (phone, e-mail, a colleague)")), ("system", _("System (monitoring, logs)"))),
        initial="staff",
    )
    description = _text(_("What happened"), rows=6, max_length=DESCRIPTION_MAX)
    received_at = _moment(_("Received"), help_text=_("Empty: now."))
    aware_at = _moment(
        _("Aware since"),
        help_text=_(
            "When we became reasonably certain that it happened — not when the investigation ends. The 72 hours "
            "count from here. Empty: when it was received."
        ),
    )
    reporter_email = forms.EmailField(
        label=_("Reporter's e-mail address (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs=NO_HISTORY),
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.com.")},
    )


REGISTER_FIELDS = {"description": "description", "received_at": "received_at", "aware_at": "aware_at", "kind": "kind"}


# --- Actions on one incident ----------------------------------------------------------------


class ActionForm(forms.Form):
    """Knows its incident; `action` is the URL part it posts to. Each form has its own prefix, so
    several on one page keep their field ids apart."""

    action = ""
    service_fields: dict[str, str] = {}

    def __init__(self, *args, incident: Incident, **kwargs):
        kwargs.setdefault("prefix", self.action.replace("-", "_"))
        super().__init__(*args, **kwargs)
        self.incident = incident


class TriageForm(ActionForm):
    action = "trieren"
    service_fields = {"kind": "kind", "aware_at": "aware_at", "triage_reasons": "reasons"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("What is it?"),
            choices=kind_choices(),
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose the kind of incident.")},
        )
        self.fields["aware_at"] = _moment(
            _("Aware since (a breach only)"),
            help_text=_(
                "When we became reasonably certain that personal data was involved: not before the report was "
                "received, not after now. The 72 hours count from here. Empty: now."
            ),
        )
        self.fields["reasons"] = _text(
            _("Reasons for this triage"),
            help_text=_("Why this kind; for a breach, why we were aware from that moment."),
            rows=3,
        )


class AssessForm(ActionForm):
    action = "beoordelen"
    service_fields = {"reasons": "reasons"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incident = self.incident
        self.fields["is_breach"] = forms.TypedChoiceField(
            label=_("Is it a personal-data breach?"),
            choices=(
                ("yes", _("Yes: personal data was lost, seen or changed by someone not allowed to")),
                ("no", _("No")),
            ),
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            initial=None if incident.is_breach is None else ("yes" if incident.is_breach else "no"),
            error_messages={"required": _("Say whether it is a personal-data breach.")},
        )
        self.fields["risk"] = forms.ChoiceField(
            label=_("Risk to the people affected"),
            required=False,
            choices=[("", _("(not a breach)")), *[(c, label) for c, label in risk_choices()]],
            initial=incident.risk,
            help_text=_("A risk: notify the authority within 72 hours. A high risk: inform the people too."),
        )
        self.fields["categories"] = forms.MultipleChoiceField(
            label=_("Data affected"),
            required=False,
            choices=[
                (code, f"{code} — {names[0] if _nl() else names[1]}") for code, names in datamap.CATEGORIES.items()
            ],
            widget=forms.CheckboxSelectMultiple,
            initial=incident.categories,
        )
        self.fields["subjects_count"] = forms.IntegerField(
            label=_("About how many people"),
            required=False,
            min_value=0,
            initial=incident.subjects_count,
            error_messages={"invalid": _("Enter a whole number.")},
        )
        self.fields["consequences"] = _text(
            _("Likely consequences"), required=False, help_text=NO_PERSONAL_DATA, rows=3
        )
        self.fields["consequences"].initial = incident.consequences
        self.fields["measures"] = _text(
            _("Measures taken or proposed"), required=False, help_text=NO_PERSONAL_DATA, rows=3
        )
        self.fields["measures"].initial = incident.measures
        self.fields["reasons"] = _text(
            _("Reasons for this assessment"),
            help_text=_("Why it is (not) a breach, why this risk, and so why it is (not) notified."),
            rows=3,
        )
        self.fields["reasons"].initial = incident.assessment_reasons


class NotifyForm(ActionForm):
    action = "melden-ap"
    service_fields = {"notified_at": "notified_at", "delay_reasons": "delay_reasons", "reference": "reference"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notified_at"] = _moment(_("Notified at"), help_text=_("Empty: now."))
        self.fields["reference"] = forms.CharField(
            label=_("Reference of the notification"),
            max_length=REFERENCE_MAX,
            help_text=_("The number the Autoriteit Persoonsgegevens gave the notification."),
            widget=forms.TextInput(attrs=NO_HISTORY),
            error_messages={"required": _("Enter the reference of the notification.")},
        )
        self.fields["delay_reasons"] = _text(
            _("Reasons for the delay"),
            required=False,
            rows=3,
            help_text=_("Required when the notification is made more than 72 hours after becoming aware."),
        )


class InformForm(ActionForm):
    action = "betrokkenen"
    service_fields = {"how": "how", "ground": "ground", "informed_at": "informed_at", "explanation": "explanation"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["how"] = forms.ChoiceField(
            label=_("Informed how"),
            required=False,
            choices=[("", _("(not informed)")), *informed_choices()],
        )
        self.fields["informed_at"] = _moment(_("Informed at"), help_text=_("Empty: now."))
        self.fields["ground"] = forms.ChoiceField(
            label=_("Or: why they are not informed individually (art. 34(3))"),
            required=False,
            choices=[("", _("(they were informed)")), *ground_choices()],
        )
        self.fields["explanation"] = _text(
            _("Explanation"),
            required=False,
            rows=3,
            help_text=_(
                "Required with a ground: how the data was protected, which measure removed the risk, or where the public notice is."
            ),
        )


class CloseForm(ActionForm):
    action = "sluiten"
    service_fields = {"conclusion": "conclusion"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conclusion"] = _text(_("Conclusion"), required=False, rows=3, help_text=NO_PERSONAL_DATA)


class CustomersForm(ActionForm):
    action = "klanten-informeren"
    service_fields = {"customer_numbers": "customer_numbers"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer_numbers"] = forms.CharField(
            label=_("Customer numbers"),
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3, **NO_HISTORY}),
            help_text=_(
                "The customers whose own sites or mailboxes the breach touched, separated by spaces, commas or lines. "
                "We are their processor: each is told by e-mail, within 24 hours of becoming aware."
            ),
            error_messages={"required": _("Enter the customer numbers.")},
        )

    def clean_customer_numbers(self):
        return [n for n in re.split(r"[\s,;]+", self.cleaned_data["customer_numbers"]) if n]


ACTION_FORMS = {
    form.action: form for form in (TriageForm, AssessForm, NotifyForm, InformForm, CustomersForm, CloseForm)
}


def _nl() -> bool:
    return not (get_language() or "nl").startswith("en")


def kind_choices():
    return [
        ("abuse", _("Abuse: spam, phishing or malware on a customer's site")),
        ("security", _("Security incident, no personal data involved")),
        ("breach", _("Personal-data breach: the 72-hour clock runs")),
    ]


def risk_choices():
    return [
        ("none", _("Unlikely to result in a risk (not notified)")),
        ("risk", _("A risk to people (notify the authority)")),
        ("high", _("A high risk to people (notify the authority and inform the people)")),
    ]


def informed_choices():
    return [
        ("email", _("By e-mail")),
        ("letter", _("By letter")),
        ("phone", _("By phone")),
        ("public", _("Public communication (art. 34(3)(c))")),
    ]


def ground_choices():
    return [
        ("unintelligible", _("The data was unintelligible to others, e.g. encrypted (art. 34(3)(a))")),
        ("risk_removed", _("Later measures removed the high risk (art. 34(3)(b))")),
        ("disproportionate", _("Disproportionate effort; a public notice instead (art. 34(3)(c))")),
    ]
