"""Reads of the privacy-request screens of the back office, scoped through the privacy selectors.

- `queue_rows_for`: the queue (waarborg.privacy.selectors.privacy_queue) with filters;
- `timeline_for`: one request's events from the audit trail, its deadline warnings and its
  recipient notices, oldest first;
- `earlier_requests_for`: the same person's earlier requests (a refusal as manifestly unfounded
  or excessive names them);
- `erasure_preview_for`: what the erasure engine (waarborg.erasure.plan) would do, for review;
- `month_overview_for`: the privacy officer's month: received; answered, and of those the share
  within the promise and within the legal term (judged at the answer); refused, extended,
  paused, overdue — in total and per type, with every answered request listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from waarborg.accounts.models import Account
from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.erasure.plan import erasure_plan
from waarborg.privacy import timeliness
from waarborg.privacy.models import DeadlineWarning, PrivacyRequest
from waarborg.privacy.selectors import (
    QueueRow,
    privacy_queue,
    privacy_request_get_for,
    privacy_request_list_for,
    recipient_notice_list_for,
)
from waarborg.privacy.subject import subject_hits
from waarborg.web import privacy_texts

SOON_DAYS = 7
STATUS_FILTERS = ("open", "all", *PrivacyRequest.Status.values)
DUE_FILTERS = ("overdue", "soon", "late")
VIEW_ACTION = "privacy.request.view"


# --- The queue ----------------------------------------------------------------------------


def target_date(row: QueueRow) -> dt.date:
    """The date the request is held to internally: the promised date (moved on by the days it
    waited on the requester), or the extended one."""
    return row.target or row.extended_due or row.promise_due


def queue_rows_for(
    *, viewer, type: str = "", status: str = "open", due: str = "", handler: str = "", today: dt.date | None = None
) -> list[QueueRow]:
    """The queue, the first due first: open requests (or `status`), filtered by type, by due
    and by handler ("me", "none"). The terms are judged at the answer (waarborg.privacy.timeliness):
    "overdue" is not answered and past the promised or extended date; "soon" is not answered and
    due within a week; "late" is past the legal term — answered after it, or not answered yet."""
    today = today or clock.today()
    rows = privacy_queue(viewer=viewer, today=today, include_closed=status not in ("", "open"))
    if status not in ("", "open", "all"):
        rows = [r for r in rows if r.request.status == status]
    if type:
        rows = [r for r in rows if r.request.type == type]
    if due == "overdue":
        rows = [r for r in rows if r.overdue]
    elif due == "soon":
        rows = [r for r in rows if r.request.is_open and not r.overdue and (target_date(r) - today).days <= SOON_DAYS]
    elif due == "late":
        rows = [r for r in rows if r.late]
    if handler == "me":
        rows = [r for r in rows if r.request.handler_id == viewer.pk]
    elif handler == "none":
        rows = [r for r in rows if r.request.handler_id is None]
    return rows


# --- One request ----------------------------------------------------------------------------


@dataclass
class Entry:
    at: dt.datetime
    kind: str  # event | warning | notice
    what: str
    who: str = ""
    details: list[str] = field(default_factory=list)


def _actor_names(events) -> dict[str, str]:
    ids = {int(e.actor.split(":", 1)[1]) for e in events if e.actor.startswith("account:")}
    names = {}
    for account in Account.objects.filter(pk__in=ids).only("pk", "display_name", "email", "role"):
        names[f"account:{account.pk}"] = account.display_name or account.email
    return names


def _who(actor: str, names: dict[str, str], request: PrivacyRequest) -> str:
    if request.account_id and actor == f"account:{request.account_id}":
        return _("The requester")
    if actor in names:
        return names[actor]
    if actor == "subject":
        return str(_("The requester"))
    if actor in ("system", "cli"):
        return str(_("The system"))
    if actor.startswith("api:"):
        return str(_("API client %(prefix)s") % {"prefix": actor[4:]})
    return actor


def _describe(event: AuditEvent) -> list[str]:
    """A few words on what the event's data says (codes and counts only, as stored)."""
    data = event.data or {}
    out = []
    if event.action == "privacy.request.create":
        out.append(privacy_texts.label("request_channel", data.get("channel")))
        if data.get("verified"):
            out.append(str(_("verified by the session")))
    elif event.action == "privacy.verification.start":
        out.append(privacy_texts.label("link_kind", data.get("kind")))
        out.append(str(_("by e-mail")) if data.get("emailed") else str(_("for a letter")))
    elif event.action == "privacy.id.review":
        out.append(privacy_texts.label("id_result", data.get("result")))
    elif event.action == "privacy.request.refuse":
        out.append(privacy_texts.label("refusal_ground", data.get("ground")))
        if data.get("earlier"):
            out.append(", ".join(data["earlier"]))
    elif event.action in (
        "privacy.rectification.propose",
        "privacy.rectification.approve",
        "privacy.rectification.reject",
    ):
        out.append(privacy_texts.label("contact_field", data.get("field")))
    elif event.action == "privacy.erasure.review":
        out.append(privacy_texts.label("plan_status", data.get("result")))
    elif event.action in ("privacy.restriction.apply", "privacy.erasure.plan"):
        out.append(", ".join(data.get("categories") or ()))
    elif event.action == "privacy.request.complete":
        if data.get("stopped"):
            out.append(str(_("stopped: %(purposes)s") % {"purposes": ", ".join(data["stopped"])}))
        if data.get("kept"):
            out.append(str(_("kept: %(purposes)s") % {"purposes": ", ".join(data["kept"])}))
    if event.action in ("privacy.request.extend", "privacy.request.refuse", "privacy.request.complete"):
        out.append(str(_("sent by post")) if data.get("by_post") else str(_("sent by e-mail")))
    return [text for text in out if text]


