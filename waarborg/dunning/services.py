"""Dunning: the daily evaluation, the payment hook, and the human in the loop (A1–A5, X4).

The daily run (`run_day`) works set-based on the unpaid overdue invoices and the active cases,
never on all customers:

1. sync — one grouped query over the overdue invoices (the invoices' status and due-date
   indexes) gives each customer's oldest due date; compared with the active cases it opens
   cases whose first step is due, closes cases with nothing overdue left (lifting non-payment
   blocks) and re-anchors cases whose oldest invoice was paid;
2. steps — cases whose next step is due take exactly that step, in batches: facts read in bulk,
   decisions and notices bulk-inserted, each with an idempotency key (running a day twice does
   nothing twice). A step is never skipped: steps are taken in order, and the time between two
   steps is never shorter than the ladder says, counted from the day the previous notice really
   went out; a block waits until the final notice naming its date has been sent.

A payment (billing.services.payment_record → `payment_booked`) re-evaluates the customer at
once: paid up → the case closes and non-payment blocks are lifted; something still open → the
case continues on what is open (the anchor moves to the oldest invoice still unpaid).

A contest pauses the case until a named employee decides; the bailiff hand-off always needs an
approval and a registered bailiff with a valid agreement; a cancellation needs an approval when
the customer responded after the last notice (else it follows the stated silence period).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction

from waarborg.audit.services import audit_record
from waarborg.billing.models import Invoice, InvoiceLine, Payment
from waarborg.catalogue.models import Subscription
from waarborg.core import clock, roles
from waarborg.core.access import check_actor, is_customer_viewer, own_customer_id
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.core.holidays import wik_term
from waarborg.customers.models import Customer
from waarborg.customers.selectors import notice_agreements_standing
from waarborg.customers.services import clean_choice, clean_text, customer_ref
from waarborg.dunning import bulk
from waarborg.dunning import ladders as L
from waarborg.dunning.adapters import BLOCK, CANCEL, UNBLOCK, deliver_after_commit, provision
from waarborg.dunning.links import read_token
from waarborg.dunning.models import (
    Approval,
    Case,
    Contest,
    Decision,
    Hold,
    Ladder,
    LadderVersion,
    Notice,
    NoticePreference,
)
from waarborg.privacy.validation import refuse_bsn

log = logging.getLogger(__name__)

ACTOR = "dunning"
BATCH = 1000
_IN_CHUNK = 500

# Decision kinds besides the ladder's step kinds.
OPENED_NOTHING = "nothing"
REANCHOR = "reanchored"
PAYMENT = "payment_booked"
CLOSED = "closed"
PAUSED = "paused"
CONTEST_DECIDED = "contest_decided"
BAILIFF_HANDOFF = "bailiff_handoff"
BAILIFF_REFUSED = "bailiff_refused"
CANCEL_APPROVED = "cancel_approved"
CANCEL_REFUSED = "cancel_refused"


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _money(value: Decimal) -> str:
    """Cents as text; amounts here are in cents already (quantized), so str() mostly suffices."""
    text = str(value)
    dot = text.find(".")
    if dot != -1 and len(text) - dot == 3 and "E" not in text:
        return text
    return f"{value:.2f}"


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def market_of(customer_market: str) -> str:
    """Consumer unless the customer is known to be a business (in doubt: consumer, WIK)."""
    return "b2b" if customer_market == Customer.Market.B2B else "b2c"


def current_versions() -> dict[str, LadderVersion]:
    """{market: the ladder's newest version}."""
    out = {}
    for ladder in Ladder.objects.all():
        version = ladder.current()
        if version is not None:
            out[ladder.market] = version
    return out


def _versions_by_id(ids) -> dict[int, LadderVersion]:
    return {v.pk: v for v in LadderVersion.objects.select_related("ladder").filter(pk__in=set(ids))}


# --- Ladders (finance) -------------------------------------------------------------------


def _require_finance(actor) -> None:
    if actor is None or isinstance(actor, str):
        return
    if not getattr(actor, "is_active", False) or getattr(actor, "role", None) != roles.FINANCE:
        raise PermissionDenied("only the finance role may do this")


def _require_named_employee(actor) -> None:
    """A decision by a person: an active finance account, never the system."""
    if actor is None or isinstance(actor, str):
        raise PermissionDenied("a person must take this decision")
    _require_finance(actor)


@transaction.atomic
def ladder_update(*, actor, ladder: Ladder, steps, settings=None, note: str = "") -> LadderVersion:
    """Write a new version of `ladder` (finance); the old versions stay, cases keep theirs."""
    _require_finance(actor)
    clean_steps, clean_settings = L.clean_ladder(steps, settings, market=ladder.market)
    note = clean_text(note, field="note", max_length=200)
    locked = Ladder.objects.select_for_update().get(pk=ladder.pk)
    last = locked.versions.order_by("-version").first()
    version = LadderVersion.objects.create(
        ladder=locked,
        version=(last.version if last else 0) + 1,
        steps=clean_steps,
        settings=clean_settings,
        note=note,
        created_at=clock.now(),
        created_by=None if actor is None or isinstance(actor, str) else actor,
    )
    audit_record(
        actor=actor,
        action="dunning.ladder.update",
        purpose="U3",
        object_type="dunning.ladderversion",
        object_ids=[version.pk],
        data={"ladder": locked.key, "version": version.version, "steps": [s["kind"] for s in clean_steps]},
    )
    return version


# --- Facts -------------------------------------------------------------------------------


class OpenInvoice(NamedTuple):
    id: int
    number: str
    due_date: dt.date
    currency: str
    total: Decimal
    paid: Decimal

    @property
    def open(self) -> Decimal:
        return self.total - self.paid


_DECIMALS: dict = {}


def _decimal(value) -> Decimal:
    """A money value as the database returned it (SQLite: a number) as a Decimal in cents."""
    if isinstance(value, Decimal):
        return value
    found = _DECIMALS.get(value)
    if found is None:
        if len(_DECIMALS) > 4096:
            _DECIMALS.clear()
        found = _DECIMALS[value] = Decimal(str(value)).quantize(L.CENT)
    return found


def _held_clause(alias: str) -> str:
    """SQL excluding invoices on hold, or "" when none are (the common case)."""
    if not Hold.objects.filter(released_at__isnull=True).exists():
        return ""
    qn = connection.ops.quote_name
    hold = Hold._meta
    return (
        f" AND {alias}.{qn(Invoice._meta.pk.column)} NOT IN (SELECT {qn(hold.get_field('invoice').column)} "  # noqa: S608
        f"FROM {qn(hold.db_table)} WHERE {qn(hold.get_field('released_at').column)} IS NULL)"
    )


@lru_cache(maxsize=8)
def _index_on(table: str, column: str) -> str:
    """The name of an index on exactly `column` of `table`, or ""."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for name, info in sorted(constraints.items()):
        if info.get("index") and info.get("columns") == [column] and not info.get("primary_key"):
            return name
    return ""


def overdue_by_customer(day: dt.date) -> dict[int, tuple[dt.date, str]]:
    """{customer id: (the oldest due date still unpaid, market)} over the overdue invoices only.

    One grouped query that reads the open invoices through the status index. SQLite's planner
    knows only that status has few distinct values, and would rather walk all invoices in
    customer order to save a sort: it is told to use the status index.
    """
    qn = connection.ops.quote_name
    inv, cust = Invoice._meta, Customer._meta
    status, due, customer = (qn(inv.get_field(n).column) for n in ("status", "due_date", "customer"))
    hint = ""
    if connection.vendor == "sqlite":
        name = _index_on(inv.db_table, inv.get_field("status").column)
        if name:
            hint = f" INDEXED BY {qn(name)}"
    sql = (
        f"SELECT i.{customer}, c.{qn(cust.get_field('market').column)}, MIN(i.{due}) "  # noqa: S608
        f"FROM {qn(inv.db_table)} i{hint} JOIN {qn(cust.db_table)} c ON c.{qn(cust.pk.column)} = i.{customer} "
        f"WHERE i.{status} = %s AND i.{due} < %s{_held_clause('i')} "
        f"GROUP BY i.{customer}, c.{qn(cust.get_field('market').column)}"
    )
    out = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [Invoice.Status.OPEN.value, connection.ops.adapt_datefield_value(day)])
        for cid, market, anchor in cursor.fetchall():
            if isinstance(anchor, str):
                anchor = dt.date.fromisoformat(anchor)
            out[cid] = (anchor, market_of(market))
    return out


def overdue_invoices(customer_ids, day: dt.date) -> dict[int, list[OpenInvoice]]:
    """The open invoices past their due date on `day`, per customer (oldest first).

    The hot read of the daily run: plain SQL over the invoices' customer index, a chunk of
    customers per query, without the ORM's per-row machinery.
    """
    out: dict[int, list[OpenInvoice]] = defaultdict(list)
    qn = connection.ops.quote_name
    meta = Invoice._meta
    col = {name: qn(meta.get_field(name).column) for name in ("customer", "status", "due_date")}
    held = _held_clause("i")
    sqlite = connection.vendor == "sqlite"
    plus = "+" if sqlite else ""  # SQLite: unary plus keeps the status and due-date indexes out of it
    day_value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(set(customer_ids)), _IN_CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT i.{col['customer']}, i.id, i.number, i.{col['due_date']}, i.currency, i.total_incl, "  # noqa: S608
                f"i.amount_paid FROM {qn(meta.db_table)} i WHERE {plus}i.{col['status']} = %s "
                f"AND {plus}i.{col['due_date']} < %s AND i.{col['customer']} IN ({marks}){held}",
                [Invoice.Status.OPEN.value, day_value, *chunk],
            )
            for cid, iid, number, due, currency, total, paid in cursor.fetchall():
                if sqlite and isinstance(due, str):
                    due = dt.date.fromisoformat(due)
                out[cid].append(OpenInvoice(iid, number, due, currency, _decimal(total), _decimal(paid)))
    for invoices in out.values():
        invoices.sort(key=lambda i: (i.due_date, i.id))
    return out


def sent_notices(case_ids) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chunk in _chunks(sorted(set(case_ids)), _IN_CHUNK):
        # Only the case index: a status condition would tempt SQLite into its status index,
        # which walks every notice with that status for every chunk.
        rows = Notice.objects.filter(case_id__in=chunk).values_list("case_id", "kind", "sent_at", "status", "pk")
        for case_id, kind, sent_at, status, _pk in sorted(rows, key=lambda r: (r[2] or clock.now(), r[4])):
            if status == Notice.Status.SENT:
                out[case_id].append((kind, sent_at.astimezone(clock.AMSTERDAM).date().isoformat()))
    return out


def _eur_principal(invoices: list[OpenInvoice], only_ids=None) -> tuple[Decimal, int]:
    chosen = [i for i in invoices if i.currency == "EUR" and (only_ids is None or i.id in only_ids)]
    return sum((i.open for i in chosen), Decimal(0)), len(chosen)


def costs_fact(case: Case, version: LadderVersion, invoices: list[OpenInvoice], day: dt.date) -> dict | None:
    """The collection costs as they stand on `day`, with their legal basis; None when none apply."""
    settings = version.settings
    rule = settings["cost_rule"]
    if rule["kind"] == "fixed_per_invoice":
        principal, count = _eur_principal(invoices)
        costs, vat = L.collection_costs(principal, count, settings, market=version.ladder.market)
        if not costs:
            return None
        return {
            "kind": "b2b_fixed",
            "amount": _money(costs),
            "vat": _money(vat),
            "invoices": count,
            "due": True,
            "basis": "art. 6:96(4) BW",
        }
    if case.costs_from is None:
        return None
    principal, count = _eur_principal(invoices, set(case.costs_invoices or []))
    costs, vat = L.collection_costs(principal, count, settings, market=version.ladder.market)
    if not costs and not vat:  # a ladder without costs, or nothing left of what the letter claimed
        return None
    stated = Decimal(case.costs_amount or 0)
    if costs + vat > stated:  # never more than the fourteen-day letter stated
        costs, vat = stated, Decimal("0.00")
        if Decimal(settings["cost_vat_rate"]):
            rate = Decimal(settings["cost_vat_rate"])
            costs = (stated * 100 / (100 + rate)).quantize(L.CENT)
            vat = stated - costs
    return {
        "kind": "wik",
        "amount": _money(costs),
        "vat": _money(vat),
        "invoices": count,
        "due": day >= case.costs_from,
        "due_from": _d(case.costs_from),
        "basis": "art. 6:96 BW, Besluit vergoeding voor buitengerechtelijke incassokosten",
    }


def build_facts(
    case: Case,
    version: LadderVersion,
    invoices: list[OpenInvoice],
    notices: list[tuple[str, str]],
    day: dt.date,
    *,
    planned_on: dt.date | None = None,
) -> dict:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    rows = []
    for inv in invoices:
        totals[inv.currency] += inv.open
        rows.append(
            {
                "id": inv.id,
                "number": inv.number,
                "due_date": inv.due_date.isoformat(),
                "currency": inv.currency,
                "total": _money(inv.total),
                "paid": _money(inv.paid),
                "open": _money(inv.open),
                "days_overdue": (day - inv.due_date).days,
            }
        )
    facts = {
        "market": version.ladder.market,
        "invoices": rows,
        "totals": {cur: _money(amount) for cur, amount in sorted(totals.items())},
        "oldest_due_date": _d(case.anchor_date),
        "days_overdue": (day - case.anchor_date).days,
        "notices": [{"kind": kind, "sent_on": on} for kind, on in notices],
        "taken_on": day.isoformat(),
    }
    if planned_on is not None:
        facts["planned_on"] = planned_on.isoformat()
        facts["late_days"] = max(0, (day - planned_on).days)
    costs = costs_fact(case, version, invoices, day)
    if costs:
        facts["costs"] = costs
    return facts


# --- Planning ----------------------------------------------------------------------------


def planned_on(case: Case, version: LadderVersion, index: int) -> dt.date:
    """The day the ladder puts step `index` on, counted from the anchor (plus pauses)."""
    return case.anchor_date + dt.timedelta(days=version.steps[index]["day"] + case.shift_days)


def plan_next(case: Case, version: LadderVersion, *, effective_on: dt.date | None = None) -> dt.date | None:
    """The earliest day the next step may be taken.

    The later of: the ladder's day (from the anchor, plus the days the case was paused); the
    day the previous step took effect plus the ladder's gap between the two (a late notice moves
    the following steps, a step is never compressed); once the fourteen-day letter went out (by
    e-mail, or posted), the first day after its term, when collection costs are due; for a
    cancellation, the silence period after the last notice.
    """
    steps = version.steps
    index = case.next_index
    if index >= len(steps):
        return None
    candidates = [planned_on(case, version, index)]
    last = effective_on or case.last_effective_on
    if index > 0 and last is not None:
        candidates.append(last + dt.timedelta(days=steps[index]["day"] - steps[index - 1]["day"]))
    kind = steps[index]["kind"]
    if case.costs_from is not None:
        # The fourteen-day letter went out: nothing after it before its term has run.
        candidates.append(case.costs_from)
    if kind == L.CANCEL and case.last_notice_on is not None:
        candidates.append(case.last_notice_on + dt.timedelta(days=version.settings["cancel_silence_days"]))
    return max(candidates)


def _rule(version: LadderVersion, step_index: int | None = None) -> str:
    text = f"ladder {version.ladder.key} v{version.version}"
    if step_index is not None:
        step = version.steps[step_index]
        text += f", step {step_index + 1} '{step['key']}' ({step['kind']}, day {step['day']})"
    return text[:200]


_DECISION_FIELDS = (
    "case_id",
    "customer_id",
    "ladder_version_id",
    "kind",
    "step_index",
    "step_key",
    "rule",
    "facts",
    "outcome",
    "outcome_data",
    "next_kind",
    "next_on",
    "decided_on",
    "decided_at",
    "decided_by_id",
    "reason",
    "key",
)


def _decision(
    case,
    version: LadderVersion,
    *,
    kind: str,
    key: str,
    facts: dict,
    outcome: str,
    day: dt.date,
    step_index: int | None = None,
    outcome_data: dict | None = None,
    by=None,
    reason: str = "",
    row: bool = False,
):
    """A Decision (or, with `row`, a light row for the batch insert of the daily run)."""
    step = version.steps[step_index] if step_index is not None else None
    fields = {
        "case_id": case.pk,
        "customer_id": case.customer_id,
        "ladder_version_id": version.pk,
        "kind": kind,
        "step_index": step_index,
        "step_key": step["key"] if step else "",
        "rule": _rule(version, step_index),
        "facts": facts,
        "outcome": outcome,
        "outcome_data": outcome_data or {},
        "next_kind": "",
        "next_on": None,
        "decided_on": day,
        "decided_at": clock.now(),
        "decided_by_id": by.pk if by is not None else None,
        "reason": reason,
        "key": key[:80],
    }
    return bulk.Row(**fields) if row else Decision(**fields)


def _set_next(decision: Decision, case: Case, version: LadderVersion, next_on: dt.date | None) -> None:
    if case.status == Case.Status.WAITING:
        decision.next_kind = "approval"
        return
    if case.next_index < len(version.steps) and case.status not in (Case.Status.CLOSED, Case.Status.DONE):
        decision.next_kind = version.steps[case.next_index]["kind"]
        decision.next_on = next_on


_NOTICE_FIELDS = (
    "case_id",
    "customer_id",
    "decision_id",
    "kind",
    "gates_next_step",
    "contact_id",
    "language",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
    "sent_at",
    "next_on",
    "term_end",
    "costs_amount",
    "key",
    "channel",
)


def _notice(decision, *, gates: bool, row: bool = False):
    now = clock.now()
    by_post = (decision.outcome_data or {}).get("channel") == Notice.Channel.POST
    fields = {
        "case_id": decision.case_id,
        "customer_id": decision.customer_id,
        "decision_id": decision.pk if not row else None,
        "kind": decision.kind,
        "gates_next_step": gates,
        "contact_id": None,
        "language": "",
        "status": (Notice.Status.TO_POST if by_post else Notice.Status.QUEUED).value,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
        "sent_at": None,
        "next_on": None,
        "term_end": None,
        "costs_amount": None,
        "key": f"{decision.key}:notice"[:90],
        "channel": (Notice.Channel.POST if by_post else Notice.Channel.EMAIL).value,
    }
    return bulk.Row(**fields) if row else Notice(**fields)


def _save_notice(decision: Decision, *, gates: bool) -> Notice:
    notice = _notice(decision, gates=gates)
    notice.save(force_insert=True)
    return notice


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


# --- Subscriptions the case is about ------------------------------------------------------


def subscriptions_for(case: Case, version: LadderVersion, invoices: list[OpenInvoice]) -> list[Subscription]:
    """The services a block or cancellation applies to: those the unpaid invoices are for, or
    (block_scope "all") every service of the customer."""
    qs = Subscription.objects.select_related("product").exclude(status=Subscription.Status.CANCELLED)
    if version.settings.get("block_scope") == "all":
        qs = qs.filter(customer_id=case.customer_id)
    else:
        ids = InvoiceLine.objects.filter(
            invoice_id__in=[i.id for i in invoices], subscription__isnull=False
        ).values_list("subscription_id", flat=True)
        qs = qs.filter(pk__in=set(ids), customer_id=case.customer_id)
    return list(qs.order_by("pk"))


def _service_fact(sub: Subscription) -> dict:
    return {"id": sub.pk, "product": sub.product.name if sub.product_id else "", "label": sub.label}


def lift_nonpayment_blocks(customer_id: int, *, key: str, reason: str = "paid", context=None) -> list[dict]:
    """Unblock the customer's services blocked FOR NON-PAYMENT (other blocks stay); returns them."""
    lifted = []
    subs = Subscription.objects.select_related("product").filter(
        customer_id=customer_id,
        status=Subscription.Status.BLOCKED,
        block_reason=Subscription.BlockReason.NON_PAYMENT,
    )
    for sub in subs.order_by("pk"):
        outcome = provision(UNBLOCK, sub, key=f"{key}:unblock:{sub.pk}", reason=reason, context=context)
        if outcome == "done":
            lifted.append(_service_fact(sub))
    return lifted


