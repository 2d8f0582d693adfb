"""The retention sweep: one daily job that applies every retention rule of the map (R1–R3).

For each declared model and each retention rule its fields use, the rows whose term has ended
before the day are due: a term counted from a day runs to the end of the day it reaches (anchor
+ term, the last day kept), and the data goes the day after (`Retention.purge_date`) — an
invoice of 2019 is kept up to and including 31 December 2026 and goes on 1 January 2027. The
query is a range on the anchor date's index, so its cost follows what is due, not the size of
the tables. Rows a variant of the map declares otherwise (a ticket about an invoice's amount
follows the fiscal term) are swept by their own declarations. A due row is deleted when every
personal field of its model is declared `delete` (or `retain` under this very rule); otherwise
only the due fields are erased, each by its strategy (cleared, anonymised or pseudonymised). A
row something kept still refers to waits for it; a locked-away row (the fiscal archive) is
deleted once its own term has passed and nothing refers to it any more. Stored files go with
their rows.

The end of the customer relationship is not swept row by row: it is an erasure request (R2).
For each subject whose relationship ended, the sweep opens an erasure case (once); the erasure
job runs it, with its holds (an unpaid or disputed invoice waits until settled).

The sweep is idempotent: what it erased is no longer due, so a second run finds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q, RestrictedError
from django.db.models.deletion import PROTECT, RESTRICT

from waarborg.audit.services import audit_record
from waarborg.core import clock, datamap, declarations
from waarborg.core.actors import SYSTEM
from waarborg.core.daily import daily_job
from waarborg.core.datamap import AMSTERDAM, PD, Retention, add_term, first_day_gone
from waarborg.erasure import ops
from waarborg.erasure.hygiene import forget
from waarborg.erasure.models import ErasureCase
from waarborg.retention.models import SweepRun

log = logging.getLogger(__name__)

BATCH = 10_000
ORDER = 800  # after payments and dunning, before the erasure job runs the cases it opens


# --- Dates ------------------------------------------------------------------------------------


def cutoff(rule: Retention, day: dt.date, **term) -> dt.date:
    """The latest anchor date whose data is gone by `day` (its purge date is on or before it)."""
    if term:  # another term than the rule's own (an extension): its parts, the rest zero
        years, months, days = term.get("years", 0), term.get("months", 0), term.get("days", 0)
    else:
        years, months, days = rule.years, rule.months, rule.days
    fiscal = rule.anchor == "fiscal_year_end"

    def gone(anchor: dt.date) -> dt.date:
        return first_day_gone(anchor, years=years, months=months, days=days, fiscal=fiscal)

    if fiscal:
        year = day.year
        while gone(dt.date(year, 12, 31)) > day:
            year -= 1
        return dt.date(year, 12, 31)
    c = add_term(day, years=-years, months=-months, days=-days)
    one = dt.timedelta(days=1)
    while gone(c + one) <= day:
        c += one
    while gone(c) > day:
        c -= one
    return c


def _date_field(model, path: str):
    *hops, last = path.split("__")
    current = model
    for hop in hops:
        current = current._meta.get_field(hop).related_model
    return current, current._meta.get_field(last)


def on_or_before(model, path: str, day: dt.date) -> Q:
    """`path` (a date or a timestamp) falls on or before `day` in Amsterdam: an index range."""
    _, f = _date_field(model, path)
    if f.get_internal_type() == "DateTimeField":
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=AMSTERDAM)
        return Q(**{f"{path}__lt": end})
    return Q(**{f"{path}__lte": day})


def after(model, path: str, day: dt.date) -> Q:
    """`path` falls after `day` in Amsterdam (the other end of the range)."""
    _, f = _date_field(model, path)
    if f.get_internal_type() == "DateTimeField":
        start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=AMSTERDAM)
        return Q(**{f"{path}__gte": start})
    return Q(**{f"{path}__gt": day})


def due_q(entry: datamap.Entry, rule: Retention, day: dt.date, fields: dict[str, PD] | None = None) -> Q:
    path = entry.dates[rule.anchor]
    q = on_or_before(entry.model, path, cutoff(rule, day))
    # A date on the row that extends the rule (a consent to keep it longer, declared by the app
    # that owns it): the row goes when both terms have passed.
    extended = declarations.extension_field(entry.fields if fields is None else fields, rule)
    if extended:
        name, extension = extended
        q = q & (Q(**{f"{name}__isnull": True}) | on_or_before(entry.model, name, cutoff(rule, day, **extension.term)))
    return q


def _rules(fields: dict[str, PD]) -> dict[str, tuple[Retention, list[str]]]:
    out: dict[str, tuple[Retention, list[str]]] = {}
    for name, p in fields.items():
        rule = p.retention
        out.setdefault(rule.key, (rule, []))[1].append(name)
    return out


def rules_of(entry: datamap.Entry) -> dict[str, tuple[Retention, list[str]]]:
    """Every rule the entry's fields use, its variants' included, with the fields under it."""
    out: dict[str, tuple[Retention, list[str]]] = {}
    for name, p in entry.declarations():
        names = out.setdefault(p.retention.key, (p.retention, []))[1]
        if name not in names:
            names.append(name)
    return out


def is_subject_request(rule: Retention) -> bool:
    """A rule that ends with the relationship itself is an erasure request (R2), run as a case."""
    return rule.anchor == "relationship_end" and not rule.restricted


# --- Deleting and erasing due rows ------------------------------------------------------------


def _has_retained(model) -> bool:
    entry = datamap.entry_for(model._meta.label)
    return entry is not None and any(p.erasure == "retain" for _, p in entry.declarations())


def without_keepers(qs):
    """Leave out rows a kept row still refers to (deleting would cascade into it or be refused)."""
    model = qs.model
    for ref_model, fk, on_delete in ops.strong_referrers(model, with_on_delete=True):
        if on_delete in (PROTECT, RESTRICT) or _has_retained(ref_model):
            qs = qs.exclude(Exists(ref_model._default_manager.filter(**{fk: OuterRef("pk")})))
    return qs


def _parents_of(model, pks, parents: dict) -> None:
    for f in model._meta.concrete_fields:
        target = f.related_model if f.is_relation and f.many_to_one else None
        if target is not None and ops.can_restrict(target):
            values = model._default_manager.filter(pk__in=pks).values_list(f.attname, flat=True)
            parents[target].update(v for v in values if v is not None)


def _delete_due(qs, parents: dict) -> tuple[int, int]:
    """Delete the rows of `qs` in batches; returns (deleted, blocked)."""
    model = qs.model
    label = model._meta.label
    deleted = blocked = 0
    skip: set = set()
    while True:
        pks = list(qs.exclude(pk__in=skip).values_list("pk", flat=True)[:BATCH])
        if not pks:
            break
        _parents_of(model, pks, parents)
        try:
            with transaction.atomic():
                counts = ops.delete_queryset(model._default_manager.filter(pk__in=pks))
            deleted += counts.get(label, 0)
        except (ProtectedError, RestrictedError):
            for pk in pks:  # one by one: a row something else protects waits
                try:
                    with transaction.atomic():
                        deleted += ops.delete_queryset(model._default_manager.filter(pk=pk)).get(label, 0)
                except (ProtectedError, RestrictedError):
                    skip.add(pk)
                    blocked += 1
    return deleted, blocked


def _erase_fields(entry: datamap.Entry, qs, names: list[str], declared: dict[str, PD]) -> int:
    """Erase only these fields of the due rows, each by its strategy."""
    model = entry.model
    fields = [model._meta.get_field(n) for n in names]
    fields = [f for f in fields if f.concrete and not f.many_to_many]
    if not fields:
        return 0
    named = ops.named_file_fields(model)
    pending = Q()
    for f in fields:
        pending |= ~ops.empty_q(f)
    qs = qs.filter(pending)
    changed = 0
    for _ in range(10_000):
        rows = list(qs.values("pk", *[f.attname for f in fields])[:BATCH])
        if not rows:
            break
        with transaction.atomic():
            files = []
            for row in rows:
                updates = {}
                for f in fields:
                    action = declared[f.name].erasure
                    current = row[f.attname]
                    new = ops.target_value(f, "delete" if action == "retain" else action, current, row["pk"])
                    if (current or None) != (new or None):
                        updates[f.attname] = new
                        if f.get_internal_type() == "FileField" and current:
                            files.append(current)
                        elif f.name in named and current:
                            files.append(ops.named_file(named[f.name], current))
                if updates:
                    model._default_manager.filter(pk=row["pk"]).update(**updates)
                    changed += 1
            ops.record_files(files)
        if len(rows) < BATCH:
            break
    return changed


def _sweep_rule(
    entry: datamap.Entry,
    rows: Q,
    declared: dict[str, PD],
    rule: Retention,
    names: list[str],
    day: dt.date,
    parents: dict,
) -> int:
    """The due rows among `rows` (the rows `declared` holds for) under `rule`."""
    model = entry.model
    qs = model._default_manager.filter(rows).filter(due_q(entry, rule, day, declared))
    whole_row = all(
        p.erasure == "delete" or (p.erasure == "retain" and p.retention.key == rule.key) for p in declared.values()
    )
    if whole_row:
        deleted, _blocked = _delete_due(without_keepers(qs), parents)
        return deleted
    return _erase_fields(entry, qs, names, declared)


def _release_archive(day: dt.date, parents: dict) -> int:
    """Locked-away rows whose own terms have passed and that nothing refers to any more go."""
    released = 0
    rounds = 0
    while parents and rounds < 10:
        rounds += 1
        current, parents = parents, defaultdict(set)
        for model, pks in current.items():
            entry = datamap.entry_for(model._meta.label)
            if entry is None or not pks:
                continue
            qs = model._default_manager.filter(pk__in=list(pks), **{f"{ops.RESTRICTED_FIELD}__isnull": False})
            gone = Q(pk__in=[])
            for rows, declared in entry.partitions():
                part = rows
                for rule, _names in _rules(declared).values():
                    part &= due_q(entry, rule, day, declared)
                gone |= part
            qs = qs.filter(gone)
            for ref_model, fk in ops.strong_referrers(model):
                qs = qs.exclude(Exists(ref_model._default_manager.filter(**{fk: OuterRef("pk")})))
            deleted, _ = _delete_due(qs, parents)
            released += deleted
    return released


# --- Ended relationships: erasure cases -------------------------------------------------------


def _relationship_owners() -> dict:
    """{owner model: date field} of every subject-request rule (all end where the contract ends)."""
    owners = {}
    for entry in datamap.entries():
        for rule, _ in rules_of(entry).values():
            if not is_subject_request(rule) or rule.anchor not in entry.dates:
                continue
            owner, f = _date_field(entry.model, entry.dates[rule.anchor])
            owner_entry = datamap.entry_for(owner._meta.label)
            if owner_entry is not None and owner_entry.anchor:
                owners[owner] = (f.name, rule)
    return owners


def open_ended_relationship_cases(day: dt.date, since: dt.date | None = None) -> int:
    """Open an erasure case for every subject whose relationship ended by `day` and has none.

    With `since` (the day of the previous run), only relationships that ended after that day's
    cutoff are looked at: the cost follows what became due, not every ended relationship still
    waiting for its case to run.
    """
    opened = 0
    now = clock.now()
    for owner, (date_field, rule) in sorted(_relationship_owners().items(), key=lambda kv: kv[0]._meta.label):
        label = owner._meta.label
        qs = owner._default_manager.filter(on_or_before(owner, date_field, cutoff(rule, day)))
        if since is not None:
            qs = qs.filter(after(owner, date_field, cutoff(rule, since)))
        # Already erased (locked) rows are left out here, not in SQL: a condition on that mostly
        # empty column would lead the planner away from the range on the end date.
        restrictable = ops.can_restrict(owner)
        names = ("pk", ops.RESTRICTED_FIELD) if restrictable else ("pk",)
        pks = [row[0] for row in qs.values_list(*names) if not restrictable or row[1] is None]
        for start in range(0, len(pks), BATCH):
            refs = [f"{label}:{pk}" for pk in pks[start : start + BATCH]]
            known = set(ErasureCase.objects.filter(subject_ref__in=refs).values_list("subject_ref", flat=True))
            new = [
                ErasureCase(
                    source=ErasureCase.Source.TERMINATION,
                    subject_ref=ref,
                    subject_refs=[ref],
                    reason="relationship ended",
                    opened_by="system",
                    opened_at=now,
                )
                for ref in refs
                if ref not in known
            ]
            ErasureCase.objects.bulk_create(new)
            opened += len(new)
    return opened


# --- The job ----------------------------------------------------------------------------------

FULL_CHECK_WEEKDAY = 0  # on Mondays every ended relationship is looked at again, not only new ones


def _window_start(run, day: dt.date) -> dt.date | None:
    if day.weekday() == FULL_CHECK_WEEKDAY:
        return None
    previous = (
        SweepRun.objects.filter(finished_at__isnull=False, day__lte=day).exclude(pk=run.pk).order_by("-day").first()
    )
    return previous.day if previous is not None else None


@contextmanager
def _bulk_mode():
    """SQLite: a larger page cache, and no checkpoint after every batch (each would sync the
    file); one checkpoint at the end writes everything, and truncates the log, at once."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint")
        (autocheckpoint,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size=-131072")
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={int(cache)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(autocheckpoint)}")
        forget([])


@daily_job("retention", order=ORDER)
def retention_sweep(day: dt.date) -> dict[str, int]:
    with _bulk_mode():
        return _sweep(day)


def _sweep(day: dt.date) -> dict[str, int]:
    run = SweepRun.objects.create(day=day, started_at=clock.now())
    counts: dict[str, int] = defaultdict(int)
    parents: dict = defaultdict(set)
    entries = {e.model: e for e in datamap.entries()}
    for model in ops.referrers_first(list(entries)):
        entry = entries[model]
        for rows, declared in entry.partitions():
            for rule, names in sorted(_rules(declared).values(), key=lambda rn: rn[0].key):
                if rule.anchor not in entry.dates or is_subject_request(rule):
                    continue
                counts[rule.key] += _sweep_rule(entry, rows, declared, rule, names, day, parents)
    counts["archive_released"] = _release_archive(day, parents)
    counts["erasure_cases_opened"] = open_ended_relationship_cases(day, since=_window_start(run, day))
    result = {k: counts[k] for k in sorted(counts)}
    run.counts = result
    run.finished_at = clock.now()
    run.save(update_fields=["counts", "finished_at"])
    if any(result.values()):
        with transaction.atomic():  # the event in a transaction of its own
            audit_record(
                actor=SYSTEM,
                action="retention.sweep",
                purpose="U14",
                object_type="retention.sweeprun",
                object_ids=[run.pk],
                data=result,
            )
    return result
