"""Forms and words of the dunning screens: the board's filters, deciding a contest, deciding an
approval (bailiff hand-off, cancellation), and a new version of a ladder.

The forms check what a form can (required, choices, numbers); the dunning services decide the
rest, and `add_service_error` shows their refusal at the field it names, in the visitor's
language.
"""

from __future__ import annotations

import json
import re

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from waarborg.core.errors import ValidationError
from waarborg.dunning import ladders as L
from waarborg.dunning.notices import format_money
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

# The cost rule's refusals; amounts (principal, charged, allowed) are shown as money.
_MONEY_GROUPS = ("principal", "charged", "allowed")
_COST_MESSAGES: list[tuple[str, object]] = [
    (
        r"the consumer cost rule charges more than the statutory scale: on a principal of (?P<principal>[0-9.]+) "
        r"it charges (?P<charged>[0-9.]+) where the statutory scale allows at most (?P<allowed>[0-9.]+)",
        _(
            "A consumer may be charged no more than the statutory scale: on a principal of %(principal)s this rule "
            "charges %(charged)s, where the statutory scale allows at most %(allowed)s. Enter the statutory scale, "
            'a lower one, or {"kind": "none"} for no collection costs.'
        ),
    ),
    (
        r"cost_vat_rate must be 0 for consumers",
        _("Consumers pay no VAT on top of the statutory collection costs: choose 0 percent."),
    ),
    (
        r"consumers may be charged collection costs only on the statutory scale",
        _(
            'Consumers may be charged collection costs only on the statutory scale or a lower one (kind "wik_scale"), '
            'or none (kind "none").'
        ),
    ),
    (r"the cost rule must be an object", _('The cost rule is an object: {"kind": ...}.')),
    (
        r"the cost rule kind must be",
        _('The kind of cost rule is "wik_scale", "fixed_per_invoice" (business customers only) or "none".'),
    ),
    (
        r"the cost rule needs brackets",
        _("A scale needs brackets: [[width, percent], ...], the last one with width null."),
    ),
    (r"cost bracket (?P<n>\d+) must be \[width, percent\]", _("Cost bracket %(n)s must be [width, percent].")),
    (
        r"only the last cost bracket is open-ended",
        _("Only the last cost bracket is open-ended (width null); every other one has a width."),
    ),
    (r"cost bracket (?P<n>\d+) must be wider than zero", _("Cost bracket %(n)s must be wider than zero.")),
    (
        r"cost bracket (?P<n>\d+): a percentage lies between 0 and 100",
        _("Cost bracket %(n)s: a percentage lies between 0 and 100."),
    ),
    (r"cost bracket (?P<n>\d+) width is not a number", _("Cost bracket %(n)s: the width is not a number.")),
    (r"cost bracket (?P<n>\d+) percent is not a number", _("Cost bracket %(n)s: the percentage is not a number.")),
    (r"the minimum cost is not a number", _("The minimum of the cost rule is not a number.")),
    (r"the maximum cost is not a number", _("The maximum of the cost rule is not a number.")),
    (
        r"the cost minimum and maximum must satisfy",
        _("The minimum and the maximum of the cost rule are at least 0, and the minimum is no more than the maximum."),
    ),
    (r"the fixed cost is not a number", _("The fixed amount is not a number.")),
    (r"the fixed cost cannot be negative", _("The fixed amount cannot be negative.")),
    (r"a cost rule has at most (?P<max>\d+) brackets", _("A cost rule has at most %(max)s brackets.")),
    (r".*cost.* is too large$", _("A number in the cost rule is too large.")),
]