def _has_overdue(customer_id: int, day: dt.date) -> bool:
    """Anything of this customer's overdue (and not on hold)? Read through the customer index."""
    return bool(overdue_invoices([customer_id], day))


# --- The daily run -----------------------------------------------------------------------


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
            if case is not None and not _has_overdue(case.customer_id, day):
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
    for chunk in _chunks(new_cases, BATCH):
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
    for chunk in _chunks(case_ids, BATCH):
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
            versions.update(_versions_by_id(missing))
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
            bulk.insert(Decision, _DECISION_FIELDS, decisions)
            ids = dict(Decision.objects.filter(key__in=[d.key for d in decisions]).values_list("key", "id"))
            new_notices = []
            for decision in decisions:
                if decision.key in gating:
                    notice = _notice(decision, gates=gating[decision.key], row=True)
                    notice.decision_id = ids[decision.key]
                    new_notices.append(notice)
            bulk.insert(Notice, _NOTICE_FIELDS, new_notices)
            for then, key in after:
                then(ids[key])
            _update_cases(changed)


def _wik_channel(version: LadderVersion, agreement) -> dict:
    """How the fourteen-day letter goes: by e-mail where the customer agreed to written notices
    by e-mail (art. 6:227a BW; a business ladder needs no such letter and keeps e-mail), else by
    post — printed, posted and recorded by finance, its term counting from the day it was posted."""
    if agreement is not None:
        return {
            "channel": Notice.Channel.EMAIL.value,
            "agreement": {
                "source": agreement.source,
                "agreed_on": agreement.agreed_on.isoformat(),
                "reference": agreement.reference,
            },
        }
    if version.ladder.market == Customer.Market.B2B:
        return {"channel": Notice.Channel.EMAIL.value}
    return {"channel": Notice.Channel.POST.value}


