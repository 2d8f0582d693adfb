"""Payment reminders in the portal: each dunning case's timeline, and contesting a step (A5, X4).

- The invoice page shows the timeline of every case that named the invoice: each decision with
  its date, in the customer's words (the same text as the notice, in the active language), why
  (facts, rule and ladder version), what comes next and when, or what the case waits for; and
  what the customer can do: pay, contest, ask for a person. The invoices page lists the open
  cases. Everything is read through the viewer-scoped selectors: another customer's invoice or
  case is a 404, like one that does not exist.
- `/portaal/incasso/bezwaar/<token>/` and `/portaal/incasso/persoon/<token>/`: the pages behind
  the links every notice carries. They need no sign-in: a notice goes by e-mail, and the signed
  token names the decision it was sent for and is the authority (as for `contest_submit(token=)`);
  it works once per kind. Opening the page changes nothing (a mail scanner that follows the link
  uses nothing up); the form is a POST with CSRF protection. The page shows only what the notice
  itself said. A link that is not valid, used already, or of a closed case gets a page that says
  so, and nothing changes.
- A signed-in customer contests from the invoice page (`contest_submit(actor=, case=)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from waarborg.auth_web.decorators import customer_required
from waarborg.billing.selectors import invoice_get_for
from waarborg.core.access import is_customer_viewer, own_customer_id
from waarborg.core.errors import NotFound, ValidationError, WaarborgError
from waarborg.dunning import ladders as L
from waarborg.dunning.contests import contest_submit
from waarborg.dunning.models import Case, Contest
from waarborg.dunning.selectors import (
    case_invoice_ids_for,
    case_timeline_for,
    contest_link_get,
    contests_of_case_for,
    dunning_cases_for,
)
from waarborg.portal import presenters
from waarborg.portal.dunning_forms import DunningLinkForm, PortalDunningForm

# --- In words -----------------------------------------------------------------------------------

# What each decision is called on screen (a step's kind, or what happened to the case).
DECISION_TITLES = {
    L.REMINDER: gettext_lazy("Payment reminder"),
    L.WIK_LETTER: gettext_lazy("Fourteen-day letter (formal demand)"),
    L.FINAL_NOTICE: gettext_lazy("Final notice with the block date"),
    L.BLOCK: gettext_lazy("Services blocked"),
    L.BAILIFF: gettext_lazy("Hand-off to a bailiff proposed"),
    L.CANCEL: gettext_lazy("Cancellation of services"),
    "bailiff_handoff": gettext_lazy("Claim handed to a bailiff"),
    "bailiff_refused": gettext_lazy("No hand-off to a bailiff"),
    "cancel_approved": gettext_lazy("Services cancelled by an employee"),
    "cancel_refused": gettext_lazy("No cancellation"),
    "payment_booked": gettext_lazy("Payment received"),
    "reanchored": gettext_lazy("Collection continues on what is still open"),
    "closed": gettext_lazy("Collection stopped"),
}
# What the next step is called ("Next: …").
STEP_NAMES = {
    L.REMINDER: gettext_lazy("a payment reminder"),
    L.WIK_LETTER: gettext_lazy("the fourteen-day letter (formal demand)"),
    L.FINAL_NOTICE: gettext_lazy("the final notice with the block date"),
    L.BLOCK: gettext_lazy("blocking of services"),
    L.BAILIFF: gettext_lazy("hand-off to a bailiff (only after an employee approves)"),
    L.CANCEL: gettext_lazy("cancellation of services"),
}
CASE_STATES = {
    Case.Status.OPEN: gettext_lazy("Collection in progress"),
    Case.Status.PAUSED: gettext_lazy("On hold: an employee reviews your objection"),
    Case.Status.WAITING: gettext_lazy("Waiting for an employee's decision"),
    Case.Status.DONE: gettext_lazy("All steps taken"),
    Case.Status.CLOSED: gettext_lazy("Stopped"),
}

# The sections of a decision's text (notices.explain), by their headings in either language.
_HEADINGS = {
    "WAT WE HEBBEN BESLOTEN": "decided",
    "WHAT WE DECIDED": "decided",
    "WAAROP DIT BESLUIT BERUST": "basis",
    "WHAT THIS DECISION IS BASED ON": "basis",
    "WAT ER HIERNA GEBEURT": "next",
    "WHAT HAPPENS NEXT": "next",
    "WAT U KUNT DOEN": "actions",
    "WHAT YOU CAN DO": "actions",
}
SECTION_TITLES = {
    "decided": gettext_lazy("What happened"),
    "basis": gettext_lazy("Why: the facts and the rule"),
    "next": gettext_lazy("What comes next"),
}
_URL = re.compile(r"https?://\S+")


@dataclass
class Section:
    key: str
    title: str
    body: str


def sections(text: str) -> list[Section]:
    """The decision's text in its sections, without "what you can do": the page offers that
    itself, with working buttons (the notice's links hold one-time tokens)."""
    found: list[Section] = []
    current: Section | None = None
    for line in text.splitlines():
        key = _HEADINGS.get(line.strip())
        if key is not None:
            current = Section(key, str(SECTION_TITLES.get(key, "")), "")
            found.append(current)
        elif current is None:
            current = Section("decided", str(SECTION_TITLES["decided"]), line + "\n")
            found.append(current)
        else:
            current.body += line + "\n"
    out = []
    for section in found:
        if section.key == "actions":
            continue
        section.body = _URL.sub("", section.body).strip()
        if section.body:
            out.append(section)
    return out


def decision_title(kind: str, outcome: str = "", contest_kind: str = "") -> str:
    if kind == "paused":
        person = contest_kind == Contest.Kind.PERSON
        if outcome == "paused":
            if person:
                return _("Request for an employee received: collection on hold")
            return _("Objection received: collection on hold")
        return _("Request for an employee received") if person else _("Objection received")
    if kind == "contest_decided":
        if outcome == "upheld":
            return _("Decision by an employee: you are right, collection stopped")
        return _("Decision by an employee: collection continues")
    title = DECISION_TITLES.get(kind)
    return str(title) if title else L.kind_name(kind, presenters.lang()).capitalize()


def step_name(kind: str) -> str:
    name = STEP_NAMES.get(kind)
    return str(name) if name else L.kind_name(kind, presenters.lang())


# --- What the pages show ----------------------------------------------------------------------


@dataclass
class EntryView:
    entry: object
    title: str
    sections: list[Section]
    latest: bool = False


@dataclass
class CaseView:
    case: Case
    state: str
    ladder: str
    timeline: object
    entries: list[EntryView]
    next_name: str
    open_contests: list[Contest] = field(default_factory=list)
    invoice_ids: set[int] = field(default_factory=set)

    @property
    def active(self) -> bool:
        return self.case.status != Case.Status.CLOSED

    @property
    def waiting_for(self) -> str:
        return self.timeline.waiting_for


def _ladder_label(case: Case) -> str:
    version = case.ladder_version
    name = version.ladder.name_en if presenters.lang() == "en" else version.ladder.name_nl
    return _("%(ladder)s, version %(version)s") % {"ladder": name, "version": version.version}


def case_view(user, case: Case, *, invoice_ids=(), with_text: bool = True) -> CaseView:
    timeline = case_timeline_for(viewer=user, case=case, lang=presenters.lang(), with_text=with_text)
    contests = list(contests_of_case_for(viewer=user, case=case))
    # contest_submit writes one "paused" decision per contest, in the same order.
    contest_kinds = iter([c.kind for c in contests])
    entries = []
    for entry in timeline.entries:
        contest_kind = next(contest_kinds, "") if entry.kind == "paused" else ""
        entries.append(
            EntryView(
                entry=entry,
                title=decision_title(entry.kind, entry.outcome, contest_kind),
                sections=sections(entry.text) if with_text else [],
            )
        )
    if entries:
        entries[-1].latest = True
    return CaseView(
        case=timeline.case,
        state=str(CASE_STATES.get(timeline.case.status, timeline.case.status)),
        ladder=_ladder_label(timeline.case),
        timeline=timeline,
        entries=entries,
        next_name=step_name(timeline.next_kind) if timeline.next_kind else "",
        open_contests=[c for c in contests if c.status == Contest.Status.OPEN],
        invoice_ids=set(invoice_ids),
    )


def invoice_cases(user, invoice) -> list[CaseView]:
    """The cases that named this invoice, the active one first, then earlier ones newest first."""
    named = case_invoice_ids_for(viewer=user, customer=invoice.customer_id)
    cases = [
        case for case in dunning_cases_for(viewer=user, customer=invoice.customer_id) if invoice.pk in named[case.pk]
    ]
    cases.sort(key=lambda c: (c.status == Case.Status.CLOSED, -c.opened_on.toordinal(), -c.pk))
    return [case_view(user, case, invoice_ids=named[case.pk]) for case in cases]


@dataclass
class CaseSummary:
    view: CaseView
    invoices: list  # (invoice, state) still unpaid
    amount_open: object
    first_invoice: object | None


def active_case_count(user) -> int:
    """How many collections of the customer are in progress (for the portal's landing page)."""
    if user.customer_id is None:
        return 0
    return dunning_cases_for(viewer=user, customer=user.customer_id, active_only=True).count()


def open_cases(user, rows) -> list[CaseSummary]:
    """For the invoices page: the open cases with the invoices still unpaid in them."""
    if user.customer_id is None:
        return []
    by_id = {invoice.pk: (invoice, state) for invoice, state in rows}
    out = []
    named = case_invoice_ids_for(viewer=user, customer=user.customer_id, active_only=True)
    for case in dunning_cases_for(viewer=user, customer=user.customer_id, active_only=True):
        view = case_view(user, case, invoice_ids=named[case.pk], with_text=False)
        unpaid = [
            by_id[pk]
            for pk in sorted(named[case.pk])
            if pk in by_id and by_id[pk][1].key not in (presenters.PAID, presenters.CANCELLED)
        ]
        unpaid.sort(key=lambda row: (row[0].due_date, row[0].pk))
        out.append(
            CaseSummary(
                view=view,
                invoices=unpaid,
                amount_open=sum((invoice.amount_open for invoice, _state in unpaid), 0),
                first_invoice=unpaid[0][0] if unpaid else None,
            )
        )
    return out


def _active_case_for_invoice(user, invoice) -> Case | None:
    named = case_invoice_ids_for(viewer=user, customer=invoice.customer_id, active_only=True)
    for case in dunning_cases_for(viewer=user, customer=invoice.customer_id, active_only=True):
        if invoice.pk in named[case.pk]:
            return case
    return None


# --- Contesting from the invoice page (signed in) ---------------------------------------------


@customer_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invoice_contest(request, pk: int):
    """Contest the collection of one's own invoice, or ask for a person; the case pauses."""
    user = request.user
    invoice = invoice_get_for(viewer=user, pk=pk)  # another's: NotFound, a 404
    case = _active_case_for_invoice(user, invoice)
    if case is None:
        raise Http404("no collection in progress for this invoice")
    back = reverse("portal:invoice", args=[invoice.pk]) + "#incasso"
    kind = request.POST.get("kind") or request.GET.get("soort") or "contest"
    kind = kind if kind in ("contest", "person") else "contest"
    form = PortalDunningForm(request.POST if request.method == "POST" else None, kind=kind)
    waiting = [c for c in contests_of_case_for(viewer=user, case=case) if c.status == Contest.Status.OPEN]
    if request.method == "POST" and form.is_valid():
        if any(c.kind == form.cleaned_data["kind"] for c in waiting):
            messages.info(request, _("We have this already: an employee is looking at it. You will hear the decision."))
            return redirect(back)
        try:
            contest = contest_submit(
                actor=user, case=case, kind=form.cleaned_data["kind"], statement=form.cleaned_data["statement"]
            )
        except ValidationError as error:
            if error.field == "statement":
                form.add_error("statement", _("This text cannot be stored. Shorten it, please."))
            else:
                messages.error(request, _("There is nothing left to contest: this collection has stopped."))
                return redirect(back)
        else:
            messages.success(request, _received_message(contest))
            return redirect(back)
    return render(
        request,
        "portal/dunning/contest.html",
        {"form": form, "invoice": invoice, "case": case_view(user, case), "waiting": waiting},
    )


def _received_message(contest: Contest) -> str:
    status = contest.case.status
    if contest.kind == Contest.Kind.PERSON:
        text = _("We received your request: an employee will contact you.")
    else:
        text = _("We received your objection.")
    if status == Case.Status.PAUSED:
        return text + " " + _("Collection is on hold until an employee has decided; you will get the decision and why.")
    return text + " " + _("The next step waits for an employee's decision anyway; you will hear it.")


# --- The pages behind a notice's links (no sign-in: the token is the authority) -------------


LINK_PROBLEMS = ("invalid", "used", "closed")


def _problem_page(request, problem: str, kind: str):
    status = 404 if problem == "invalid" else 410
    return render(request, "portal/dunning/link_problem.html", {"problem": problem, "kind": kind}, status=status)


# A refusal of a link's contest, by its code -> the problem page to show (else "invalid").
LINK_PROBLEM_OF = {"dunning.link_used": "used", "dunning.case_closed": "closed"}


def _problem_of(error: WaarborgError) -> str:
    return LINK_PROBLEM_OF.get(error.code or "", "invalid")


def _own_case(request, customer_id: int) -> bool:
    user = request.user
    return bool(
        getattr(user, "is_authenticated", False)
        and is_customer_viewer(user)
        and str(own_customer_id(user)) == str(customer_id)
    )


def _link_page(request, token: str, kind: str):
    try:
        link = contest_link_get(token, lang=presenters.lang())
    except (ValidationError, NotFound):
        return _problem_page(request, "invalid", kind)
    if link.kind != kind:
        return _problem_page(request, "invalid", kind)
    if link.used:
        return _problem_page(request, "used", kind)
    if link.closed:
        return _problem_page(request, "closed", kind)
    form = DunningLinkForm(request.POST if request.method == "POST" else None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            contest = contest_submit(token=token, statement=form.cleaned_data["statement"])
        except (ValidationError, NotFound) as error:
            if getattr(error, "field", None) == "statement":
                form.add_error("statement", _("This text cannot be stored. Shorten it, please."))
            else:
                return _problem_page(request, _problem_of(error), kind)
        else:
            return render(
                request,
                "portal/dunning/received.html",
                {
                    "kind": kind,
                    "paused": contest.case.status == Case.Status.PAUSED,
                    "status": contest.case.status,
                    "own_case": _own_case(request, link.customer_id),
                },
            )
    return render(
        request,
        "portal/dunning/link.html",
        {
            "kind": kind,
            "form": form,
            "sections": sections(link.text),
            "own_case": _own_case(request, link.customer_id),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contest_link(request, token: str):
    return _link_page(request, token, "contest")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def person_link(request, token: str):
    return _link_page(request, token, "person")
