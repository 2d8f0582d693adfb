"""Reads of dunning, scoped to the viewer (B2), for the back office, the portal and the shell.

Cases, decisions and notices hold invoice data: the "invoices" scope (finance, and a customer
for their own cases). Deciding — contests, approvals, ladders — is for finance only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from waarborg.billing.models import Invoice
from waarborg.core import clock, roles
from waarborg.core.access import filter_customer, get_scoped, scope_queryset
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.dunning import ladders as L
from waarborg.dunning.facts import overdue_invoices
from waarborg.dunning.links import read_token
from waarborg.dunning.models import (
    Approval,
    Case,
    CaseFile,
    Contest,
    Decision,
    Hold,
    Ladder,
    LadderVersion,
    Notice,
    ProvisioningMessage,
)
from waarborg.dunning.notices import explain, told_margin
from waarborg.register.models import Recipient

SCOPE = "invoices"


@dataclass(frozen=True)
class ContestLink:
    """What a one-time link from a notice points at: the portal's contest page shows this."""

    decision_id: int
    case_id: int
    customer_id: int
    kind: str  # contest or person
    used: bool  # this link has been used (a second use is refused)
    closed: bool  # the case is closed: nothing to contest
    text: str  # the decision the notice was about, in the customer's words


def contest_link_get(token: str, *, lang: str = "nl") -> ContestLink:
    """The target of a contest or person link; ValidationError when the token is not ours.

    No viewer: the signed token is the authority, as for the service contest_submit(token=...).
    """
    decision_id, kind = read_token(token)
    decision = Decision.objects.select_related("case", "ladder_version__ladder").filter(pk=decision_id).first()
    if decision is None:
        raise ValidationError("dunning.link_invalid", field="token")
    notice = Notice.objects.filter(decision_id=decision.pk).first()
    return ContestLink(
        decision_id=decision.pk,
        case_id=decision.case_id,
        customer_id=decision.customer_id,
        kind=kind,
        used=Contest.objects.filter(via_decision_id=decision.pk, kind=kind).exists(),
        closed=decision.case.status == Case.Status.CLOSED,
        text=explain(decision, lang, notice=notice),
    )


def _finance(viewer) -> None:
    roles.require(viewer, SCOPE)
    if getattr(viewer, "role", None) != roles.FINANCE:
        raise PermissionDenied("dunning.finance_decides")


def dunning_cases_for(*, viewer, customer=None, status: str | None = None, active_only: bool = False):
    """Cases the viewer may see, newest first; `active_only` leaves out closed cases."""
    qs = scope_queryset(Case.objects.select_related("customer", "ladder_version__ladder"), viewer=viewer, scope=SCOPE)
    qs = filter_customer(qs, viewer=viewer, customer=customer)
    if status:
        qs = qs.filter(status=status)
    if active_only:
        qs = qs.filter(status__in=Case.ACTIVE)
    return qs.order_by("-opened_on", "-pk")


def case_get_for(*, viewer, pk) -> Case:
    return get_scoped(
        Case.objects.select_related("customer", "ladder_version__ladder"), viewer=viewer, scope=SCOPE, pk=pk
    )


@dataclass
class TimelineEntry:
    decision_id: int
    on: dt.date
    at: dt.datetime
    kind: str
    name: str
    outcome: str
    automated: bool
    decided_by: str
    rule: str
    next_kind: str
    next_on: dt.date | None
    notice_status: str = ""
    notice_sent_on: dt.date | None = None
    text: str = ""
    term_end: dt.date | None = None  # the fourteen-day letter's term, as the letter states it
    term_margin: dict = field(default_factory=dict)  # its margin and reason (core.holidays.wik_term)
    channel: str = ""  # the notice's: email or post
    posted_on: dt.date | None = None  # a letter by post: the day it was posted


@dataclass
class LetterChannel:
    """How a case's fourteen-day letter went: by e-mail on the customer's agreement (its source,
    date and reference, as the decision recorded them), or by post (waiting, or posted on a day)."""

    notice_id: int | None
    channel: str  # email or post
    status: str  # the notice's status: queued, to_post, sent, ...
    agreement: dict | None = None  # {"source", "agreed_on", "reference"}
    posted_on: dt.date | None = None
    sent_on: dt.date | None = None
    term_end: dt.date | None = None
    costs_from: dt.date | None = None


