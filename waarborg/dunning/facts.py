"""The facts a dunning decision rests on, read set-based from the database.

The overdue invoices (held invoices left out), per customer and per customer's oldest due date;
the notices a case has sent; the collection costs as they stand on a day. Each decision records
these facts as they were (`build_facts`), so its notice can say exactly why.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.db import connection

from waarborg.billing.models import Invoice
from waarborg.core import clock
from waarborg.customers.models import Customer
from waarborg.dunning import ladders as L
from waarborg.dunning.ladder_versions import market_of
from waarborg.dunning.models import Case, Hold, LadderVersion, Notice

_IN_CHUNK = 500


def day_text(day: dt.date | None) -> str | None:
    """A day as ISO text for the recorded facts (None stays None)."""
    return day.isoformat() if day else None


def money_text(value: Decimal) -> str:
    """Cents as text; amounts here are in cents already (quantized), so str() mostly suffices."""
    text = str(value)
    dot = text.find(".")
    if dot != -1 and len(text) - dot == 3 and "E" not in text:
        return text
    return f"{value:.2f}"


def chunks(items, size):
    """`items` in lists of at most `size`: one query or one transaction per list."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class OpenInvoice(NamedTuple):
    """An overdue invoice as the daily run reads it: amounts to the cent, `open` what is left."""

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
        for chunk in chunks(sorted(set(customer_ids)), _IN_CHUNK):
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
    """{case id: [(kind, the day it was sent), ...]} of the notices sent, oldest first."""
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chunk in chunks(sorted(set(case_ids)), _IN_CHUNK):
        # Only the case index: a status condition would tempt SQLite into its status index,
        # which walks every notice with that status for every chunk.
        rows = Notice.objects.filter(case_id__in=chunk).values_list("case_id", "kind", "sent_at", "status", "pk")
        for case_id, kind, sent_at, status, _pk in sorted(rows, key=lambda r: (r[2] or clock.now(), r[4])):
            if status == Notice.Status.SENT:
                out[case_id].append((kind, sent_at.astimezone(clock.AMSTERDAM).date().isoformat()))
    return out


def eur_principal(invoices: list[OpenInvoice], only_ids=None) -> tuple[Decimal, int]:
    """The amount open in euros, and over how many invoices (only `only_ids`, when given)."""
    chosen = [i for i in invoices if i.currency == "EUR" and (only_ids is None or i.id in only_ids)]
    return sum((i.open for i in chosen), Decimal(0)), len(chosen)


def costs_fact(case: Case, version: LadderVersion, invoices: list[OpenInvoice], day: dt.date) -> dict | None:
    """The collection costs as they stand on `day`, with their legal basis; None when none apply."""
    settings = version.settings
    rule = settings["cost_rule"]
    if rule["kind"] == "fixed_per_invoice":
        principal, count = eur_principal(invoices)
        costs, vat = L.collection_costs(principal, count, settings, market=version.ladder.market)
        if not costs:
            return None
        return {
            "kind": "b2b_fixed",
            "amount": money_text(costs),
            "vat": money_text(vat),
            "invoices": count,
            "due": True,
            "basis": "art. 6:96(4) BW",
        }
    if case.costs_from is None:
        return None
    principal, count = eur_principal(invoices, set(case.costs_invoices or []))
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
        "amount": money_text(costs),
        "vat": money_text(vat),
        "invoices": count,
        "due": day >= case.costs_from,
        "due_from": day_text(case.costs_from),
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
    """The facts a decision on `day` records: the invoices open, the notices sent, the costs."""
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
                "total": money_text(inv.total),
                "paid": money_text(inv.paid),
                "open": money_text(inv.open),
                "days_overdue": (day - inv.due_date).days,
            }
        )
    facts = {
        "market": version.ladder.market,
        "invoices": rows,
        "totals": {cur: money_text(amount) for cur, amount in sorted(totals.items())},
        "oldest_due_date": day_text(case.anchor_date),
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


def has_overdue(customer_id: int, day: dt.date) -> bool:
    """Anything of this customer's overdue (and not on hold)? Read through the customer index."""
    return bool(overdue_invoices([customer_id], day))


def case_facts(case: Case, version: LadderVersion, day: dt.date) -> tuple[list[OpenInvoice], dict]:
    """One case's overdue invoices on `day`, and the facts a decision about it records."""
    invoices = overdue_invoices([case.customer_id], day).get(case.customer_id, [])
    facts = build_facts(case, version, invoices, sent_notices([case.pk]).get(case.pk, []), day)
    return invoices, facts
