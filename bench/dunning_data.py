"""A bench-only generator for the dunning benchmark: customers, their invoices and services, fast.

Not for use outside benchmarks: it writes straight into the tables with `executemany` (SQLite) or
`COPY` (PostgreSQL), in one transaction, choosing the primary keys itself (the approach of
waarborg/demo/seed.py, cut down to what the dunning run reads). Columns it does not fill get the
model field's default, so a column added later does not break it.

Per customer: one contact person (the billing contact, with an e-mail address), one service,
and `invoices` monthly invoices with due dates before `day`. A share of the customers pays the
last 1 to 6 invoices not at all (some in part), so that `overdue` of all invoices is overdue.
Nine in ten consumers agreed, by a term of their contract, to written notices by e-mail (as the
seed does), so most fourteen-day letters go by e-mail and the rest wait to be posted.
Invoice lines are written for the unpaid invoices only: they are the only ones whose lines the
run reads (to find the services to block); the paid invoices are rows the run must not touch.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection, transaction

from waarborg.demo.seed import BulkTable

MONTHLY = ("10.00", "2.10", "12.10")  # excl. VAT, VAT, incl. VAT
HALF = "6.05"


def Table(model, names: list[str]) -> BulkTable:  # noqa: N802  (reads as the class it makes)
    """One table's bulk insert, as the seed does it (waarborg.demo.seed.BulkTable)."""
    return BulkTable(model, names, filled_by="the dunning bench generator")


def months_before(day: dt.date, count: int) -> list[dt.date]:
    out = []
    year, month = day.year, day.month
    for _ in range(count):
        month -= 1
        if month < 1:
            year, month = year - 1, 12
        out.append(dt.date(year, month, 1))
    return list(reversed(out))


def generate(
    customers: int,
    *,
    day: dt.date,
    overdue: float = 0.05,
    invoices: int = 12,
    b2c: float = 0.6,
    seed: int = 1,
    batch: int = 20000,
    progress=None,
) -> dict:
    """Write `customers` customers with `invoices` invoices each; `overdue` of the invoices unpaid."""
    from waarborg.billing.models import Invoice, InvoiceLine
    from waarborg.catalogue.models import Product, Subscription
    from waarborg.customers.models import Contact, Customer, NoticeAgreement
    from waarborg.demo.synthetic import NOTICE_TERMS, agrees_to_email_notices

    rng = random.Random(seed)
    rnd = rng.random
    postgres = connection.vendor == "postgresql"
    started = time.perf_counter()
    months = months_before(day, invoices)
    if months[-1] + dt.timedelta(days=14) >= day:
        raise ValueError("the last invoice must be due before the day of the run")
    # The share of customers in arrears: each leaves the last 1..6 invoices (3.5 on average) unpaid.
    per_late = min(3.5, invoices)
    late_share = min(1.0, overdue * invoices / per_late)
    max_late = min(6, invoices)

    if postgres:
        stamp = "2024-01-01 00:00:00+00"
    else:
        stamp = "2024-01-01 00:00:00"
    issue = [m.isoformat() for m in months]
    due = [(m + dt.timedelta(days=14)).isoformat() for m in months]
    excl, vat, incl = MONTHLY

    product, _ = Product.objects.get_or_create(
        code="bench-hosting", defaults={"kind": "webhosting", "name": "Webhosting", "monthly_price": excl}
    )
    T = {
        "customers": Table(
            Customer, ["number", "kind", "market", "name", "kvk_number", "vat_number", "status", "created_at"]
        ),
        "contacts": Table(
            Contact,
            [
                "customer",
                "role",
                "first_name",
                "last_name",
                "street",
                "postcode",
                "town",
                "country",
                "email",
                "created_at",
            ],
        ),
        "subscriptions": Table(Subscription, ["customer", "product", "label", "start_date", "status", "block_reason"]),
        "invoices": Table(
            Invoice,
            [
                "customer",
                "billing_contact",
                "number",
                "issue_date",
                "due_date",
                "currency",
                "total_excl",
                "vat_amount",
                "total_incl",
                "amount_paid",
                "status",
                "name_printed",
                "address_printed",
            ],
        ),
        "lines": Table(InvoiceLine, ["invoice", "subscription", "description", "quantity", "unit_price", "vat_rate"]),
        "notice_agreements": Table(NoticeAgreement, ["customer", "source", "agreed_on", "reference", "recorded_at"]),
    }
    counts = {"overdue_invoices": 0, "late_customers": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        first = 1
        for model in (Customer, Invoice, InvoiceLine, NoticeAgreement):
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            if (cursor.fetchone()[0] or 0) != 0:
                raise RuntimeError("the dunning bench generator needs empty tables")
        if not postgres:
            cursor.execute("PRAGMA cache_size=-524288")
        invoice_id = line_id = 0
        cust, cont, subs, invs, lines = (
            T["customers"].rows,
            T["contacts"].rows,
            T["subscriptions"].rows,
            T["invoices"].rows,
            T["lines"].rows,
        )
        address = "Dorpsstraat 1, 1234 AB Utrecht"
        pid = product.pk
        for cid in range(first, first + customers):
            private = rnd() < b2c
            name = f"Klant {cid}"
            cust.append(
                (
                    cid,
                    f"K{cid + 1000000:08d}",
                    "private" if private else "organisation",
                    "b2c" if private else "b2b",
                    name,
                    "",
                    "",
                    "active",
                    stamp,
                )
            )
            cont.append(
                (
                    cid,
                    cid,
                    "billing",
                    "Bench",
                    name,
                    "Dorpsstraat 1",
                    "1234 AB",
                    "Utrecht",
                    "NL",
                    f"k{cid}@bench.example",
                    stamp,
                )
            )
            subs.append((cid, cid, pid, f"site{cid}.example", "2024-01-01", "active", ""))
            if private and agrees_to_email_notices(cid):
                T["notice_agreements"].rows.append((cid, cid, "contract", "2024-01-01", NOTICE_TERMS, stamp))
            late = 0
            if rnd() < late_share:
                late = 1 + int(rnd() * max_late)
                counts["late_customers"] += 1
            for m in range(invoices):
                invoice_id += 1
                unpaid = m >= invoices - late
                if unpaid:
                    paid = HALF if rnd() < 0.1 else "0.00"
                    counts["overdue_invoices"] += 1
                    line_id += 1
                    lines.append((line_id, invoice_id, cid, "Webhosting", "1.00", excl, "21.00"))
                else:
                    paid = incl
                invs.append(
                    (
                        invoice_id,
                        cid,
                        cid,
                        f"B{invoice_id:010d}",
                        issue[m],
                        due[m],
                        "EUR",
                        excl,
                        vat,
                        incl,
                        paid,
                        "open" if unpaid else "paid",
                        name,
                        address,
                    )
                )
            if len(invs) >= batch:
                for table in T.values():
                    table.flush(cursor)
                if progress:
                    progress(cid - first + 1, customers)
        for table in T.values():
            table.flush(cursor)
        if postgres:
            from django.core.management.color import no_style

            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in T.values()]):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        for table in T.values():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table.name)}")
    counts.update({key: table.count for key, table in T.items()})
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts
