"""The daily run (A1–A4): `run_day` works set-based on the unpaid overdue invoices and the active
cases, never on all customers.

1. sync — one grouped query over the overdue invoices (the invoices' status and due-date
   indexes) gives each customer's oldest due date; compared with the active cases it opens
   cases whose first step is due, closes cases with nothing overdue left (lifting non-payment
   blocks) and re-anchors cases whose oldest invoice was paid;
2. steps — cases whose next step is due take exactly that step (one module per kind,
   dunning.steps), in batches: facts read in bulk, decisions and notices bulk-inserted, each
   with an idempotency key (running a day twice does nothing twice). A step is never skipped:
   steps are taken in order, and the time between two steps is never shorter than the ladder
   says, counted from the day the previous notice really went out (dunning.schedule); a block
   waits until the final notice naming its date has been sent.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connection, transaction

from waarborg.audit.services import audit_record
from waarborg.customers.selectors import notice_agreements_standing
from waarborg.dunning import bulk
from waarborg.dunning import ladders as L
from waarborg.dunning.cases import close_case, reanchor_case
from waarborg.dunning.decisions import ACTOR, DECISION_FIELDS, NOTICE_FIELDS, new_decision, new_notice, set_next
from waarborg.dunning.facts import build_facts, chunks, has_overdue, overdue_by_customer, overdue_invoices, sent_notices
from waarborg.dunning.ladder_versions import current_versions, versions_by_id
from waarborg.dunning.models import Case, Decision, LadderVersion, Notice
from waarborg.dunning.schedule import plan_next
from waarborg.dunning.steps import bailiff, block, cancel, final_notice, reminder, wik_letter

BATCH = 1000  # cases per transaction

# Each step kind's module.
STEPS = {
    L.REMINDER: reminder.take,
    L.WIK_LETTER: wik_letter.take,
    L.FINAL_NOTICE: final_notice.take,
    L.BLOCK: block.take,
    L.BAILIFF: bailiff.take,
    L.CANCEL: cancel.take,
}


def run_day(day: dt.date) -> dict[str, int]:
    """Advance every active case for `day`; returns counts per step kind. Idempotent."""
    counts: Counter = Counter()
    versions = current_versions()
    if not versions:
        return {}
    due = _sync(day, versions, counts)
    _take_steps(due, day, counts)
    result = {k: v for k, v in sorted(counts.items()) if v}
    if result:
        with transaction.atomic():  # the event in a transaction of its own
            audit_record(actor=ACTOR, action="dunning.run", purpose="U4", data=result)  # at: the day run for
    if len(due) >= ANALYZE_AFTER:
        _analyze()
    return result


# After a run that wrote this many steps, PostgreSQL's statistics of the dunning tables are
# refreshed at once: with stale ones its planner serves each notice's claim from the queue index
# instead of the primary key, and sending the day's notices slows down with every one sent.
ANALYZE_AFTER = 10_000


def _analyze() -> None:
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Case, Decision, Notice):
            cursor.execute(f"ANALYZE {qn(model._meta.db_table)}")


def _sync(day: dt.date, versions: dict[str, LadderVersion], counts: Counter) -> list[int]:
    """Open, close and re-anchor cases from one grouped query over the overdue invoices."""
    overdue = overdue_by_customer(day)

    due: list[int] = []
    have: set[int] = set()
    close, reanchor = [], []
    active = Case.objects.filter(status__in=Case.ACTIVE).values_list(
        "id", "customer_id", "anchor_date", "status", "next_step_on", "pending_notice"
    )
    for case_id, cid, anchor, status, next_on, pending in active.iterator(chunk_size=5000):
        have.add(cid)
        seen = overdue.get(cid)
        if seen is None:
            close.append(case_id)
            continue
        if seen[0] != anchor:
            reanchor.append(case_id)
            continue
        if status == Case.Status.OPEN and next_on is not None and next_on <= day:
            if pending:
                counts["waiting_for_notice"] += 1
            else:
                due.append(case_id)
        elif status == Case.Status.PAUSED and next_on is not None and next_on <= day:
            counts["paused"] += 1

    for case_id in close:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=case_id, status__in=Case.ACTIVE).first()
            if case is not None and not has_overdue(case.customer_id, day):
                close_case(case, day=day, reason="settled")
                counts["closed"] += 1
    for case_id in reanchor:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=case_id, status__in=Case.ACTIVE).first()
            if case is not None and reanchor_case(case, day=day) is not None:
                counts["reanchored"] += 1
                if case.status == Case.Status.OPEN and not case.pending_notice and case.next_step_on <= day:
                    due.append(case.pk)

    new_cases = []
    for cid, (anchor, market) in overdue.items():
        if cid in have:
            continue
        version = versions.get(market)
        if version is None:
            continue
        first = anchor + dt.timedelta(days=version.steps[0]["day"])
        if first <= day:
            new_cases.append(
                bulk.Row(
                    customer_id=cid,
                    ladder_version_id=version.pk,
                    status=Case.Status.OPEN.value,
                    opened_on=day,
                    closed_on=None,
                    close_reason="",
                    anchor_date=anchor,
                    next_index=0,
                    next_step_on=first,
                    last_effective_on=None,
                    last_notice_on=None,
                    pending_notice=False,
                    shift_days=0,
                    paused_on=None,
                    costs_amount=None,
                    costs_from=None,
                    costs_invoices=[],
                )
            )
    for chunk in chunks(new_cases, BATCH):
        with transaction.atomic():
            bulk.insert(Case, _NEW_CASE_FIELDS, chunk)
            # The new cases' ids, by the customer index only (see sent_notices).
            for pk, status, index in Case.objects.filter(customer_id__in=[c.customer_id for c in chunk]).values_list(
                "id", "status", "next_index"
            ):
                if status == Case.Status.OPEN and index == 0:
                    due.append(pk)
    counts["opened"] += len(new_cases)
    return due


_NEW_CASE_FIELDS = (
    "customer_id",
    "ladder_version_id",
    "status",
    "opened_on",
    "closed_on",
    "close_reason",
    "anchor_date",
    "next_index",
    "next_step_on",
    "last_effective_on",
    "last_notice_on",
    "pending_notice",
    "shift_days",
    "paused_on",
    "costs_amount",
    "costs_from",
    "costs_invoices",
)


def _take_steps(case_ids: list[int], day: dt.date, counts: Counter) -> None:
    """Take the next step of each due case, a batch per transaction (rows locked on PostgreSQL)."""
    versions: dict[int, LadderVersion] = {}
    for chunk in chunks(case_ids, BATCH):
        with transaction.atomic():
            # By primary key only, the conditions checked here: a status condition would tempt
            # SQLite into the (status, next_step_on) index, walking every due case per batch.
            rows = Case.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list(*bulk.CASE_FIELDS)
            cases = [
                case
                for case in (bulk.CaseRow(*values) for values in rows)
                if case.status == Case.Status.OPEN
                and not case.pending_notice
                and case.next_step_on is not None
                and case.next_step_on <= day
            ]
            if not cases:
                continue
            missing = {c.ladder_version_id for c in cases} - set(versions)
            versions.update(versions_by_id(missing))
            invoices = overdue_invoices([c.customer_id for c in cases], day)
            notices = sent_notices([c.pk for c in cases])
            keys = [f"case:{c.pk}:step:{c.next_index}" for c in cases]
            taken = set(Decision.objects.filter(key__in=keys).values_list("key", flat=True))
            agreements = notice_agreements_standing(
                [
                    c.customer_id
                    for c in cases
                    if versions[c.ladder_version_id].steps[c.next_index]["kind"] == L.WIK_LETTER
                ],
                day,
            )
            decisions, gating, after, changed = [], {}, [], []
            for case in cases:
                key = f"case:{case.pk}:step:{case.next_index}"
                own = invoices.get(case.customer_id)
                if key in taken or not own:
                    continue
                version = versions[case.ladder_version_id]
                decision, gates, then = _step(
                    case, version, own, notices.get(case.pk, []), day, key, agreement=agreements.get(case.customer_id)
                )
                decisions.append(decision)
                if gates is not None:
                    gating[decision.key] = gates
                if then is not None:
                    after.append((then, decision.key))
                changed.append(case)
                counts[decision.kind] += 1
                if decision.outcome == "approval_requested":
                    counts[f"{decision.kind}_awaits_approval"] += 1
            bulk.insert(Decision, DECISION_FIELDS, decisions)
            ids = dict(Decision.objects.filter(key__in=[d.key for d in decisions]).values_list("key", "id"))
            new_notices = []
            for decision in decisions:
                if decision.key in gating:
                    notice = new_notice(decision, gates=gating[decision.key], row=True)
                    notice.decision_id = ids[decision.key]
                    new_notices.append(notice)
            bulk.insert(Notice, NOTICE_FIELDS, new_notices)
            for then, key in after:
                then(ids[key])
            _update_cases(changed)


_CASE_STEP_FIELDS = (
    "status",
    "next_index",
    "next_step_on",
    "last_effective_on",
    "pending_notice",
    "costs_amount",
    "costs_from",
    "costs_invoices",
)


def _update_cases(cases, fields=_CASE_STEP_FIELDS) -> None:
    """One UPDATE per case through executemany: cheaper than bulk_update's CASE expressions."""
    bulk.update(Case, tuple(fields), cases)


def _step(case, version: LadderVersion, invoices, notices, day: dt.date, key: str, *, agreement=None):
    """Take the case's next step in memory: (decision, notice gating or None, after-save action)."""
    index = case.next_index
    kind = version.steps[index]["kind"]
    planned = plan_next(case, version) or day
    facts = build_facts(case, version, invoices, notices, day, planned_on=planned)
    take = STEPS.get(kind)
    if take is None:  # pragma: no cover (the ladder validation refuses other kinds)
        raise ValueError(kind)
    result = take(case, version, invoices, day=day, key=key, agreement=agreement)
    decision = new_decision(
        case,
        version,
        kind=kind,
        key=key,
        facts=facts,
        outcome=result.outcome,
        outcome_data=result.outcome_data,
        day=day,
        step_index=index,
        row=True,
    )
    if case.status == Case.Status.OPEN:
        case.next_index = index + 1
        case.last_effective_on = day
        case.pending_notice = bool(result.gates)
        if case.next_index >= len(version.steps):
            case.status = Case.Status.DONE
            case.next_step_on = None
        else:
            case.next_step_on = plan_next(case, version)
    set_next(decision, case, version, case.next_step_on)
    return decision, result.gates, result.then