def _step(case: Case, version: LadderVersion, invoices, notices, day: dt.date, key: str, *, agreement=None):
    """Take the case's next step in memory: (decision, notice gating or None, after-save action)."""
    index = case.next_index
    step = version.steps[index]
    kind = step["kind"]
    planned = plan_next(case, version) or day
    facts = build_facts(case, version, invoices, notices, day, planned_on=planned)
    then = None
    outcome_data: dict = {}
    if kind in (L.REMINDER, L.FINAL_NOTICE, L.WIK_LETTER):
        outcome = {"reminder": "reminder_sent", "final_notice": "final_notice_sent", "wik_letter": "letter_sent"}[kind]
        if kind == L.WIK_LETTER:
            principal, count = _eur_principal(invoices)
            costs, vat = L.collection_costs(principal, count, version.settings, market=version.ladder.market)
            outcome_data = {
                "costs": _money(costs),
                "costs_vat": _money(vat),
                "costs_total": _money(costs + vat),
                "principal": _money(principal),
                "invoices": [i.id for i in invoices if i.currency == "EUR"],
                "term_days": L.WIK_TERM_DAYS,
                **_wik_channel(version, agreement),
            }
            if outcome_data["channel"] == Notice.Channel.POST:
                outcome = "letter_to_post"  # its term (and any margin) counts from the day it is posted
            else:
                outcome_data.update(wik_term(day, L.WIK_TERM_DAYS).margin_data())  # no decree list: a day more
            case.costs_amount = costs + vat
            case.costs_invoices = outcome_data["invoices"]
            case.costs_from = None  # set when the letter goes out (e-mailed or posted): the term runs from receipt
        gates = True
    elif kind == L.BLOCK:
        subs = subscriptions_for(case, version, invoices)
        blocked, already, left = [], [], []
        for sub in subs:
            if sub.status == Subscription.Status.BLOCKED:
                (already if sub.block_reason == Subscription.BlockReason.NON_PAYMENT else left).append(
                    _service_fact(sub)
                )
                continue
            provision(
                BLOCK,
                sub,
                key=f"{key}:block:{sub.pk}",
                reason=Subscription.BlockReason.NON_PAYMENT,
                context={"case": case.pk},
            )
            blocked.append(_service_fact(sub))
        outcome = "blocked" if blocked or already else "nothing_to_block"
        outcome_data = {"blocked": blocked, "already_blocked": already, "blocked_otherwise": left}
        outcome_data["scope"] = version.settings.get("block_scope", "invoice")
        gates = True
    elif kind == L.BAILIFF:
        outcome = "approval_requested"
        case.status = Case.Status.WAITING
        gates = None

        def then(decision_id, case=case, day=day):
            Approval.objects.create(
                case_id=case.pk,
                customer_id=case.customer_id,
                kind=Approval.Kind.BAILIFF,
                decision_id=decision_id,
                requested_on=day,
            )

    elif kind == L.CANCEL:
        responded = _responded_since(case)
        if responded:
            outcome = "approval_requested"
            outcome_data = {"responses": responded}
            case.status = Case.Status.WAITING
            gates = None

            def then(decision_id, case=case, day=day):
                Approval.objects.create(
                    case_id=case.pk,
                    customer_id=case.customer_id,
                    kind=Approval.Kind.CANCEL,
                    decision_id=decision_id,
                    requested_on=day,
                )

        else:
            cancelled = _cancel_services(case, version, invoices, key)
            outcome = "cancelled" if cancelled else "nothing_to_cancel"
            outcome_data = {
                "cancelled": cancelled,
                "silence_days": version.settings["cancel_silence_days"],
                "last_notice_on": _d(case.last_notice_on),
            }
            gates = True
    else:  # pragma: no cover (the ladder validation refuses other kinds)
        raise ValueError(kind)

    decision = _decision(
        case,
        version,
        kind=kind,
        key=key,
        facts=facts,
        outcome=outcome,
        outcome_data=outcome_data,
        day=day,
        step_index=index,
        row=True,
    )
    if case.status == Case.Status.OPEN:
        case.next_index = index + 1
        case.last_effective_on = day
        case.pending_notice = bool(gates)
        if case.next_index >= len(version.steps):
            case.status = Case.Status.DONE
            case.next_step_on = None
        else:
            case.next_step_on = plan_next(case, version)
    _set_next(decision, case, version, case.next_step_on)
    return decision, gates, then


def _responded_since(case: Case) -> list[dict]:
    """Payments and contests since the last notice: a response, so a person decides on cancelling."""
    since = case.last_notice_on or case.opened_on
    start = dt.datetime.combine(since, dt.time(0, 0), tzinfo=clock.AMSTERDAM)
    out = []
    payments = Payment.objects.filter(customer_id=case.customer_id, received_at__gte=start).count()
    if payments:
        out.append({"kind": "payment", "count": payments})
    contests = Contest.objects.filter(case_id=case.pk, received_at__gte=start).count()
    if contests:
        out.append({"kind": "contest", "count": contests})
    return out


def _cancel_services(case: Case, version: LadderVersion, invoices, key: str) -> list[dict]:
    cancelled = []
    for sub in subscriptions_for(case, version, invoices):
        if provision(CANCEL, sub, key=f"{key}:cancel:{sub.pk}", reason="non_payment", context={"case": case.pk}) == (
            "done"
        ):
            cancelled.append(_service_fact(sub))
    return cancelled


# --- Closing and re-anchoring --------------------------------------------------------------


def _case_facts(case: Case, version: LadderVersion, day: dt.date) -> tuple[list[OpenInvoice], dict]:
    invoices = overdue_invoices([case.customer_id], day).get(case.customer_id, [])
    facts = build_facts(case, version, invoices, sent_notices([case.pk]).get(case.pk, []), day)
    return invoices, facts