@dataclass
class Timeline:
    case: Case
    entries: list[TimelineEntry] = field(default_factory=list)
    next_kind: str = ""
    next_name: str = ""
    next_on: dt.date | None = None
    waiting_for: str = ""  # why no automatic step comes: notice, post, contest, approval, finished, closed
    letter: LetterChannel | None = None  # the fourteen-day letter, once the ladder took that step

    @property
    def status(self) -> str:
        return self.case.status


def _local_day(moment):
    return moment.astimezone(clock.AMSTERDAM).date() if moment else None


def case_timeline_for(*, viewer, case, lang: str = "nl", with_text: bool = True) -> Timeline:
    """Every decision of a case in order, with its notice and, with `with_text`, the words the
    customer got; and the next step with its date (or what the case waits for)."""
    case = case_get_for(viewer=viewer, pk=getattr(case, "pk", case))
    version = case.ladder_version
    decisions = (
        Decision.objects.filter(case_id=case.pk)
        .select_related("decided_by", "ladder_version__ladder")
        .order_by("decided_at", "pk")
    )
    notices = {n.decision_id: n for n in Notice.objects.filter(case_id=case.pk)}
    timeline = Timeline(case=case)
    for d in decisions:
        notice = notices.get(d.pk)
        by = ""
        if d.decided_by_id:
            by = d.decided_by.display_name or f"account {d.decided_by_id}"
        timeline.entries.append(
            TimelineEntry(
                decision_id=d.pk,
                on=d.decided_on,
                at=d.decided_at,
                kind=d.kind,
                name=L.kind_name(d.kind, lang),
                outcome=d.outcome,
                automated=d.decided_by_id is None,
                decided_by=by,
                rule=d.rule,
                next_kind=d.next_kind,
                next_on=(notice.next_on if notice and notice.next_on else d.next_on),
                notice_status=notice.status if notice else "",
                notice_sent_on=_local_day(notice.sent_at) if notice else None,
                text=explain(d, lang, notice=notice) if with_text else "",
                term_end=notice.term_end if notice else None,
                term_margin=told_margin(d.outcome_data, notice.term_end if notice else None),
                channel=notice.channel if notice else "",
                posted_on=notice.posted_on if notice else None,
            )
        )
        if d.kind == L.WIK_LETTER:
            data = d.outcome_data or {}
            timeline.letter = LetterChannel(
                notice_id=notice.pk if notice else None,
                channel=notice.channel if notice else data.get("channel", "email"),
                status=notice.status if notice else "",
                agreement=data.get("agreement"),
                posted_on=notice.posted_on if notice else None,
                sent_on=_local_day(notice.sent_at) if notice else None,
                term_end=notice.term_end if notice else None,
                costs_from=case.costs_from,
            )
    if case.status == Case.Status.CLOSED:
        timeline.waiting_for = "closed"
    elif case.status == Case.Status.PAUSED:
        timeline.waiting_for = "contest"
    elif case.status == Case.Status.WAITING:
        timeline.waiting_for = "approval"
    elif case.status == Case.Status.DONE:
        timeline.waiting_for = "finished"
    elif case.pending_notice:
        waiting_post = any(n.status == Notice.Status.TO_POST for n in notices.values())
        timeline.waiting_for = "post" if waiting_post else "notice"
    if case.status in (Case.Status.OPEN, Case.Status.PAUSED) and case.next_index < len(version.steps):
        step = version.steps[case.next_index]
        timeline.next_kind = step["kind"]
        timeline.next_name = L.kind_name(step["kind"], lang)
        timeline.next_on = case.next_step_on
    return timeline


def contests_to_decide_for(*, viewer):
    """Open contests and requests for a person, oldest first (finance)."""
    _finance(viewer)
    return (
        Contest.objects.filter(status=Contest.Status.OPEN)
        .select_related("case", "customer")
        .order_by("received_at", "pk")
    )


