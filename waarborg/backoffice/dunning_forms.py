"""Forms and words of the dunning screens: the board's filters, deciding a contest, deciding an
approval (bailiff hand-off, cancellation), and a new version of a ladder.

The forms check what a form can (required, choices, numbers); the dunning services decide the
rest, and `add_service_error` shows their refusal at the field it names, in the visitor's
language.
"""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from waarborg.core.errors import WaarborgError
from waarborg.dunning import ladders as L
from waarborg.dunning.selectors import NOT_STARTED

STATUSES = {
    "open": _("Running"),
    "paused": _("Paused (contested)"),
    "waiting": _("Waiting for approval"),
    "done": _("Ladder finished"),
    "closed": _("Closed"),
}
MARKETS = {"b2b": _("Business"), "b2c": _("Consumer")}
CONTEST_KINDS = {"contest": _("Contest"), "person": _("Asks for a person")}
CONTEST_STATUSES = {"open": _("Waiting for a decision"), "upheld": _("Upheld"), "rejected": _("Rejected")}
APPROVAL_KINDS = {"bailiff": _("Bailiff hand-off"), "cancel": _("Cancellation")}
APPROVAL_STATUSES = {
    "pending": _("Waiting"),
    "approved": _("Approved"),
    "refused": _("Refused"),
    "withdrawn": _("Withdrawn (case closed)"),
}
NOTICE_STATUSES = {
    "queued": _("Queued"),
    "to_post": _("Waiting to be posted"),
    "sent": _("Sent"),
    "undeliverable": _("No address to send to"),
    "withdrawn": _("Not sent: the case was closed first"),
}
WAITING_FOR = {
    "closed": _("Nothing: the case is closed."),
    "contest": _("A decision on the customer's contest by a finance employee."),
    "approval": _("The approval of a finance employee for the next step."),
    "finished": _("Nothing automatic: every step of the ladder has been taken, and the debt is still open."),
    "notice": _("The notice of the last step going out: the next step waits for it."),
    "post": _(
        "The fourteen-day letter being posted: print it, post it and record the day. Until then no later step and no costs."
    ),
}
# Where the customer's agreement to written notices by e-mail comes from (customers.NoticeAgreement).
AGREEMENT_SOURCES = {"contract": _("a term of the contract"), "consent": _("an agreement recorded separately")}
# What a decision that is not a ladder step is called (the steps are named by the ladder).
DECISION_KINDS = {
    "paused": _("Contest received: collection paused"),
    "contest_decided": _("Contest decided"),
    "bailiff_handoff": _("Claim handed to a bailiff"),
    "bailiff_refused": _("No hand-off to a bailiff"),
    "cancel_approved": _("Services cancelled by an employee"),
    "cancel_refused": _("No cancellation"),
    "payment_booked": _("Payment received"),
    "reanchored": _("Collection continues on what is still open"),
    "closed": _("Collection stopped"),
}
OUTCOMES = {
    "reminder_sent": _("reminder sent"),
    "letter_sent": _("letter sent"),
    "letter_to_post": _("letter to be posted"),
    "final_notice_sent": _("final notice sent"),
    "blocked": _("services blocked"),
    "nothing_to_block": _("nothing to block"),
    "approval_requested": _("waits for approval"),
    "cancelled": _("services cancelled"),
    "nothing_to_cancel": _("nothing to cancel"),
    "handed_off": _("handed off"),
    "refused": _("refused"),
    "paused": _("paused"),
    "noted": _("noted"),
    "upheld": _("upheld"),
    "rejected": _("rejected"),
    "continues": _("continues"),
    "paid": _("paid"),
    "settled": _("nothing overdue any more"),
    "resolved": _("resolved"),
    "contest_upheld": _("contest upheld"),
}
PROVISIONING_ACTIONS = {"block": _("Block"), "unblock": _("Unblock"), "cancel": _("Cancel")}
BLOCK_SCOPES = {"invoice": _("Only the services the unpaid invoices are for"), "all": _("All the customer's services")}


def english() -> bool:
    return (get_language() or "nl").startswith("en")


def lang() -> str:
    return "en" if english() else "nl"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def step_name(kind: str) -> str:
    if kind == NOT_STARTED:
        return gettext("No step taken yet")
    return L.kind_name(kind, lang())