def close_case(case: Case, *, day: dt.date, reason: str, payment: Payment | None = None, by=None) -> Decision:
    """Close a case (call inside a transaction, with the case locked); lift non-payment blocks."""
    version = _versions_by_id([case.ladder_version_id])[case.ladder_version_id]
    _, facts = _case_facts(case, version, day)
    if payment is not None:
        facts["payment"] = _payment_fact(payment)
    key = f"case:{case.pk}:closed"
    lifted = lift_nonpayment_blocks(case.customer_id, key=key, reason="paid" if reason == "paid" else "resolved")
    withdrawn = list(
        Approval.objects.filter(case_id=case.pk, status=Approval.Status.PENDING).values_list("pk", flat=True)
    )
    Approval.objects.filter(pk__in=withdrawn).update(status=Approval.Status.WITHDRAWN, decided_at=clock.now())
    # A letter still waiting to be posted is no longer needed.
    Notice.objects.filter(case_id=case.pk, status=Notice.Status.TO_POST).update(status=Notice.Status.WITHDRAWN)
    case.status = Case.Status.CLOSED
    case.closed_on = day
    case.close_reason = reason
    case.next_step_on = None
    case.pending_notice = False
    case.save(update_fields=["status", "closed_on", "close_reason", "next_step_on", "pending_notice"])
    decision = _decision(
        case,
        version,
        kind=CLOSED,
        key=key,
        facts=facts,
        outcome=reason,
        outcome_data={"unblocked": lifted, "approvals_withdrawn": withdrawn},
        day=day,
        by=by,
    )
    decision.save(force_insert=True)
    if Notice.objects.filter(case_id=case.pk, status=Notice.Status.SENT).exists() or lifted:
        _save_notice(decision, gates=False)
    return decision