def approvals_waiting_for(*, viewer, kind: str | None = None):
    """Bailiff hand-offs and cancellations waiting for a person, oldest first (finance)."""
    _finance(viewer)
    qs = Approval.objects.filter(status=Approval.Status.PENDING).select_related("case", "customer", "decision")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("requested_on", "pk")


def notices_needing_attention_for(*, viewer, min_attempts: int = 3):
    """Notices that cannot go out (no address) or keep failing: the case waits for them (finance)."""
    _finance(viewer)
    return (
        Notice.objects.filter(
            Q(status=Notice.Status.UNDELIVERABLE) | Q(status=Notice.Status.QUEUED, attempts__gte=min_attempts)
        )
        .select_related("case", "customer")
        .order_by("created_at", "pk")
    )


def provisioning_backlog_for(*, viewer, min_attempts: int = 1):
    """Webhook messages not yet delivered after a failure (finance)."""
    _finance(viewer)
    return ProvisioningMessage.objects.filter(
        status=ProvisioningMessage.Status.PENDING, attempts__gte=min_attempts
    ).order_by("created_at", "pk")


def holds_for(*, viewer, active_only: bool = True):
    """Invoices taken out of dunning after an upheld contest (finance)."""
    _finance(viewer)
    qs = Hold.objects.select_related("invoice", "customer", "contest")
    if active_only:
        qs = qs.filter(released_at__isnull=True)
    return qs.order_by("created_at", "pk")


def ladders_for(*, viewer):
    """The ladders with their versions, newest first (finance)."""
    _finance(viewer)
    return Ladder.objects.prefetch_related("versions").order_by("key")


# --- The back office's dunning board (finance) ----------------------------------------------
# Added for the board and the case page: cases counted and filtered by the step they are at,
# what is overdue on them, the bailiffs a hand-off may go to, a case's contests, approvals and
# case files.

BOARD_STATUSES = (Case.Status.OPEN, Case.Status.PAUSED, Case.Status.WAITING, Case.Status.DONE)
NOT_STARTED = "none"  # a case whose first step has not been taken yet


def step_at(version, index: int, status: str = "") -> dict | None:
    """The ladder step a case at `next_index` = `index` is at: the step it took last, or, when it
    waits for an approval, the step that waits (None: no step taken yet)."""
    if status == Case.Status.WAITING:
        index += 1
    if index <= 0 or index > len(version.steps):
        return None
    return version.steps[index - 1]


def _board_cases(viewer, *, status: str | None, market: str | None):
    _finance(viewer)
    qs = dunning_cases_for(viewer=viewer)
    qs = qs.filter(status=status) if status else qs.filter(status__in=BOARD_STATUSES)
    if market:
        qs = qs.filter(ladder_version__ladder__market=market)
    return qs


def _versions():
    return {v.pk: v for v in LadderVersion.objects.all()}


def dunning_board_counts_for(*, viewer, status: str | None = None, market: str | None = None) -> dict[str, dict]:
    """{step kind (or NOT_STARTED): {status: number of cases}} of the cases not closed (finance).

    One grouped query by ladder version, step index and status; the step kinds come from the
    few ladder versions, so the count does not read the cases one by one."""
    qs = _board_cases(viewer, status=status, market=market)
    versions = _versions()
    out: dict[str, dict] = {}
    rows = qs.order_by().values("ladder_version_id", "next_index", "status").annotate(n=Count("pk"))
    for row in rows:
        step = step_at(versions[row["ladder_version_id"]], row["next_index"], row["status"])
        kind = step["kind"] if step else NOT_STARTED
        per_status = out.setdefault(kind, {})
        per_status[row["status"]] = per_status.get(row["status"], 0) + row["n"]
    return out


def dunning_board_cases_for(*, viewer, step: str | None = None, status: str | None = None, market: str | None = None):
    """The cases not closed (finance), filtered by the kind of step they are at, their status and
    their ladder's market; the longest overdue first."""
    qs = _board_cases(viewer, status=status, market=market)
    if step:
        match = Q(pk__in=[])
        for version in _versions().values():
            for index in range(len(version.steps) + 1):
                for waiting in (False, True):
                    taken = step_at(version, index, Case.Status.WAITING if waiting else "")
                    if (taken["kind"] if taken else NOT_STARTED) != step:
                        continue
                    state = Q(status=Case.Status.WAITING) if waiting else ~Q(status=Case.Status.WAITING)
                    match |= Q(ladder_version_id=version.pk, next_index=index) & state
        qs = qs.filter(match)
    return qs.order_by("anchor_date", "pk")