def timeline_for(*, viewer, request) -> list[Entry]:
    """Everything that happened to the request, oldest first (openings of the page left out)."""
    request = privacy_request_get_for(viewer=viewer, pk=request)
    events = list(
        AuditEvent.objects.filter(object_type__startswith="privacy.", data__request=request.number)
        .exclude(action__in=(VIEW_ACTION, "privacy.deadline.warn", "privacy.notice.done", "privacy.notice.waived"))
        .order_by("seq")
    )
    names = _actor_names(events)
    entries = [
        Entry(
            at=e.at,
            kind="event",
            what=privacy_texts.label("privacy_action", e.action),
            who=_who(e.actor, names, request),
            details=_describe(e),
        )
        for e in events
    ]
    for warning in DeadlineWarning.objects.filter(request=request).order_by("sent_at", "pk"):
        entries.append(
            Entry(
                at=warning.sent_at,
                kind="warning",
                what=str(
                    _("Deadline warning: %(stage)s") % {"stage": privacy_texts.label("warning_stage", warning.stage)}
                ),
                details=[str(_("%(count)s recipient(s)") % {"count": warning.recipients})],
            )
        )
    for notice in recipient_notice_list_for(viewer=viewer, request=request):
        cause = privacy_texts.label("notice_cause", notice.cause)
        entries.append(
            Entry(
                at=notice.created_at,
                kind="notice",
                what=str(_("Notice to %(recipient)s to do") % {"recipient": notice.recipient.name}),
                details=[cause, ", ".join(notice.categories)],
            )
        )
        if notice.closed_at is not None:
            entries.append(
                Entry(
                    at=notice.closed_at,
                    kind="notice",
                    what=str(
                        _("%(recipient)s: %(status)s")
                        % {
                            "recipient": notice.recipient.name,
                            "status": privacy_texts.label("notice_status", notice.status),
                        }
                    ),
                    who=(notice.closed_by.display_name or notice.closed_by.email) if notice.closed_by else "",
                    details=[notice.note] if notice.note else [],
                )
            )
    order = {"event": 0, "notice": 1, "warning": 2}
    return sorted(entries, key=lambda e: (e.at, order[e.kind]))


def earlier_requests_for(*, viewer, request) -> list[PrivacyRequest]:
    """The same person's requests received before this one (by contact person or e-mail)."""
    same = Q()
    if request.contact_id:
        same |= Q(contact_id=request.contact_id)
    if request.email:
        same |= Q(email=request.email)
    if not same:
        return []
    qs = privacy_request_list_for(viewer=viewer).filter(same, received_at__lt=request.received_at)
    return list(qs.exclude(pk=request.pk).order_by("-received_at", "-pk"))


# --- Erasure: the engine's plan, for review ----------------------------------------------------


@dataclass
class ErasurePreview:
    plan: object  # waarborg.erasure.plan.ErasurePlan
    categories: list[str]
    rows: dict[str, int]
    groups: list
    holds: list


def erasure_preview_for(*, viewer, request) -> ErasurePreview:
    """What the erasure engine would erase, change and keep for the request's subject."""
    request = privacy_request_get_for(viewer=viewer, pk=request)
    plan = erasure_plan(subject_hits(request))
    categories = set()
    rows: dict[str, int] = {}
    for row in plan.rows:
        if not row.changes:
            continue
        rows[row.model] = rows.get(row.model, 0) + 1
        for action in row.fields:
            if row.action == "delete" or (action.action != "retain" and action.changes):
                categories.add(action.category)
    return ErasurePreview(
        plan=plan,
        categories=sorted(categories, key=lambda c: int(c[1:])),
        rows=dict(sorted(rows.items())),
        groups=plan.groups(),
        holds=list(plan.holds),
    )


