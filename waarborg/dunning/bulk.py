"""Set-based writes for the daily run: rows as light objects, one statement per batch.

Model instances and `bulk_create` cost more per row than the whole step they record; the run
works on `Row` objects (attribute names as the models' attnames) and writes them with
`executemany`, adapting dates, timestamps, JSON and decimals the way the backend's own
operations do.
"""

from __future__ import annotations

from functools import lru_cache
from operator import attrgetter
from types import SimpleNamespace

from django.db import connection

Row = SimpleNamespace


@lru_cache(maxsize=64)
def _plan(model, attnames: tuple[str, ...], vendor: str):
    """(columns, a function from an object to its row of adapted values)."""
    ops = connection.ops
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns, adapters = [], []
    for index, name in enumerate(attnames):
        field = by_attname[name]
        columns.append(field.column)
        kind = field.get_internal_type()
        if kind == "DateField":
            adapters.append((index, _memo(ops.adapt_datefield_value)))
        elif kind == "DateTimeField":
            adapters.append((index, _memo(ops.adapt_datetimefield_value)))
        elif kind == "JSONField":
            adapters.append((index, lambda value, ops=ops: ops.adapt_json_value(value, None)))
        elif kind == "DecimalField":
            adapters.append(
                (
                    index,
                    lambda value, ops=ops, f=field: ops.adapt_decimalfield_value(value, f.max_digits, f.decimal_places),
                )
            )
    get = attrgetter(*attnames)

    def row(obj) -> list:
        values = list(get(obj))
        for index, adapt in adapters:
            value = values[index]
            if value is not None:
                values[index] = adapt(value)
        return values

    return columns, row


def _memo(adapt):
    """A batch stamps many rows with the same moment: adapt each moment once."""
    seen: dict = {}

    def cached(value):
        if value not in seen:
            if len(seen) > 1024:
                seen.clear()
            seen[value] = adapt(value)
        return seen[value]

    return cached


def insert(model, attnames: tuple[str, ...], objs) -> None:
    """INSERT each of `objs` (attributes named as the model's attnames), one executemany."""
    objs = list(objs)
    if not objs:
        return
    columns, row = _plan(model, attnames, connection.vendor)
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [row(o) for o in objs])


def update(model, attnames: tuple[str, ...], objs, *, where: str = "") -> None:
    """UPDATE each of `objs` by primary key (`obj.pk`), one executemany; `where` adds a condition."""
    objs = list(objs)
    if not objs:
        return
    columns, row = _plan(model, attnames, connection.vendor)
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = %s" for c in columns)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE {qn(model._meta.pk.column)} = %s{where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*row(o), o.pk] for o in objs])


CASE_FIELDS = (
    "id",
    "customer_id",
    "ladder_version_id",
    "status",
    "opened_on",
    "anchor_date",
    "next_index",
    "next_step_on",
    "last_effective_on",
    "last_notice_on",
    "pending_notice",
    "shift_days",
    "costs_amount",
    "costs_from",
    "costs_invoices",
)


class CaseRow:
    """A case as the run needs it: a row from `values_list(*CASE_FIELDS)`, with `pk`."""

    __slots__ = CASE_FIELDS

    def __init__(self, *values):
        for name, value in zip(CASE_FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self):
        return self.id