def _payment_fact(payment: Payment) -> dict:
    return {
        "id": payment.pk,
        "invoice": payment.invoice.number,
        "amount": _money(payment.amount),
        "currency": payment.currency,
        "received_on": payment.received_at.astimezone(clock.AMSTERDAM).date().isoformat(),
    }


def reanchor_case(case: Case, *, day: dt.date, payment: Payment | None = None) -> Decision | None:
    """The case continues on what is still open: the anchor becomes the oldest unpaid due date
    and the next step's day follows from it (never earlier than the spacing allows)."""
    version = _versions_by_id([case.ladder_version_id])[case.ladder_version_id]
    invoices, facts = _case_facts(case, version, day)
    if not invoices:
        return None
    new_anchor = invoices[0].due_date
    previous = case.anchor_date
    if payment is None and new_anchor == previous:
        return None
    case.anchor_date = new_anchor
    facts["oldest_due_date"] = new_anchor.isoformat()
    facts["days_overdue"] = (day - new_anchor).days
    facts["previous_anchor"] = previous.isoformat()
    if payment is not None:
        facts["payment"] = _payment_fact(payment)
    if case.status == Case.Status.OPEN:
        case.next_step_on = plan_next(case, version)
    case.save(update_fields=["anchor_date", "next_step_on"])
    suffix = f"payment:{payment.pk}" if payment is not None else f"reanchor:{day.isoformat()}:{new_anchor.isoformat()}"
    decision = _decision(
        case,
        version,
        kind=PAYMENT if payment is not None else REANCHOR,
        key=f"case:{case.pk}:{suffix}",
        facts=facts,
        outcome="continues",
        outcome_data={"anchor": new_anchor.isoformat(), "previous_anchor": previous.isoformat()},
        day=day,
    )
    _set_next(decision, case, version, case.next_step_on)
    decision.save(force_insert=True)
    if payment is not None:
        _save_notice(decision, gates=False)
    return decision


# --- The payment hook ----------------------------------------------------------------------


def payment_booked(payment: Payment) -> None:
    """Re-evaluate the customer at once after a payment (called by billing.payment_record, in
    its transaction). A failure here never refuses the payment: the daily run catches up."""
    try:
        with transaction.atomic():
            _payment_booked(payment)
    except Exception:
        log.exception("dunning re-evaluation after payment %s failed; the daily run will catch up", payment.pk)


def _payment_booked(payment: Payment) -> None:
    day = clock.today()
    customer_id = payment.customer_id
    case = next(
        (c for c in Case.objects.select_for_update().filter(customer_id=customer_id) if c.status in Case.ACTIVE), None
    )
    key = f"payment:{payment.pk}"
    if not _has_overdue(customer_id, day):
        if case is not None:
            decision = close_case(case, day=day, reason="paid", payment=payment)
            keys = [f"{decision.key}:unblock:{s['id']}" for s in decision.outcome_data["unblocked"]]
        else:
            lifted = lift_nonpayment_blocks(customer_id, key=key, reason="paid")
            keys = [f"{key}:unblock:{s['id']}" for s in lifted]
        deliver_after_commit(keys)
        return
    if case is not None:
        reanchor_case(case, day=day, payment=payment)


# --- Contests (X4): a person decides -------------------------------------------------------


def _active_case_for(decision: Decision) -> Case:
    case = Case.objects.select_for_update().get(pk=decision.case_id)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("this case is closed: there is nothing left to contest", field="case")
    return case


