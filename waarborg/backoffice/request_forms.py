"""Forms of the privacy-request screens: the queue's filters, registering a request, and one
form per action on a request. They check what a form can (required, choices, dates); the
privacy services decide the rest, and their refusals are shown at the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.backoffice.forms import NO_HISTORY
from waarborg.core import clock, datamap
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.rectification import RECTIFIABLE
from waarborg.privacy.selectors import objectable_purposes
from waarborg.web import privacy_texts
from waarborg.web.privacy_forms import IdentifierCleaning


def _text(label, *, required=True, help_text="", rows=3, max_length=4000, required_message=None):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message or _("This field is required.")},
    )


def _by_post(request: PrivacyRequest | None):
    no_email = request is not None and not request.email
    return forms.BooleanField(
        label=_("I send this by post (print the letter on the next page)"),
        required=False,
        initial=no_email,
        help_text=_("This request has no e-mail address: the answer goes by post.") if no_email else "",
    )


# --- The queue ----------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """Codes only, so the filters may travel in the URL."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    due = forms.ChoiceField(label=_("Term"), required=False)
    handler = forms.ChoiceField(label=_("Handler"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All types")), *privacy_texts.type_choices()]
        self.fields["status"].choices = [
            ("open", _("Open")),
            *[(code, str(name)) for code, name in privacy_texts.STATUSES.items()],
            ("all", _("All, closed ones too")),
        ]
        self.fields["due"].choices = [
            ("", _("Any date")),
            ("overdue", _("Overdue")),
            ("soon", _("Due within a week")),
            ("late", _("Past the legal date")),
        ]
        self.fields["handler"].choices = [("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody yet"))]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"status": "open"}
        data = self.cleaned_data
        return {name: data.get(name) or "" for name in ("type", "status", "due", "handler")} | {
            "status": data.get("status") or "open"
        }


class MonthForm(forms.Form):
    maand = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")},
    )


# --- Registering a request that came by e-mail, post or phone ------------------------------


class RegisterForm(IdentifierCleaning, forms.Form):
    type = forms.ChoiceField(label=_("Type of request"))
    channel = forms.ChoiceField(label=_("Received by"))
    received = forms.DateField(
        label=_("Date received"),
        help_text=_("The day the request reached us; the terms count from it."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date the request was received."), "invalid": _("Enter a date.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the answer"), choices=(("nl", "Nederlands"), ("en", "English")), initial="nl"
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Where the request came from, or where the requester wants the answer."),
        widget=forms.EmailInput(attrs=NO_HISTORY),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={**NO_HISTORY, "type": "tel"}),
    )
    customer_number = forms.CharField(
        label=_("Customer number"), required=False, max_length=12, widget=forms.TextInput(attrs=NO_HISTORY)
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=160, widget=forms.TextInput(attrs=NO_HISTORY))
    postcode = forms.CharField(
        label=_("Postcode"), required=False, max_length=12, widget=forms.TextInput(attrs={**NO_HISTORY, "size": 8})
    )
    details = _text(_("The request in the requester's words"), required=False, rows=4)
    purposes = forms.MultipleChoiceField(
        label=_("Objection: the purposes objected to"),
        required=False,
        help_text=_("None ticked: every purpose that can be objected to."),
        widget=forms.CheckboxSelectMultiple,
    )
    consent_kinds = forms.MultipleChoiceField(
        label=_("Withdrawal: the consents withdrawn"),
        required=False,
        help_text=_("None ticked: every consent."),
        widget=forms.CheckboxSelectMultiple,
    )
    transmit_to = forms.CharField(
        label=_("Portability: the organisation to send the data to"),
        required=False,
        max_length=300,
        help_text=_("Its e-mail address, or an https:// address; empty: to the requester."),
        widget=forms.TextInput(attrs=NO_HISTORY),
    )
    start_check = forms.BooleanField(
        label=_("Send the identity check now"),
        required=False,
        initial=True,
        help_text=_(
            "A one-time link to the e-mail address on file; otherwise a link to upload a redacted ID copy "
            "(without an e-mail address: shown for a letter)."
        ),
    )

    TYPE_FIELDS = {"objection": "purposes", "withdrawal": "consent_kinds", "portability": "transmit_to"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "—"), *privacy_texts.type_choices()]
        self.fields["channel"].choices = [
            ("", "—"),
            *[(c, str(privacy_texts.CHANNELS[c])) for c in ("email", "post", "phone")],
        ]
        self.fields["purposes"].choices = privacy_texts.purpose_choices(objectable_purposes())
        self.fields["consent_kinds"].choices = privacy_texts.consent_choices()
        self.fields["received"].initial = clock.today()

    def clean_received(self):
        day = self.cleaned_data["received"]
        if day > clock.today():
            raise forms.ValidationError(_("The date received lies in the future."), code="future")
        return day

    identifier_messages = {
        "email": _("Enter a valid e-mail address, such as name@example.com."),
        "phone": _("Enter a valid phone number, such as 06 12345678."),
        "postcode": _("Enter a valid postcode, such as 1234 AB."),
        "customer_number": _("A customer number is a K followed by 5 to 9 digits, such as K123456."),
    }

    def clean(self):
        cleaned = super().clean()
        names = ("email", "phone", "customer_number", "name", "postcode")
        if not self.errors and not any(cleaned.get(n) for n in names):
            raise forms.ValidationError(
                _(
                    "Give at least one identifier: e-mail address, phone number, customer number, or name with postcode."
                ),
                code="no_identifier",
            )
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        own = self.TYPE_FIELDS.get(data["type"])
        return {
            "type": data["type"],
            "channel": data["channel"],
            "received_at": data["received"],
            "language": data["language"],
            "email": data["email"],
            "phone": data["phone"],
            "customer_number": data["customer_number"],
            "name": data["name"],
            "postcode": data["postcode"],
            "details": data["details"],
            "purposes": data["purposes"] if own == "purposes" else (),
            "consent_kinds": data["consent_kinds"] if own == "consent_kinds" else (),
            "transmit_to": data["transmit_to"] if own == "transmit_to" else "",
        }