def case_overdue_for(*, viewer, cases, day: dt.date) -> dict[int, dict[str, object]]:
    """{case id: {currency: amount open past its due date on `day`}}; invoices on hold left out."""
    roles.require(viewer, SCOPE)
    cases = list(cases)
    by_customer = overdue_invoices([c.customer_id for c in cases], day)
    out: dict[int, dict[str, object]] = {}
    for case in cases:
        totals: dict[str, Decimal] = {}
        for invoice in by_customer.get(case.customer_id, []):
            totals[invoice.currency] = totals.get(invoice.currency, Decimal(0)) + invoice.open
        out[case.pk] = totals
    return out


def case_contests_for(*, viewer, case):
    """A case's contests and requests for a person, oldest first (finance)."""
    _finance(viewer)
    return (
        Contest.objects.filter(case_id=getattr(case, "pk", case))
        .select_related("decided_by")
        .order_by("received_at", "pk")
    )


def case_approvals_for(*, viewer, case):
    """A case's approvals (bailiff hand-off, cancellation), oldest first (finance)."""
    _finance(viewer)
    return (
        Approval.objects.filter(case_id=getattr(case, "pk", case))
        .select_related("decided_by", "recipient", "decision")
        .order_by("requested_on", "pk")
    )


def case_files_for(*, viewer, case):
    """The case files a case's bailiff hand-off produced (finance)."""
    _finance(viewer)
    return CaseFile.objects.filter(case_id=getattr(case, "pk", case)).select_related("recipient").order_by("pk")


def bailiffs_for(*, viewer):
    """The recipients registered as bailiffs, valid agreement or not: the hand-off checks it (finance)."""
    _finance(viewer)
    return Recipient.objects.filter(category="bailiff").order_by("name", "pk")


def case_invoice_ids_for(*, viewer, customer=None, active_only: bool = False) -> dict[int, set[int]]:
    """Per case the viewer may see, the ids of the invoices its decisions named (their facts).

    A case is about a customer's overdue invoices as they were on each step's day: the portal
    shows an invoice's timeline from the cases that ever named it.
    """
    cases = dunning_cases_for(viewer=viewer, customer=customer, active_only=active_only)
    out: dict[int, set[int]] = {pk: set() for pk in cases.values_list("pk", flat=True)}
    if not out:
        return out
    for case_id, facts in Decision.objects.filter(case_id__in=list(out)).values_list("case_id", "facts"):
        for row in (facts or {}).get("invoices", []):
            if isinstance(row, dict) and isinstance(row.get("id"), int):
                out[case_id].add(row["id"])
    return out


def contests_of_case_for(*, viewer, case):
    """A case's contests and requests for a person, oldest first: for finance, and for the
    customer whose case it is (the portal shows whether theirs waits for a decision)."""
    case = case_get_for(viewer=viewer, pk=getattr(case, "pk", case))
    return Contest.objects.filter(case_id=case.pk).order_by("received_at", "pk")


def invoice_costs_owed_for(*, viewer, invoice, day: dt.date | None = None) -> Decimal:
    """The collection costs owed with `invoice` on `day`: those its customer's active case
    announced, once the fourteen-day term has passed, counted once — with the case's first
    invoice still open (0 for any other invoice, or when nothing is owed)."""
    day = day or clock.today()
    for case in dunning_cases_for(viewer=viewer, customer=invoice.customer_id, active_only=True):
        if not (case.costs_amount and case.costs_from and case.costs_from <= day):
            continue
        claimed = set(case.costs_invoices or [])
        if invoice.pk not in claimed:
            continue
        still_open = set(
            Invoice.objects.filter(pk__in=claimed, status=Invoice.Status.OPEN).values_list("pk", flat=True)
        )
        if min(still_open | {invoice.pk}) == invoice.pk:
            return Decimal(case.costs_amount)
    return Decimal(0)