_STEP = r"step (?P<{n}>\d+) \((?P<{k}>[a-z_]+), day (?P<{d}>\d+)\)"
A = _STEP.format(n="n1", k="k1", d="d1")
B = _STEP.format(n="n2", k="k2", d="d2")
# (pattern on the service's message, the message to show); the first match wins.
_MESSAGES: list[tuple[str, object]] = [
    (
        A + r" overlaps " + B + r": two steps may not fall on the same day",
        _("%(s1)s falls on the same day as %(s2)s: two steps may not fall on one day."),
    ),
    (
        A + r" comes before " + B + r": steps must be in the order",
        _("%(s1)s comes before %(s2)s: put the steps in the order of their day."),
    ),
    (
        A + r" cannot follow " + B,
        _(
            "%(s1)s cannot follow %(s2)s: the order is reminders (and the fourteen-day letter), final notice, "
            "block, bailiff hand-off, cancellation."
        ),
    ),
    (
        A + r" overlaps the notice period of " + B + r": at least (?P<days>\d+) days",
        _("%(s1)s falls within the notice period of %(s2)s: at least %(days)s days must lie between them."),
    ),
    (
        A + r" overlaps the fourteen-day term of " + B + r": at least (?P<days>\d+) days",
        _("%(s1)s falls within the fourteen-day term of %(s2)s: at least %(days)s days must lie between them."),
    ),
    (
        A + r" must come right after the final notice",
        _("%(s1)s must come right after the final notice that announces it."),
    ),
    (r"a ladder needs at least one step", _("A ladder needs at least one step.")),
    (
        r"step (?P<n1>\d+): day must be a whole number from 1 to (?P<max>\d+)",
        _("Step %(n1)s: the day is a whole number from 1 to %(max)s."),
    ),
    (r"step (?P<n1>\d+): unknown kind", _("Step %(n1)s: choose what the step does.")),
    (
        r"step (?P<n1>\d+): a key is lower-case",
        _("Step %(n1)s: a code consists of lower-case letters, digits and -."),
    ),
    (r"step (?P<n1>\d+): the key '(?P<key>[^']*)' is used twice", _("Step %(n1)s: the code %(key)s is used twice.")),
    (
        r"the first step must be a reminder",
        _("The first step must be a payment reminder or the fourteen-day letter."),
    ),
    (r"a ladder has at most one (?P<kind>[a-z_]+) step", _("A ladder has at most one step: %(kind_name)s.")),
    (
        r"a block must be announced",
        _("A block must be announced: a final notice must come right before the block."),
    ),
    (
        r"a ladder that cancels services must block them first",
        _("A ladder that cancels services must block them first."),
    ),
    (
        r"a consumer ladder must send the fourteen-day letter",
        _("A consumer ladder must send the fourteen-day letter (WIK) before any collection step."),
    ),
    (
        r"the fourteen-day letter must come before the bailiff",
        _("The fourteen-day letter must come before the bailiff hand-off."),
    ),
    (
        r"(?P<setting>block_notice_days|cancel_silence_days) must be between (?P<lo>\d+) and (?P<hi>\d+)",
        _("Enter a number of days from %(lo)s to %(hi)s."),
    ),
    (r"(?P<setting>block_notice_days|cancel_silence_days) must be a whole number", _("Enter a whole number of days.")),
    (r"cost_vat_rate must be 0 or 21", _("The VAT on collection costs is 0 or 21 percent.")),
    *_COST_MESSAGES,
    (
        r"[a-z_]+ contains a number that looks like a BSN",
        _("This contains a number that looks like a citizen service number (BSN). We never store one: leave it out."),
    ),
    (r"reason is required", _("Give the reason: the customer is told it.")),
    (r"reason is longer than (?P<max>\d+) characters", _("This is longer than %(max)s characters.")),
    (r"note is longer than (?P<max>\d+) characters", _("This is longer than %(max)s characters.")),
    (r"this contest has been decided already", _("This contest has been decided already.")),
    (r"this step has been decided already", _("This step has been decided already.")),
    (r"this hold has been released already", _("This invoice is back in collection already.")),
    (r"the case is not waiting for this approval", _("The case is not waiting for this approval.")),
    (r"the customer contested: decide the contest first", _("The customer contested: decide the contest first.")),
    (r"name the bailiff the case goes to", _("Choose the bailiff the case goes to.")),
    (r"the recipient is not registered as a bailiff", _("This recipient is not registered as a bailiff.")),
    (
        r"the bailiff has no valid agreement on (?P<day>[0-9-]+)",
        _(
            "This bailiff has no valid agreement on %(day)s: no data may go to them. Nothing was handed off; "
            "renew the agreement in the register first, or choose another bailiff."
        ),
    ),
    (
        r"the bailiff is not registered for these data categories: (?P<categories>.*)",
        _("This bailiff is not registered for these data categories: %(categories)s. Nothing was handed off."),
    ),
    (r"not a valid e-mail address for the bailiff", _("Enter a valid e-mail address, such as name@example.com.")),
    (
        r"the case file could not be sent",
        _("The case file could not be e-mailed, so nothing was handed off. Try again in a while."),
    ),
]
_COMPILED = [(re.compile(pattern), message) for pattern, message in _MESSAGES]


def _step_text(n: str, kind: str, day: str) -> str:
    return gettext("step %(n)s (%(name)s, day %(day)s)") % {"n": n, "name": L.kind_name(kind, lang()), "day": day}


def service_message(error: Exception) -> str:
    """A refusal of the dunning services in the visitor's language (unknown: a general line)."""
    text = str(error)
    for pattern, message in _COMPILED:
        match = pattern.match(text)
        if not match:
            continue
        values = dict(match.groupdict())
        if "n1" in values and "k1" in values:
            values["s1"] = _upper_first(_step_text(values["n1"], values["k1"], values["d1"]))
        if "n2" in values and "k2" in values:
            values["s2"] = _step_text(values["n2"], values["k2"], values["d2"])
        if "kind" in values:
            values["kind_name"] = L.kind_name(values["kind"], lang())
        for name in _MONEY_GROUPS:
            if name in values:
                values[name] = format_money(values[name], "EUR", lang())
        return str(message) % values
    return gettext("This could not be done: %(reason)s") % {"reason": text}


def add_service_error(form, error: Exception, fields: dict[str, str | None] | None = None) -> None:
    """Show a service's refusal at the form field it names, or above the form."""
    name = (fields or {}).get(getattr(error, "field", None) or "", getattr(error, "field", None))
    form.add_error(name if name in form.fields else None, service_message(error))


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


# Where a ladder refusal belongs: the settings' own fields, else above the form.
LADDER_SETTING_FIELDS = ("block_notice_days", "cancel_silence_days", "cost_vat_rate", "block_scope")


def add_ladder_error(form: LadderForm, error: ValidationError) -> None:
    text = str(error)
    field = None
    for name in LADDER_SETTING_FIELDS:
        if text.startswith(name):
            field = name
    if field is None and error.field == "settings" and "cost" in text:
        field = "cost_rule"
    form.add_error(field, service_message(error))
