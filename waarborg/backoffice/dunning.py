"""Dunning in the back office, for the finance role (A1–A5, X4, B2, B4).

- the board (`backoffice:dunning`): the cases not closed, counted by the ladder step they are
  at and listed with filters (step, status, market), the amount overdue and the next step with
  its date; the contests to decide, the approvals waiting (bailiff hand-off, cancellation),
  fourteen-day letters waiting to be posted (`dunning_post`), notices that cannot go out and
  provisioning messages that keep failing;
- one page per case: its facts, its timeline with every decision in the customer's words (Dutch
  or English), what it waits for, and the decisions a person takes: a contest upheld or
  rejected, a bailiff hand-off or cancellation approved or refused, with a reason;
- the ladders, and a new version of one.

Every reading and every decision is the finance role's (the dunning selectors and services
say so); any other role gets a 403. The views validate and call the services; a refusal is
shown at its field with nothing changed. Opening the board or a case, and downloading a case
file, is recorded in the audit trail, without personal values.
"""

from __future__ import annotations

import json
import logging
import re

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waarborg.audit.services import audit_record
from waarborg.auth_web.decorators import staff_required
from waarborg.backoffice import dunning_forms as df
from waarborg.core import clock
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError, WaarborgError
from waarborg.customers.selectors import notice_agreement_for
from waarborg.customers.services import customer_ref
from waarborg.dunning import ladders as L
from waarborg.dunning.approvals import approval_decide as decide_approval
from waarborg.dunning.contests import contest_decide as decide_contest
from waarborg.dunning.contests import hold_release as release_hold
from waarborg.dunning.ladder_versions import ladder_update
from waarborg.dunning.links import CONTEST_PATH, PERSON_PATH
from waarborg.dunning.notices import format_money
from waarborg.dunning.post import case_letters_for, letters_to_post_for
from waarborg.dunning.selectors import (
    NOT_STARTED,
    approvals_waiting_for,
    bailiffs_for,
    case_approvals_for,
    case_contests_for,
    case_files_for,
    case_get_for,
    case_overdue_for,
    case_timeline_for,
    contests_to_decide_for,
    dunning_board_cases_for,
    dunning_board_counts_for,
    holds_for,
    ladders_for,
    notices_needing_attention_for,
    provisioning_backlog_for,
    step_at,
)

log = logging.getLogger(__name__)

AUDIT_PURPOSE = "U4"  # checking payments: collecting what is owed
PAGE_SIZE = 50
QUEUE_LIMIT = 50  # the board's queues show the oldest first; the count says how many there are
BOARD_STATUSES = ("open", "paused", "waiting", "done")
# The customer's own contest and person links are left out of what staff see: used by staff,
# they would file a contest in the customer's name.
_CUSTOMER_LINK = re.compile(
    "|".join(re.escape(p.split("{token}")[0]) + r"[^/\s]+/" for p in (CONTEST_PATH, PERSON_PATH))
)

BOARD_SCOPE = "dunning"  # finance: the board, its cases and ladders (waarborg.core.roles)


def _crumbs(*trail) -> list[dict]:
    return [{"label": label, "url": url} for label, url in trail]


def _board_crumb():
    return (_("Dunning"), reverse("backoffice:dunning"))


def _money(totals: dict) -> str:
    return " + ".join(format_money(amount, currency, df.lang()) for currency, amount in sorted(totals.items()))


def _next(case, to_post=frozenset()) -> dict:
    """The next step of a case for the board: its name and date, or what the case waits for
    (`to_post`: the cases whose letter waits to be posted)."""
    version = case.ladder_version
    steps = version.steps
    upcoming = steps[case.next_index] if case.next_index < len(steps) else None
    out = {"kind": upcoming["kind"] if upcoming else "", "on": None, "waiting": ""}
    out["name"] = L.kind_name(out["kind"], df.lang()) if upcoming else ""
    if case.status == "open":
        out["on"] = case.next_step_on
        if case.pending_notice:
            out["waiting"] = "post" if case.pk in to_post else "notice"
    elif case.status == "paused":
        out["on"] = case.next_step_on
        out["waiting"] = "contest"
    elif case.status == "waiting":
        out["waiting"] = "approval"
    elif case.status == "done":
        out["waiting"] = "finished"
    return out