REGISTER_FIELDS = {"customer": "customer_number", "received_at": "received", "changes": "details"}


# --- Actions on one request ------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base: knows its request, and the item it acts on (a correction, a notice, an ID copy);
    `action` is the URL part it posts to. Each form has its own prefix, so that several on one
    page keep their field ids apart."""

    action = ""
    with_item = False

    def __init__(self, *args, request: PrivacyRequest, item=None, **kwargs):
        self.item = item
        kwargs.setdefault("prefix", self.action.replace("-", "_") + (f"_{item}" if item is not None else ""))
        super().__init__(*args, **kwargs)
        self.request = request


class VerifyForm(ActionForm):
    action = "identiteitscontrole"


class StaffCheckForm(ActionForm):
    """Identity established by the privacy officer without an ID copy (a request by post or phone)."""

    action = "identiteit-vastgesteld"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"] = _text(
            _("How was the identity checked?"),
            rows=2,
            help_text=_(
                "For example: customer number and details only the customer knows, or a letter matching the "
                "address on file. Say how — never the details themselves, and never a document number."
            ),
            required_message=_("Say how the identity was checked."),
        )


class AssignForm(ActionForm):
    action = "toewijzen"


class ExtendForm(ActionForm):
    action = "verlengen"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _text(
            _("Reason for the extension"),
            help_text=_("Told to the requester: why the request needs more time (complexity, number of requests)."),
            required_message=_("Give the reason: the requester is told it."),
        )
        self.fields["by_post"] = _by_post(self.request)


class RefuseForm(ActionForm):
    action = "weigeren"

    def __init__(self, *args, earlier=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"] = forms.ChoiceField(
            label=_("Ground"), choices=[(c, str(n)) for c, n in privacy_texts.GROUNDS.items()], initial="other"
        )
        self.fields["reason"] = _text(
            _("Reasons"),
            help_text=_(
                "Told to the requester, with the right to complain to the Autoriteit Persoonsgegevens and to go to court."
            ),
            required_message=_("Give the reasons: a refusal states them."),
        )
        self.fields["justification"] = _text(
            _("Justification"),
            required=False,
            help_text=_("Needed for manifestly unfounded or excessive: why, with the earlier requests below."),
        )
        if earlier:
            self.fields["earlier_requests"] = forms.MultipleChoiceField(
                label=_("Earlier requests of this person"),
                required=False,
                choices=[(str(e.pk), f"{e.number} — {privacy_texts.label('request_type', e.type)}") for e in earlier],
                widget=forms.CheckboxSelectMultiple,
            )
        self.fields["by_post"] = _by_post(self.request)

    def clean(self):
        cleaned = super().clean()
        heavy = cleaned.get("ground") in ("manifestly_unfounded", "excessive")
        if heavy and not (cleaned.get("justification") or "").strip():
            self.add_error("justification", _("Justify why the request is manifestly unfounded or excessive."))
        if heavy and not cleaned.get("earlier_requests"):
            field = "earlier_requests" if "earlier_requests" in self.fields else None
            self.add_error(field, _("Tick the earlier requests of this person it rests on."))
        return cleaned


class NoDataForm(ActionForm):
    """The answer to a request about no one we know: nothing is held under its identifiers."""

    action = "geen-gegevens"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by_post"] = _by_post(self.request)


class PackageReadForm(ActionForm):
    """The package of an access request answered by post: to print, or to put on a data carrier."""

    action = "pakket-downloaden"


class PushRetryForm(ActionForm):
    action = "pakket-opnieuw-versturen"
    with_item = True


class CompleteForm(ActionForm):
    action = "afronden"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"] = _text(
            _("Note to the requester"), required=False, help_text=_("Part of the answer the requester receives.")
        )
        if self.request.type == "objection":
            for purpose in self.request.purposes:
                self.fields[f"keep_{purpose}"] = _text(
                    _("Keep %(purpose)s despite the objection: compelling grounds") % {"purpose": purpose},
                    required=False,
                    rows=2,
                    help_text=_("Leave empty to stop: %(label)s") % {"label": privacy_texts.label("purpose", purpose)},
                )
        self.fields["by_post"] = _by_post(self.request)
        if self.request.type == "access" and self.request.channel == "post" and self.request.email:
            self.fields["by_post"].initial = True
            self.fields["by_post"].help_text = _(
                "Asked by post: the answer and the package go by post. Untick to e-mail a download link instead."
            )

    def keep_purposes(self) -> dict[str, str]:
        out = {}
        for purpose in self.request.purposes if self.request.type == "objection" else ():
            reason = (self.cleaned_data.get(f"keep_{purpose}") or "").strip()
            if reason:
                out[purpose] = reason
        return out


class ProposalAddForm(ActionForm):
    action = "correctie-toevoegen"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"] = forms.ChoiceField(
            label=_("Detail"), choices=[(f, str(privacy_texts.FIELDS[f])) for f in RECTIFIABLE]
        )
        self.fields["value"] = forms.CharField(label=_("New value"), max_length=254, required=False)


class ProposalDecideForm(ActionForm):
    action = "correctie-beslissen"
    with_item = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"] = forms.ChoiceField(choices=(("approve", _("Approve")), ("reject", _("Reject"))))
        self.fields["reason"] = _text(_("Reason for rejecting"), required=False, rows=2)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason: the requester is told it."))
        return cleaned


class NoticeForm(ActionForm):
    action = "melding"
    with_item = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"] = forms.ChoiceField(choices=(("done", _("Notified")), ("waive", _("Waive"))))
        self.fields["note"] = _text(
            _("How, or why not"),
            required=False,
            rows=2,
            help_text=_(
                "Notified: how (e.g. a ticket number). Waived: why — impossible, or a disproportionate effort."
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "waive" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Give the reason for not notifying this recipient."))
        return cleaned


class IdReadForm(ActionForm):
    action = "identiteitsbewijs-bekijken"
    with_item = True


class IdReviewForm(ActionForm):
    action = "identiteitsbewijs-beoordelen"
    with_item = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verified"] = forms.ChoiceField(
            choices=(("yes", _("Identity verified")), ("no", _("Not sufficient")))
        )


class RestrictForm(ActionForm):
    action = "beperken"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"] = forms.MultipleChoiceField(
            label=_("Data categories to restrict"),
            required=False,
            help_text=_("None ticked: all the subject's data."),
            choices=[(c, privacy_texts.label("category", c)) for c in datamap.CATEGORIES],
            widget=forms.CheckboxSelectMultiple,
        )


class ErasureSubmitForm(ActionForm):
    action = "verwijderplan-indienen"


class ErasureReviewForm(ActionForm):
    action = "verwijderplan-beoordelen"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"] = forms.ChoiceField(choices=(("approve", _("Approve")), ("reject", _("Reject"))))
        self.fields["note"] = _text(_("Note"), required=False, rows=2, help_text=_("Required when rejecting."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why the plan is rejected."))
        return cleaned


ACTION_FORMS = {
    form.action: form
    for form in (
        VerifyForm,
        StaffCheckForm,
        NoDataForm,
        PushRetryForm,
        PackageReadForm,
        AssignForm,
        ExtendForm,
        RefuseForm,
        CompleteForm,
        ProposalAddForm,
        ProposalDecideForm,
        NoticeForm,
        IdReadForm,
        IdReviewForm,
        RestrictForm,
        ErasureSubmitForm,
        ErasureReviewForm,
    )
}
