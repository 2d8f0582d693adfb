"""Synthetic data in bulk, for load tests and benchmarks: `waarborg seed --customers N --seed S`.

Rows are generated in plain Python and written with one multi-row statement per table and batch
(`executemany` on SQLite, `COPY` on PostgreSQL), inside one transaction. Primary keys are chosen
here, counting on from the largest key already in each table, so rows link to each other without
a round trip, and seeding twice appends without a collision: customer numbers, e-mail
addresses, phone numbers and document numbers are all derived from those keys.

The values are in the normal form the identifiers module produces (lower-case e-mail, E.164
phone numbers, "1234 AB" postcodes, compressed IP addresses), so the subject finder's index
lookups find them. IBANs are encrypted like every other IBAN. The same seed on the same database
and date gives the same rows. What one customer's rows hold is `synthetic.py`'s work; this module
lays out the tables and writes them.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction

from waarborg.accounts.models import Account, LoginEvent
from waarborg.audit.services import audit_record
from waarborg.billing.models import Invoice, InvoiceLine, Payment, PaymentMethod
from waarborg.catalogue.models import Subscription
from waarborg.consents.models import ConsentRecord
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import ConfigError
from waarborg.correspondence.models import Message, Ticket
from waarborg.customers.models import Contact, Customer, NoticeAgreement
from waarborg.demo.builder import ensure_catalogue, refuse_production
from waarborg.demo.synthetic import SyntheticRows


@dataclass
class SeedReport:
    counts: dict[str, int]
    seconds: float
    first_customer_id: int
    last_customer_id: int


class BulkTable:
    """One table's insert: fixed columns, plus constant defaults for fields the seed leaves alone."""

    def __init__(self, model, names: list[str], *, filled_by: str = "waarborg/demo/seed.py"):
        meta = model._meta
        self.model = model
        self.name = meta.db_table
        self.fields = [meta.pk] + [meta.get_field(n) for n in names]
        self.extra: tuple = ()
        covered = {f.name for f in self.fields}
        for f in meta.concrete_fields:
            if f.name in covered:
                continue
            value = f.get_default()
            if value is None and not f.null:
                raise ConfigError("demo.column_not_filled", {"filler": filled_by, "column": f"{meta.label}.{f.name}"})
            self.fields.append(f)
            self.extra += (f.get_db_prep_save(value, connection),)
        self.rows: list[tuple] = []
        self.count = 0
        self.next_id = 0

    def start(self, cursor) -> None:
        qn = connection.ops.quote_name  # table and column names come from the models, quoted
        cursor.execute(f"SELECT MAX({qn(self.fields[0].column)}) FROM {qn(self.name)}")  # noqa: S608
        self.next_id = (cursor.fetchone()[0] or 0) + 1

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def flush(self, cursor) -> None:
        if not self.rows:
            return
        rows = self.rows if not self.extra else [r + self.extra for r in self.rows]
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in self.fields)
        if connection.vendor == "postgresql":
            raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
            with raw.copy(f"COPY {qn(self.name)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.fields))
            sql = f"INSERT INTO {qn(self.name)} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
        self.count += len(rows)
        self.rows.clear()  # in place: a generator may hold on to this list


def seed(customers: int, *, seed: int = 1, batch: int = 5000, progress=None) -> SeedReport:
    """Append `customers` synthetic customers with everything that hangs off them."""
    refuse_production("waarborg seed")
    if customers < 1:
        raise ConfigError("demo.customers_at_least_one", field="customers")
    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    T = {
        "customers": BulkTable(
            Customer,
            ["number", "kind", "market", "name", "kvk_number", "vat_number", "status", "created_at", "ended_at"],
        ),
        "contacts": BulkTable(
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
                "phone",
                "created_at",
            ],
        ),
        "accounts": BulkTable(
            Account,
            [
                "password",
                "last_login",
                "is_superuser",
                "email",
                "display_name",
                "role",
                "contact",
                "is_active",
                "created_at",
            ],
        ),
        "subscriptions": BulkTable(
            Subscription, ["customer", "product", "label", "start_date", "end_date", "status", "block_reason"]
        ),
        "payment_methods": BulkTable(
            PaymentMethod,
            [
                "customer",
                "kind",
                "holder_name",
                "iban",
                "iban_last4",
                "iban_hash",
                "mandate_reference",
                "mandate_signed_at",
                "created_at",
            ],
        ),
        "invoices": BulkTable(
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
        "invoice_lines": BulkTable(
            InvoiceLine, ["invoice", "subscription", "description", "quantity", "unit_price", "vat_rate"]
        ),
        "payments": BulkTable(
            Payment, ["invoice", "customer", "payment_method", "amount", "currency", "received_at", "reference"]
        ),
        "tickets": BulkTable(Ticket, ["customer", "contact", "number", "subject", "status", "opened_at", "closed_at"]),
        "messages": BulkTable(Message, ["ticket", "direction", "author", "from_address", "body", "sent_at"]),
        "consents": BulkTable(
            ConsentRecord,
            [
                "account",
                "contact",
                "device_id",
                "kind",
                "granted",
                "policy_version",
                "source",
                "given_at",
                "withdrawn_at",
            ],
        ),
        "login_events": BulkTable(LoginEvent, ["account", "at", "ip_address", "user_agent", "succeeded", "method"]),
        "notice_agreements": BulkTable(
            NoticeAgreement,
            ["customer", "source", "agreed_on", "reference", "recorded_at", "recorded_by", "withdrawn_on"],
        ),
    }

    with transaction.atomic():
        products = ensure_catalogue()
        with connection.cursor() as cursor:
            if not postgres:
                cursor.execute("PRAGMA cache_size=-262144")  # 256 MB page cache while we write
            for table in T.values():
                table.start(cursor)
            first_customer = T["customers"].next_id
            gen = SyntheticRows(T, products, random.Random(f"{seed}:{first_customer}"), clock.today(), postgres)
            done = 0
            while done < customers:
                step = min(batch, customers - done)
                for _ in range(step):
                    gen.customer()
                for table in T.values():  # parents before children
                    table.flush(cursor)
                done += step
                if progress:
                    progress(done, customers)
            if postgres:
                for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in T.values()]):
                    cursor.execute(sql)
                for table in T.values():  # fresh planner statistics after a bulk load
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table.name)}")
            else:
                cursor.execute("PRAGMA cache_size=-2000")
        counts = {key: table.count for key, table in T.items()}
        audit_record(actor=SYSTEM, action="seed.load", object_type="seed", data={"seed": seed, **counts})
    return SeedReport(counts, time.perf_counter() - started, first_customer, first_customer + customers - 1)