# --- The month ----------------------------------------------------------------------------------

COLUMNS = ("received", "answered", "refused", "within_promise", "within_legal", "paused", "extended", "overdue")


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=clock.AMSTERDAM)


@dataclass(frozen=True)
class Share:
    """`count` of `of`, as a percentage rounded down to one decimal (100 only when all are)."""

    count: int
    of: int

    @property
    def percent(self) -> Decimal | None:
        if not self.of:
            return None
        return (Decimal(self.count) * 100 / Decimal(self.of)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Answered:
    """A request answered (or refused) in the month, judged at its answer."""

    request: PrivacyRequest
    received: dt.date
    answered: dt.date
    first_response: dt.date
    promise_date: dt.date  # received + 28 days + the days it waited on the requester
    paused_days: int
    due: dt.date  # the legal term: the extended date when extended in time
    within_promise: bool
    within_legal: bool


def _answered(request: PrivacyRequest) -> Answered:
    facts = timeliness.facts_of(request)
    judged = timeliness.judge(facts, facts.answered)
    return Answered(
        request=request,
        received=facts.received,
        answered=facts.answered,
        first_response=judged.first_response,
        promise_date=judged.promise_date,
        paused_days=judged.paused_days,
        due=judged.due,
        within_promise=bool(judged.within_promise),
        within_legal=bool(judged.within_legal),
    )


def _shares(counts: dict[str, int]) -> dict[str, Share]:
    return {
        "promise": Share(counts["within_promise"], counts["answered"]),
        "legal": Share(counts["within_legal"], counts["answered"]),
    }


@dataclass
class MonthOverview:
    month: dt.date  # the first day
    totals: dict[str, int]
    shares: dict[str, Share]  # "promise", "legal": of the requests answered in the month
    per_type: list[tuple[str, dict[str, int], dict[str, Share]]]
    answered: list[Answered]  # every request answered in the month, the evidence of the shares
    open_now: int
    overdue_now: int


def month_overview_for(*, viewer, month: dt.date, today: dt.date | None = None) -> MonthOverview:
    """The privacy officer's month (G9, X5; the proof of art. 5(2)), per type and in total:

    - received: received in the month, on any channel;
    - answered: the answer or the refusal was sent in the month (`answered_at`, not the closing);
      refused: of those, refusals;
    - within_promise: of the answered, the first response — answer, refusal or notice of
      extension — on or before the promise date (received + 28 days, moved on by the days the
      request waited on the requester for its identity check); paused: of the answered, those
      whose promise date moved so;
    - within_legal: of the answered, the answer within the legal term: the legal due date, or
      the extended date when the notice of extension went out on or before the legal due date;
    - extended: notices of extension sent in the month;
    - overdue: not answered on a day of the month after its promise date (or extended date).
    """
    today = today or clock.today()
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    last = min(following - dt.timedelta(days=1), today)
    start, end = _start(first), _start(following)
    qs = privacy_request_list_for(viewer=viewer)
    counts = {t: dict.fromkeys(COLUMNS, 0) for t in PrivacyRequest.Type.values}
    for request in qs.filter(received_at__gte=start, received_at__lt=end):
        counts[request.type]["received"] += 1
    answered = [_answered(r) for r in qs.filter(answered_at__gte=start, answered_at__lt=end)]
    for item in answered:
        row = counts[item.request.type]
        row["answered"] += 1
        row["refused"] += item.request.status == PrivacyRequest.Status.REFUSED
        row["within_promise"] += item.within_promise
        row["within_legal"] += item.within_legal
        row["paused"] += item.paused_days > 0
    for request in qs.filter(extension_notice_sent_at__gte=start, extension_notice_sent_at__lt=end):
        counts[request.type]["extended"] += 1
    if first <= today:
        candidates = qs.filter(received_at__lt=end).filter(Q(answered_at__isnull=True) | Q(answered_at__gte=start))
        for request in candidates:
            if timeliness.overdue_between(timeliness.facts_of(request), first, last):
                counts[request.type]["overdue"] += 1
    totals = {column: sum(c[column] for c in counts.values()) for column in COLUMNS}
    rows = privacy_queue(viewer=viewer, today=today)
    return MonthOverview(
        month=first,
        totals=totals,
        shares=_shares(totals),
        per_type=[(t, counts[t], _shares(counts[t])) for t in PrivacyRequest.Type.values],
        answered=sorted(answered, key=lambda a: (a.answered, a.request.number)),
        open_now=len(rows),
        overdue_now=sum(1 for r in rows if r.overdue),
    )