@transaction.atomic
def contest_submit(
    *, token: str | None = None, actor=None, case: Case | None = None, kind: str = "contest", statement: str = ""
) -> Contest:
    """A contest or a request for a person, from a notice's one-time link (`token`), by the
    customer signed in, or recorded by staff (`case`). The case pauses until a person decides."""
    kind = clean_choice(kind, field="kind", choices=Contest.Kind.choices)
    statement = clean_text(statement, field="statement", max_length=4000, multiline=True)
    refuse_bsn(statement, field="statement")  # never stored, whoever sends it
    via = None
    if token is not None:
        decision_id, token_kind = read_token(token)
        via = Decision.objects.filter(pk=decision_id).first()
        if via is None:
            raise ValidationError("this link is not valid", field="token")
        kind = token_kind
        if Contest.objects.filter(via_decision=via, kind=kind).exists():
            raise ValidationError("this link has already been used", field="token")
        locked = _active_case_for(via)
        submitted_by = None
    else:
        if case is None:
            raise ValidationError("name the case or use the link from a notice", field="case")
        if actor is None or isinstance(actor, str):
            raise PermissionDenied("a contest comes from the customer or is recorded by staff")
        if is_customer_viewer(actor):
            if str(own_customer_id(actor)) != str(case.customer_id):
                raise NotFound(f"dunning.case {case.pk} not found")
        elif getattr(actor, "role", None) not in (roles.FINANCE, roles.SUPPORT) or not actor.is_active:
            raise PermissionDenied("only finance or support record a contest for a customer")
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status == Case.Status.CLOSED:
            raise ValidationError("this case is closed: there is nothing left to contest", field="case")
        submitted_by = actor
    day = clock.today()
    try:
        with transaction.atomic():
            contest = Contest.objects.create(
                case=locked,
                customer_id=locked.customer_id,
                kind=kind,
                via_decision=via,
                submitted_by=submitted_by,
                statement=statement,
                received_at=clock.now(),
            )
    except IntegrityError:  # the same link, used twice at the same moment
        raise ValidationError("this link has already been used", field="token") from None
    version = _versions_by_id([locked.ladder_version_id])[locked.ladder_version_id]
    _, facts = _case_facts(locked, version, day)
    facts["contest"] = {"id": contest.pk, "kind": kind, "received_on": day.isoformat()}
    if locked.status == Case.Status.OPEN:
        locked.paused_on = day
        locked.status = Case.Status.PAUSED
        locked.save(update_fields=["status", "paused_on"])
    decision = _decision(
        locked,
        version,
        kind=PAUSED,
        key=f"case:{locked.pk}:contest:{contest.pk}",
        facts=facts,
        outcome="paused" if locked.status == Case.Status.PAUSED else "noted",
        outcome_data={"contest": contest.pk},
        day=day,
    )
    decision.save(force_insert=True)
    _save_notice(decision, gates=False)
    audit_record(
        actor=submitted_by or ("customer-link" if token else ACTOR),
        action="dunning.contest.submit",
        purpose="U11",
        object_type="dunning.contest",
        object_ids=[contest.pk],
        subject_ref=customer_ref(locked.customer_id),
        data={"case": locked.pk, "kind": kind, "fields": ["statement"] if statement else []},
    )
    return contest


@transaction.atomic
def contest_decide(*, actor, contest: Contest, outcome: str, reason: str) -> Decision:
    """A named employee decides a contest; the decision and its reason are recorded and sent.

    upheld: the customer is right; the case closes and its non-payment blocks are lifted.
    rejected: the ladder resumes; the days it was paused are added to every later step.
    """
    _require_named_employee(actor)
    outcome = clean_choice(outcome, field="outcome", choices=["upheld", "rejected"])
    reason = clean_text(reason, field="reason", max_length=4000, required=True, multiline=True)
    refuse_bsn(reason, field="reason")
    current = Contest.objects.select_for_update().get(pk=contest.pk)
    if current.status != Contest.Status.OPEN:
        raise ValidationError("this contest has been decided already", field="contest")
    case = Case.objects.select_for_update().get(pk=current.case_id)
    day = clock.today()
    now = clock.now()
    current.status = outcome
    current.decided_by = actor
    current.decided_at = now
    current.reason = reason
    current.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    version = _versions_by_id([case.ladder_version_id])[case.ladder_version_id]
    _, facts = _case_facts(case, version, day)
    facts["contest"] = {
        "id": current.pk,
        "kind": current.kind,
        "received_on": current.received_at.astimezone(clock.AMSTERDAM).date().isoformat(),
    }
    others_open = Contest.objects.filter(case_id=case.pk, status=Contest.Status.OPEN).exists()
    outcome_data: dict = {"contest": current.pk, "employee": actor.display_name or f"account {actor.pk}"}
    unblock_keys: list[str] = []
    if outcome == "upheld":
        held = []
        for row in facts.get("invoices", []):
            if not Hold.objects.filter(invoice_id=row["id"], released_at__isnull=True).exists():
                Hold.objects.create(invoice_id=row["id"], customer_id=case.customer_id, contest=current, created_at=now)
                held.append(row["number"])
        outcome_data["held"] = held
    if outcome == "upheld" and case.status != Case.Status.CLOSED:
        key = f"case:{case.pk}:contest:{current.pk}:decided"
        lifted = lift_nonpayment_blocks(case.customer_id, key=key, reason="resolved")
        unblock_keys = [f"{key}:unblock:{s['id']}" for s in lifted]
        Approval.objects.filter(case_id=case.pk, status=Approval.Status.PENDING).update(
            status=Approval.Status.WITHDRAWN, decided_at=now
        )
        Notice.objects.filter(case_id=case.pk, status=Notice.Status.TO_POST).update(status=Notice.Status.WITHDRAWN)
        case.status = Case.Status.CLOSED
        case.closed_on = day
        case.close_reason = "contest_upheld"
        case.next_step_on = None
        case.pending_notice = False
        case.save(update_fields=["status", "closed_on", "close_reason", "next_step_on", "pending_notice"])
        outcome_data["unblocked"] = lifted
    elif outcome == "rejected" and case.status == Case.Status.PAUSED and not others_open:
        paused = max(0, (day - (case.paused_on or day)).days)
        case.shift_days += paused
        if case.last_effective_on is not None:
            case.last_effective_on += dt.timedelta(days=paused)
        case.status = Case.Status.OPEN
        case.paused_on = None
        case.next_step_on = plan_next(case, version)
        case.save(update_fields=["shift_days", "last_effective_on", "status", "paused_on", "next_step_on"])
        outcome_data["paused_days"] = paused
    decision = _decision(
        case,
        version,
        kind=CONTEST_DECIDED,
        key=f"case:{case.pk}:contest:{current.pk}:decided",
        facts=facts,
        outcome=outcome,
        outcome_data=outcome_data,
        day=day,
        by=actor,
        reason=reason,
    )
    _set_next(decision, case, version, case.next_step_on if case.status == Case.Status.OPEN else None)
    decision.save(force_insert=True)
    _save_notice(decision, gates=False)
    audit_record(
        actor=actor,
        action="dunning.contest.decide",
        purpose="U11",
        object_type="dunning.contest",
        object_ids=[current.pk],
        subject_ref=customer_ref(case.customer_id),
        data={"case": case.pk, "outcome": outcome, "fields": ["reason"]},
    )
    deliver_after_commit(unblock_keys)
    return decision