def _row(case, overdue: dict, today, to_post=frozenset()) -> dict:
    step = step_at(case.ladder_version, case.next_index, case.status)
    return {
        "case": case,
        "step_kind": step["kind"] if step else NOT_STARTED,
        "step_name": df.step_name(step["kind"] if step else NOT_STARTED),
        "status": str(df.STATUSES.get(case.status, case.status)),
        "market": str(df.MARKETS.get(case.ladder_version.ladder.market, "")),
        "overdue": _money(overdue) or "—",
        "days": (today - case.anchor_date).days,
        "next": _next(case, to_post),
    }


# --- The board ------------------------------------------------------------------------------


def _counts_table(counts: dict) -> list[dict]:
    """One row per step kind in ladder order (the kinds without cases left out), per status."""
    order = [NOT_STARTED, *L.STEP_KINDS]
    rows = []
    for kind in order:
        per_status = counts.get(kind)
        if not per_status:
            continue
        rows.append(
            {
                "kind": kind,
                "name": df.step_name(kind),
                "cells": [per_status.get(status, 0) for status in BOARD_STATUSES],
                "total": sum(per_status.values()),
            }
        )
    return rows


@never_cache
@staff_required(BOARD_SCOPE)
@require_GET  # not HEAD either: every answer with the cases is a recorded opening
@transaction.atomic
def board(request):
    user = request.user
    today = clock.today()
    form = df.BoardFilterForm(request.GET or None)
    filters = form.filters()
    counts = dunning_board_counts_for(viewer=user, status=filters["status"], market=filters["market"])
    cases = dunning_board_cases_for(viewer=user, **filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("pagina"))
    shown = list(page.object_list)
    overdue = case_overdue_for(viewer=user, cases=shown, day=today)
    contests = contests_to_decide_for(viewer=user)
    approvals = approvals_waiting_for(viewer=user)
    notices = notices_needing_attention_for(viewer=user)
    outbox = provisioning_backlog_for(viewer=user).select_related("customer", "subscription")
    holds = holds_for(viewer=user)
    letters = letters_to_post_for(viewer=user)
    to_post = set(letters.values_list("case_id", flat=True))
    audit_record(
        actor=user,
        action="dunning.board.view",
        purpose=AUDIT_PURPOSE,
        object_type="dunning.case",
        object_ids=[case.pk for case in shown],
        data={"page": page.number, "shown": len(shown), "filters": {k: v for k, v in filters.items() if v}},
    )
    table = _counts_table(counts)
    return render(
        request,
        "backoffice/dunning/board.html",
        {
            "form": form,
            "today": today,
            "filters": filters,
            "query": urlencode({k: v for k, v in (request.GET.items()) if k != "pagina" and v}),
            "counts": table,
            "count_total": sum(row["total"] for row in table),
            "status_heads": [df.STATUSES[s] for s in BOARD_STATUSES],
            "page": page,
            "rows": [_row(case, overdue.get(case.pk, {}), today, to_post) for case in shown],
            "letters": list(letters[:QUEUE_LIMIT]),
            "letter_count": len(to_post),
            "contests": list(contests[:QUEUE_LIMIT]),
            "contest_count": contests.count(),
            "approvals": list(approvals[:QUEUE_LIMIT]),
            "approval_count": approvals.count(),
            "notices": list(notices[:QUEUE_LIMIT]),
            "notice_count": notices.count(),
            "outbox": list(outbox[:QUEUE_LIMIT]),
            "outbox_count": outbox.count(),
            "holds": list(holds[:QUEUE_LIMIT]),
            "hold_count": holds.count(),
            "labels": _labels(),
            "crumbs": _crumbs((_("Dunning"), None)),
        },
    )