def decision_name(kind: str) -> str:
    if kind in L.STEP_KINDS:
        return L.kind_name(kind, lang())
    return str(DECISION_KINDS.get(kind, kind))


def step_choices() -> list[tuple[str, str]]:
    return [(kind, _upper_first(step_name(kind))) for kind in L.STEP_KINDS]


# --- The services' refusals, in the visitor's language -----------------------------------


def add_service_error(form, error: WaarborgError, fields: dict[str, str | None] | None = None) -> None:
    """Show a service's refusal at the form field it names (`fields` maps a service's field to
    the form's, None: above the form), in the visitor's language."""
    name = (fields or {}).get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.text())


# --- The board's filters ---------------------------------------------------------------------


class BoardFilterForm(forms.Form):
    """Codes only, so the filters may travel in the URL."""

    stap = forms.ChoiceField(label=_("Step"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    markt = forms.ChoiceField(label=_("Market"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stap"].choices = [("", _("Every step")), *step_choices(), (NOT_STARTED, step_name(NOT_STARTED))]
        self.fields["status"].choices = [
            ("", _("All not closed")),
            *[(code, str(STATUSES[code])) for code in ("open", "paused", "waiting", "done")],
        ]
        self.fields["markt"].choices = [("", _("Business and consumer")), *[(c, str(n)) for c, n in MARKETS.items()]]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"step": "", "status": "", "market": ""}
        data = self.cleaned_data
        return {"step": data.get("stap") or "", "status": data.get("status") or "", "market": data.get("markt") or ""}


# --- Deciding -------------------------------------------------------------------------------


def _reason(label, help_text):
    return forms.CharField(
        label=label,
        max_length=4000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason: the customer is told it.")},
    )


class ContestDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("rejected", _("Reject: the collection continues")), ("upheld", _("Uphold: the customer is right"))),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose: uphold or reject.")},
    )

    def __init__(self, *args, contest, **kwargs):
        kwargs.setdefault("prefix", f"bezwaar_{contest.pk}")
        super().__init__(*args, **kwargs)
        self.item = contest
        self.fields["reason"] = _reason(
            _("Reason"),
            _(
                "Sent to the customer with your name. Upheld: the case closes, its invoices are taken out of "
                "collection and blocks for non-payment are lifted. Rejected: the ladder resumes; the paused days "
                "do not count."
            ),
        )


class ApprovalDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose: approve or refuse.")},
    )

    def __init__(self, *args, approval, bailiffs=(), today=None, **kwargs):
        kwargs.setdefault("prefix", f"goedkeuring_{approval.pk}")
        super().__init__(*args, **kwargs)
        self.item = approval
        self.bailiff = approval.kind == "bailiff"
        if self.bailiff:
            self.fields["decision"].choices = (
                ("approve", _("Approve: hand the case to the bailiff")),
                ("refuse", _("Refuse: do not hand it off")),
            )
            choices = [("", "—")]
            for recipient in bailiffs:
                valid = today is not None and recipient.agreement_valid_on(today)
                state = gettext("agreement valid") if valid else gettext("no valid agreement")
                choices.append((str(recipient.pk), f"{recipient.name} ({state})"))
            self.fields["recipient"] = forms.ChoiceField(
                label=_("Bailiff"),
                required=False,
                choices=choices,
                help_text=_("A registered bailiff with a valid agreement; the case file is a disclosure to them."),
            )
            self.fields["send_to"] = forms.EmailField(
                label=_("E-mail the case file to (the bailiff's office)"),
                required=False,
                max_length=254,
                help_text=_("Empty: the case file is only produced, to download below."),
                error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.com.")},
            )
        else:
            self.fields["decision"].choices = (
                ("approve", _("Approve: cancel the services")),
                ("refuse", _("Refuse: do not cancel")),
            )
        self.fields["reason"] = _reason(_("Reason"), _("Recorded with your name and told to the customer."))

    def clean(self):
        cleaned = super().clean()
        if self.bailiff and cleaned.get("decision") == "approve" and not cleaned.get("recipient"):
            self.add_error("recipient", _("Choose the bailiff the case goes to."))
        return cleaned