@transaction.atomic
def hold_release(*, actor, hold: Hold) -> Hold:
    """Put an invoice taken out of dunning back (a named employee; e.g. after correcting it)."""
    _require_named_employee(actor)
    current = Hold.objects.select_for_update().get(pk=hold.pk)
    if current.released_at is not None:
        raise ValidationError("this hold has been released already", field="hold")
    current.released_at = clock.now()
    current.released_by = actor
    current.save(update_fields=["released_at", "released_by"])
    audit_record(
        actor=actor,
        action="dunning.hold.release",
        purpose="U4",
        object_type="dunning.hold",
        object_ids=[current.pk],
        subject_ref=customer_ref(current.customer_id),
        data={"invoice": current.invoice_id},
    )
    return current


# --- Approvals: the bailiff hand-off and a contested cancellation ---------------------------


@transaction.atomic
def approval_decide(
    *, actor, approval: Approval, approve: bool, reason: str, recipient=None, send_to: str = ""
) -> Decision:
    """A named employee approves or refuses a waiting step.

    Bailiff: approving needs a registered recipient of category "bailiff" with a valid
    agreement today and registered for the data the case file holds; it produces the case file,
    sends it to `send_to` (the bailiff's office) when given, logs the disclosure and tells the
    customer. Cancellation: approving cancels the services.
    """
    from waarborg.dunning.casefile import hand_off

    _require_named_employee(actor)
    reason = clean_text(reason, field="reason", max_length=4000, required=True, multiline=True)
    current = Approval.objects.select_for_update().get(pk=approval.pk)
    if current.status != Approval.Status.PENDING:
        raise ValidationError("this step has been decided already", field="approval")
    case = Case.objects.select_for_update().get(pk=current.case_id)
    if case.status != Case.Status.WAITING:
        raise ValidationError("the case is not waiting for this approval", field="approval")
    if Contest.objects.filter(case_id=case.pk, status=Contest.Status.OPEN).exists():
        raise ValidationError("the customer contested: decide the contest first", field="approval")
    day = clock.today()
    version = _versions_by_id([case.ladder_version_id])[case.ladder_version_id]
    invoices, facts = _case_facts(case, version, day)
    key = f"case:{case.pk}:approval:{current.pk}"
    outcome_data: dict = {"approval": current.pk, "employee": actor.display_name or f"account {actor.pk}"}
    gates = False
    if current.kind == Approval.Kind.BAILIFF:
        if approve:
            case_file = hand_off(
                case=case, approval=current, recipient=recipient, actor=actor, day=day, facts=facts, send_to=send_to
            )
            kind, outcome, gates = BAILIFF_HANDOFF, "handed_off", True
            outcome_data.update({"recipient": recipient.name, "case_file": case_file.pk})
        else:
            kind, outcome = BAILIFF_REFUSED, "refused"
    else:
        if approve:
            cancelled = _cancel_services(case, version, invoices, key)
            kind, outcome, gates = CANCEL_APPROVED, "cancelled" if cancelled else "nothing_to_cancel", True
            outcome_data["cancelled"] = cancelled
        else:
            kind, outcome = CANCEL_REFUSED, "refused"
    current.status = Approval.Status.APPROVED if approve else Approval.Status.REFUSED
    current.decided_by = actor
    current.decided_at = clock.now()
    current.reason = reason
    current.recipient = recipient if approve and current.kind == Approval.Kind.BAILIFF else None
    current.save(update_fields=["status", "decided_by", "decided_at", "reason", "recipient"])
    case.next_index += 1
    case.last_effective_on = day
    case.pending_notice = gates
    if case.next_index >= len(version.steps) or (current.kind == Approval.Kind.CANCEL and not approve):
        case.status = Case.Status.DONE
        case.next_step_on = None
    else:
        case.status = Case.Status.OPEN
        case.next_step_on = plan_next(case, version)
    case.save(update_fields=["next_index", "last_effective_on", "pending_notice", "status", "next_step_on"])
    decision = _decision(
        case,
        version,
        kind=kind,
        key=key,
        facts=facts,
        outcome=outcome,
        outcome_data=outcome_data,
        day=day,
        step_index=case.next_index - 1,
        by=actor,
        reason=reason,
    )
    _set_next(decision, case, version, case.next_step_on)
    decision.save(force_insert=True)
    if gates:
        _save_notice(decision, gates=True)
    audit_record(
        actor=actor,
        action="dunning.approval.decide",
        purpose="U4",
        object_type="dunning.approval",
        object_ids=[current.pk],
        subject_ref=customer_ref(case.customer_id),
        data={"case": case.pk, "kind": current.kind, "approved": bool(approve), "fields": ["reason"]},
    )
    return decision


# --- The customer's language ----------------------------------------------------------------


@transaction.atomic
def notice_language_set(*, actor, customer: Customer, language: str) -> NoticePreference:
    """The language of dunning notices: nl or en (the customer, or staff on their behalf)."""
    check_actor(actor=actor, scope="customers", customer_id=customer.pk)
    language = clean_choice(language, field="language", choices=["nl", "en"])
    pref, _ = NoticePreference.objects.update_or_create(customer=customer, defaults={"language": language})
    audit_record(
        actor=actor,
        action="dunning.notice_language",
        purpose="U6",
        object_type="dunning.noticepreference",
        object_ids=[pref.pk],
        subject_ref=customer_ref(customer.pk),
        data={"fields": ["language"], "language": language},
    )
    return pref