def _labels() -> dict:
    return {
        "case_status": df.STATUSES,
        "contest_kind": df.CONTEST_KINDS,
        "contest_status": df.CONTEST_STATUSES,
        "approval_kind": df.APPROVAL_KINDS,
        "approval_status": df.APPROVAL_STATUSES,
        "notice_status": df.NOTICE_STATUSES,
        "provisioning": df.PROVISIONING_ACTIONS,
        "waiting": df.WAITING_FOR,
        "step": {kind: L.kind_name(kind, df.lang()) for kind in L.STEP_KINDS},
    }


# --- One case -------------------------------------------------------------------------------


def _text_language(request, case) -> str:
    """The language the decisions are shown in: asked for, else the one the customer gets."""
    asked = request.GET.get("tekst")
    if asked in ("nl", "en"):
        return asked
    try:
        return case.customer.notice_preference.language or "nl"
    except ObjectDoesNotExist:
        return "nl"


def _case_context(request, case, *, bound=None) -> dict:
    user = request.user
    today = clock.today()
    text_lang = _text_language(request, case)
    timeline = case_timeline_for(viewer=user, case=case, lang=text_lang)
    for entry in timeline.entries:
        entry.text = _CUSTOMER_LINK.sub(lambda m: m.group(0).rsplit("/", 2)[0] + "/…/", entry.text)
        entry.name = df.decision_name(entry.kind)
        entry.outcome = str(df.OUTCOMES.get(entry.outcome, entry.outcome))
    case = timeline.case
    contests = list(case_contests_for(viewer=user, case=case))
    approvals = list(case_approvals_for(viewer=user, case=case))
    bailiffs = list(bailiffs_for(viewer=user)) if any(a.kind == "bailiff" for a in approvals) else []

    def contest_form(contest):
        if isinstance(bound, df.ContestDecideForm) and bound.item.pk == contest.pk:
            return bound
        return df.ContestDecideForm(contest=contest)

    def approval_form(approval):
        if isinstance(bound, df.ApprovalDecideForm) and bound.item.pk == approval.pk:
            return bound
        return df.ApprovalDecideForm(approval=approval, bailiffs=bailiffs, today=today)

    open_contest = any(c.status == "open" for c in contests)
    agreement = notice_agreement_for(viewer=user, customer=case.customer_id)
    overdue = case_overdue_for(viewer=user, cases=[case], day=today).get(case.pk, {})
    step = step_at(case.ladder_version, case.next_index, case.status)
    return {
        "case": case,
        "customer": case.customer,
        "version": case.ladder_version,
        "today": today,
        "status": df.STATUSES.get(case.status, case.status),
        "market": df.MARKETS.get(case.ladder_version.ladder.market, ""),
        "step_name": df.step_name(step["kind"] if step else NOT_STARTED),
        "overdue": _money(overdue) or "—",
        "days": (today - case.anchor_date).days,
        "costs": format_money(case.costs_amount, "EUR", df.lang()) if case.costs_amount is not None else "",
        "close_reason": df.OUTCOMES.get(case.close_reason, case.close_reason),
        "timeline": timeline,
        "waiting_text": df.WAITING_FOR.get(timeline.waiting_for, ""),
        "text_lang": text_lang,
        "other_lang": "en" if text_lang == "nl" else "nl",
        "contests": [(c, contest_form(c) if c.status == "open" else None) for c in contests],
        "approvals": [(a, approval_form(a) if a.status == "pending" and not open_contest else None) for a in approvals],
        "open_contest": open_contest,
        "case_files": list(case_files_for(viewer=user, case=case)),
        "letter": timeline.letter,
        "letters": list(case_letters_for(viewer=user, case=case)),
        "agreement": agreement,
        "agreement_stands": agreement is not None and agreement.stands_on(today),
        "agreement_sources": df.AGREEMENT_SOURCES,
        "no_bailiff": any(a.kind == "bailiff" and a.status == "pending" for a in approvals) and not bailiffs,
        "bound": bound,
        "labels": _labels(),
        "crumbs": _crumbs(_board_crumb(), (_("Case %(number)s") % {"number": case.pk}, None)),
    }


