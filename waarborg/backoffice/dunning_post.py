"""The fourteen-day letter by post, in the back office (finance only; A5).

A consumer who did not agree to written notices by e-mail gets the fourteen-day letter by post:
the board lists the letters waiting to be posted; each has a print-ready page (the provider's
letterhead, the customer's postal address, the date, the invoices and amounts, the exact costs,
the term and its last day for the day it is posted, how to pay); finance records the day it was
posted, and the term, the costs and the case's next step count from that day.

Opening the letter (it shows the customer's address) and recording the posting are in the audit
trail, without personal values. A refusal is shown at the form with nothing changed; any role
but finance gets a 403.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from waarborg.audit.services import audit_record
from waarborg.auth_web.decorators import staff_required
from waarborg.backoffice.dunning import AUDIT_PURPOSE, BOARD_SCOPE
from waarborg.core import clock
from waarborg.core.errors import NotFound, ValidationError
from waarborg.customers.services import customer_ref
from waarborg.dunning import post
from waarborg.dunning.selectors import case_get_for


class LetterPostedForm(forms.Form):
    posted_on = forms.DateField(
        label=_("Posted on"),
        help_text=_("The day the letter went into the post: its term and the costs count from that day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date the letter was posted (day, month, year).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posted_on"].error_messages["invalid"] = _(
            "Enter the date the letter was posted (day, month, year)."
        )


def _posting_day(request) -> dt.date:
    """The day the letter is printed for (?datum=YYYY-MM-DD, not in the past of the letter nor
    the future); today otherwise."""
    today = clock.today()
    try:
        asked = dt.date.fromisoformat((request.GET.get("datum") or "").strip())
    except ValueError:
        return today
    return asked if asked <= today else today


def _context(request, case, notice, *, form=None, posting_day=None) -> dict:
    letter = post.postal_letter_for(viewer=request.user, notice=notice, posting_day=posting_day)
    if letter.made_on and letter.letter_date < letter.made_on and not letter.posted:
        letter = post.postal_letter_for(viewer=request.user, notice=notice, posting_day=letter.made_on)
    waiting = notice.status == notice.Status.TO_POST
    if form is None and waiting:
        form = LetterPostedForm(initial={"posted_on": letter.letter_date})
    return {
        "case": case,
        "customer": case.customer,
        "notice": notice,
        "letter": letter,
        "ctx": letter.ctx,
        "dates": post.letter_dates(letter),
        "controller": letter.controller,
        "invoice_numbers": ", ".join(i["number"] for i in letter.ctx.get("invoices", [])),
        "waiting": waiting,
        "form": form,
        "letter_template": f"dunning/letter_{letter.lang}.html",
        "crumbs": [
            {"label": _("Dunning"), "url": reverse("backoffice:dunning")},
            {
                "label": _("Case %(number)s") % {"number": case.pk},
                "url": reverse("backoffice:dunning_case", args=[case.pk]),
            },
            {"label": _("Fourteen-day letter by post"), "url": None},
        ],
    }


@never_cache
@staff_required(BOARD_SCOPE)
@require_GET  # not HEAD either: every answer with the letter is a recorded opening
@transaction.atomic
def letter(request, pk: int, notice: int):
    """The letter, ready to print (the page's own controls are not printed)."""
    case = case_get_for(viewer=request.user, pk=pk)
    try:
        found = post.letter_get_for(viewer=request.user, case=case, pk=notice)
    except NotFound:
        raise Http404("no such letter of this case") from None
    context = _context(request, case, found, posting_day=_posting_day(request))
    audit_record(
        actor=request.user,
        action="dunning.letter.view",
        purpose=AUDIT_PURPOSE,
        object_type="dunning.notice",
        object_ids=[found.pk],
        subject_ref=customer_ref(case.customer_id),
        data={"case": case.pk, "status": found.status},
    )
    return render(request, "backoffice/dunning/letter.html", context)


@never_cache
@staff_required(BOARD_SCOPE)
@require_POST
def letter_posted(request, pk: int, notice: int):
    """Finance records the day the letter was posted."""
    case = case_get_for(viewer=request.user, pk=pk)
    try:
        found = post.letter_get_for(viewer=request.user, case=case, pk=notice)
    except NotFound:
        raise Http404("no such letter of this case") from None
    form = LetterPostedForm(request.POST)
    if form.is_valid():
        try:
            done = post.letter_posted(actor=request.user, notice=found, posted_on=form.cleaned_data["posted_on"])
        except ValidationError as error:
            form.add_error("posted_on" if error.field == "posted_on" else None, error.text())
        else:
            messages.success(
                request,
                gettext(
                    "The letter was recorded as posted on %(posted)s. The term ends on %(end)s; "
                    "no later step comes before it has run."
                )
                % {"posted": _date(done.posted_on), "end": _date(done.term_end)},
            )
            return redirect(reverse("backoffice:dunning_case", args=[case.pk]) + "#brief")
    found.refresh_from_db()
    day = form.cleaned_data.get("posted_on") if form.is_valid() else None
    if day is not None and (day > clock.today() or day < post.made_on(found)):
        day = None
    context = _context(request, case, found, form=form, posting_day=day)
    return render(request, "backoffice/dunning/letter.html", context)


def _date(day) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""