# --- A new version of a ladder ---------------------------------------------------------------


class LadderForm(forms.Form):
    """The steps as rows (code, what, day after the due date) and the settings; an empty row is
    left out. The service checks the order, overlaps and notice periods."""

    block_scope = forms.ChoiceField(label=_("What a block covers"))
    block_notice_days = forms.IntegerField(
        label=_("Days between the final notice and the block (at least)"), min_value=0, max_value=999
    )
    cancel_silence_days = forms.IntegerField(
        label=_("Days without a response before a cancellation"), min_value=0, max_value=999
    )
    cost_vat_rate = forms.ChoiceField(
        label=_("VAT on collection costs"), choices=(("0", "0%"), ("21", "21%")), initial="0"
    )
    cost_rule = forms.CharField(
        label=_("Collection-cost rule (JSON)"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            'A scale: kind "wik_scale" with brackets, minimum and maximum; for consumers the statutory scale or a '
            'lower one, without VAT. Business customers may also have "fixed_per_invoice". No costs: {"kind": "none"}.'
        ),
    )
    note = forms.CharField(
        label=_("What changes, and why"), max_length=200, required=False, help_text=_("Kept with the version.")
    )

    def __init__(self, data=None, *args, version, **kwargs):
        steps = version.steps if version is not None else []
        self.rows = max(10, len(steps) + 3)
        if data is None and version is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(version)
        super().__init__(data, *args, **kwargs)
        self.fields["block_scope"].choices = [(c, str(n)) for c, n in BLOCK_SCOPES.items()]
        kinds = [("", "—"), *step_choices()]
        for n in range(self.rows):
            self.fields[f"step_{n}_key"] = forms.CharField(label=_("Code"), required=False, max_length=40)
            self.fields[f"step_{n}_kind"] = forms.ChoiceField(label=_("Step"), required=False, choices=kinds)
            self.fields[f"step_{n}_day"] = forms.IntegerField(
                label=_("Day"), required=False, min_value=1, max_value=L.MAX_DAY
            )

    @staticmethod
    def initial_from(version) -> dict:
        settings = version.settings
        initial = {
            "block_scope": settings.get("block_scope"),
            "block_notice_days": settings.get("block_notice_days"),
            "cancel_silence_days": settings.get("cancel_silence_days"),
            "cost_vat_rate": str(settings.get("cost_vat_rate", "0")),
            "cost_rule": json.dumps(settings.get("cost_rule"), ensure_ascii=False),
        }
        for n, step in enumerate(version.steps):
            initial |= {f"step_{n}_key": step["key"], f"step_{n}_kind": step["kind"], f"step_{n}_day": step["day"]}
        return initial

    def step_rows(self):
        return [(n + 1, self[f"step_{n}_key"], self[f"step_{n}_kind"], self[f"step_{n}_day"]) for n in range(self.rows)]

    def clean_cost_rule(self):
        try:
            rule = json.loads(self.cleaned_data["cost_rule"])
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON."), code="json") from None
        if not isinstance(rule, dict):
            raise forms.ValidationError(_('The cost rule is an object: {"kind": ...}.'), code="json")
        return rule

    def clean(self):
        cleaned = super().clean()
        steps = []
        for n in range(self.rows):
            key = (cleaned.get(f"step_{n}_key") or "").strip()
            kind = cleaned.get(f"step_{n}_kind") or ""
            day = cleaned.get(f"step_{n}_day")
            if not kind and not key and day is None:
                continue
            if not kind:
                self.add_error(f"step_{n}_kind", _("Choose what the step does, or empty the row."))
                continue
            if day is None:
                if f"step_{n}_day" not in self.errors:
                    self.add_error(f"step_{n}_day", _("Give the day after the due date."))
                continue
            steps.append({"key": key, "kind": kind, "day": day} if key else {"kind": kind, "day": day})
        self.steps = steps
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "steps": self.steps,
            "settings": {
                "block_scope": data["block_scope"],
                "block_notice_days": data["block_notice_days"],
                "cancel_silence_days": data["cancel_silence_days"],
                "cost_rule": data["cost_rule"],
                "cost_vat_rate": data["cost_vat_rate"],
            },
            "note": data.get("note") or "",
        }