@never_cache
@staff_required(BOARD_SCOPE)
@require_GET  # not HEAD either: every answer with the case is a recorded opening
@transaction.atomic
def case_detail(request, pk: int):
    user = request.user
    case = case_get_for(viewer=user, pk=pk)  # unknown: 404
    context = _case_context(request, case)
    audit_record(
        actor=user,
        action="dunning.case.view",
        purpose=AUDIT_PURPOSE,
        object_type="dunning.case",
        object_ids=[case.pk],
        subject_ref=customer_ref(case.customer_id),
        data={"case": case.pk, "status": case.status, "decisions": len(context["timeline"].entries)},
    )
    return render(request, "backoffice/dunning/case.html", context)


def _refused(request, case, form):
    """The case page again, as it is now, with the form and its errors: nothing was changed."""
    case = case_get_for(viewer=request.user, pk=case.pk)
    return render(request, "backoffice/dunning/case.html", _case_context(request, case, bound=form))


@never_cache
@staff_required(BOARD_SCOPE)
@require_POST
def contest_decide(request, pk: int, contest: int):
    user = request.user
    case = case_get_for(viewer=user, pk=pk)
    target = case_contests_for(viewer=user, case=case).filter(pk=contest).first()
    if target is None:
        raise Http404("no such contest of this case")
    form = df.ContestDecideForm(request.POST, contest=target)
    if form.is_valid():
        try:
            decide_contest(
                actor=user, contest=target, outcome=form.cleaned_data["decision"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            df.add_service_error(form, error, {"outcome": "decision", "contest": None})
        else:
            if form.cleaned_data["decision"] == "upheld":
                messages.success(request, _("The contest was upheld: the case is closed. The customer is told why."))
            else:
                messages.success(request, _("The contest was rejected: the ladder resumes. The customer is told why."))
            return redirect("backoffice:dunning_case", pk=case.pk)
    return _refused(request, case, form)


@never_cache
@staff_required(BOARD_SCOPE)
@require_POST
def approval_decide(request, pk: int, approval: int):
    user = request.user
    case = case_get_for(viewer=user, pk=pk)
    target = case_approvals_for(viewer=user, case=case).filter(pk=approval).first()
    if target is None:
        raise Http404("no such approval of this case")
    bailiffs = list(bailiffs_for(viewer=user)) if target.kind == "bailiff" else []
    form = df.ApprovalDecideForm(request.POST, approval=target, bailiffs=bailiffs, today=clock.today())
    if form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        recipient = None
        if approve and target.kind == "bailiff":
            recipient = next((b for b in bailiffs if str(b.pk) == data["recipient"]), None)
        try:
            decision = decide_approval(
                actor=user,
                approval=target,
                approve=approve,
                reason=data["reason"],
                recipient=recipient,
                send_to=data.get("send_to") or "",
            )
        except ValidationError as error:
            df.add_service_error(form, error, {"approval": None})
        except (PermissionDenied, NotFound):
            raise
        except WaarborgError as error:  # the case file could not be e-mailed: nothing was handed off
            log.warning("dunning case %s: approval %s not decided (%s)", case.pk, target.pk, type(error).__name__)
            df.add_service_error(form, error, {})
        else:
            messages.success(request, _approval_message(target.kind, approve, decision))
            return redirect("backoffice:dunning_case", pk=case.pk)
    return _refused(request, case, form)


def _approval_message(kind: str, approve: bool, decision) -> str:
    if kind == "bailiff" and approve:
        if decision.outcome_data.get("case_file"):
            return _("The case was handed to the bailiff; the case file is below. The customer is told.")
        return _("The case was handed to the bailiff. The customer is told.")
    if kind == "bailiff":
        return _("The hand-off to the bailiff was refused; the ladder moves on. The customer is told why.")
    if approve:
        return _("The cancellation was approved: the services are cancelled. The customer is told.")
    return _("The cancellation was refused; the ladder ends here. The customer is told why.")


@never_cache
@staff_required(BOARD_SCOPE)
@require_GET
@transaction.atomic
def case_file(request, pk: int, file: int):
    """The case file a hand-off produced, to download: the text, or with ?formaat=json its data."""
    user = request.user
    case = case_get_for(viewer=user, pk=pk)
    found = case_files_for(viewer=user, case=case).filter(pk=file).first()
    if found is None:
        raise Http404("no such case file of this case")
    as_json = request.GET.get("formaat") == "json"
    audit_record(
        actor=user,
        action="dunning.casefile.download",
        purpose=AUDIT_PURPOSE,
        object_type="dunning.casefile",
        object_ids=[found.pk],
        subject_ref=customer_ref(case.customer_id),
        data={"case": case.pk, "format": "json" if as_json else "text"},
    )
    if as_json:
        body = json.dumps(found.content, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = f"dossier-{case.pk}-{found.pk}.json"
    else:
        response = HttpResponse(found.text, content_type="text/plain; charset=utf-8")
        name = f"dossier-{case.pk}-{found.pk}.txt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@staff_required(BOARD_SCOPE)
@require_POST
def hold_release(request, hold: int):
    """An invoice taken out of collection after an upheld contest goes back in (e.g. corrected)."""
    target = holds_for(viewer=request.user).filter(pk=hold).first()
    if target is None:
        raise Http404("no such hold")
    try:
        release_hold(actor=request.user, hold=target)
    except ValidationError as error:
        messages.error(request, error.text())
    else:
        messages.success(
            request,
            _("Invoice %(number)s is back in collection: the daily run takes it up again.")
            % {"number": target.invoice.number},
        )
    return redirect(reverse("backoffice:dunning") + "#vrijgeven")


# --- Ladders --------------------------------------------------------------------------------


def _ladders_crumb():
    return (_("Ladders"), reverse("backoffice:dunning_ladders"))


def _ladder_name(ladder) -> str:
    return ladder.name_en if df.english() else ladder.name_nl


def _steps_text(steps) -> list[dict]:
    return [{**s, "name": L.kind_name(s["kind"], df.lang())} for s in steps]


@never_cache
@staff_required(BOARD_SCOPE)
@require_http_methods(["GET", "HEAD"])
def ladders(request):
    items = []
    for ladder in ladders_for(viewer=request.user):
        current = ladder.current()
        items.append(
            {
                "ladder": ladder,
                "name": _ladder_name(ladder),
                "market": df.MARKETS.get(ladder.market, ladder.market),
                "current": current,
                "steps": _steps_text(current.steps) if current else [],
            }
        )
    return render(
        request,
        "backoffice/dunning/ladders.html",
        {"items": items, "crumbs": _crumbs(_board_crumb(), (_("Ladders"), None))},
    )


@never_cache
@staff_required(BOARD_SCOPE)
@require_http_methods(["GET", "HEAD", "POST"])
def ladder_edit(request, key: str):
    """A ladder's versions, and a form for a new one; cases keep the version they started with."""
    user = request.user
    ladder = ladders_for(viewer=user).filter(key=key).first()
    if ladder is None:
        raise Http404("no such ladder")
    current = ladder.current()
    form = df.LadderForm(request.POST if request.method == "POST" else None, version=current)
    if request.method == "POST" and form.is_valid():
        try:
            made = ladder_update(actor=user, ladder=ladder, **form.service_kwargs())
        except ValidationError as error:
            df.add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s of the ladder is in use for new cases; open cases keep their version.")
                % {"version": made.version},
            )
            return redirect("backoffice:dunning_ladder", key=ladder.key)
    versions = [
        {"version": v, "steps": _steps_text(v.steps)} for v in ladder.versions.select_related("created_by").all()
    ]
    versions.sort(key=lambda item: -item["version"].version)
    return render(
        request,
        "backoffice/dunning/ladder.html",
        {
            "ladder": ladder,
            "name": _ladder_name(ladder),
            "market": df.MARKETS.get(ladder.market, ladder.market),
            "current": current,
            "versions": versions,
            "form": form,
            "scopes": df.BLOCK_SCOPES,
            "crumbs": _crumbs(_board_crumb(), _ladders_crumb(), (_ladder_name(ladder), None)),
        },
    )
