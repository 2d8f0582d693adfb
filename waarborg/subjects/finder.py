"""The subject finder: identifiers in, every row about that person out.

It reads the personal-data map and knows no model by name. Three steps:

1. *Direct*: rows whose identifier fields (declared `identifier=` in the map) equal the
   normalised value — every one of these lookups is an index lookup (the system check demands
   the index).
2. *Up*: a row found directly (or a subject row reached later) makes the subject rows it links
   to subjects too — a login event found by IP leads to its account, an account to its contact
   person, a contact person to the customer *only* when that customer is a natural person.
3. *Down*: every row that links to a subject row is about that subject (its invoices, tickets,
   consents…); rows of anchor models reached this way are subjects in turn.

Each hit carries the rule that linked it, so staff can see why a row belongs to the person.

The links are followed a round at a time: every *down* link of a round is one SELECT (compiled
from the map once per process), and the round's SELECTs go to the database as one query, so the
number of queries follows the rounds, not the number of links in the map.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from django.core.exceptions import EmptyResultSet
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, router
from django.db.models import TextField
from django.db.models.functions import Cast

from waarborg.core import datamap
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import NORMALISERS, normalise_name

MAX_ROUNDS = 8


@dataclass(frozen=True)
class Hit:
    model: str
    pk: int | str
    field: str
    rule: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Query:
    email: str | None = None
    phone: str | None = None
    customer_number: str | None = None
    ip: str | None = None
    name: str | None = None
    postcode: str | None = None
    country: str = "NL"  # the country whose rules the phone number and the postcode follow

    def normalised(self) -> dict[str, str]:
        country = (self.country or "NL").strip().upper()
        given = {k: v for k, v in asdict(self).items() if v not in (None, "") and k != "country"}
        if not given:
            raise ValidationError("subjects.identifier_missing")
        if ("name" in given) != ("postcode" in given):
            raise ValidationError("subjects.name_without_postcode", field="name")
        return {
            kind: NORMALISERS[kind](value, country) if kind in ("phone", "postcode") else NORMALISERS[kind](value)
            for kind, value in given.items()
        }


_REVERSE_CACHE: dict = {}


def _reverse_links() -> dict[str, list[tuple[datamap.Entry, datamap.Link]]]:
    """{target label: [(entry, link) of every link to it]}, derived from the map once per process
    (and again whenever the map's entries change)."""
    key = tuple((label, id(entry)) for label, entry in datamap.registry().items())
    cached = _REVERSE_CACHE.get("reverse")
    if cached is not None and cached[0] == key:
        return cached[1]
    reverse: dict[str, list[tuple[datamap.Entry, datamap.Link]]] = defaultdict(list)
    for entry in datamap.entries():
        for link in entry.links:
            reverse[link.target].append((entry, link))
    _REVERSE_CACHE["reverse"] = (key, reverse)
    return reverse


_SENTINELS = (-7_301_977_113, "waarborg-finder-sentinel-7301977113")
_SQL_CACHE: dict[tuple, tuple[str, list, int] | None] = {}


def _down_sql(entry: datamap.Entry, link: datamap.Link, using: str) -> tuple[str, list, int] | None:
    """The SQL of `entry.model.filter(<link.path>__in=[...]).values_list(pk as text)`, compiled once
    per process with a sentinel in place of the target keys: (sql, params, sentinel's position)."""
    key = (entry.label, id(entry), link.path, link.target, using)
    if key not in _SQL_CACHE:
        target_pk = datamap.registry()[link.target].model._meta.pk
        sentinel = _SENTINELS[0] if target_pk.get_internal_type().endswith("AutoField") else _SENTINELS[1]
        qs = (
            entry.model._default_manager.using(using)
            .filter(**{f"{link.path}__in": [sentinel]})
            .order_by()
            .annotate(wb_pk=Cast("pk", output_field=TextField()))
            .values_list("wb_pk")
        )
        compiled = None
        try:
            sql, params = qs.query.get_compiler(using=using).as_sql()
        except (TypeError, ValueError, DjangoValidationError, EmptyResultSet):  # not one plain SELECT: query alone
            sql, params = "", ()
        params = list(params)
        if sql and sql.count("%s") == len(params) and params.count(sentinel) == 1:
            compiled = (sql, params, params.index(sentinel))
        _SQL_CACHE[key] = compiled
    return _SQL_CACHE[key]


def _down_rows(wanted: list[tuple[datamap.Entry, datamap.Link, set]]) -> list[list]:
    """For each (entry, link, target pks): the pks of the entry's rows whose `link.path` is one of
    the target pks — all in a single query, a UNION ALL of one SELECT per link."""
    found: list[list] = [[] for _ in wanted]
    parts, params = [], []
    using = router.db_for_read(wanted[0][0].model) if wanted else None
    for i, (entry, link, pks) in enumerate(wanted):
        compiled = _down_sql(entry, link, using) if pks else None
        if compiled is None or router.db_for_read(entry.model) != using:
            if pks:  # not expressible as one SELECT with the keys as parameters: on its own
                rows = entry.model._default_manager.filter(**{f"{link.path}__in": pks}).values_list("pk", flat=True)
                found[i] = list(dict.fromkeys(rows))
            continue
        sql, own, at = compiled
        pieces = sql.split("%s")
        sql = "%s".join(pieces[: at + 1]) + ", ".join(["%s"] * len(pks)) + "%s".join(pieces[at + 1 :])
        # The SQL is the ORM's own, the step a number; every value goes as a parameter.
        parts.append(f"SELECT {i} AS wb_step, wb.wb_pk FROM ({sql}) wb")  # noqa: S608
        params += own[:at] + list(pks) + own[at + 1 :]
    if parts:
        seen: list[dict] = [{} for _ in wanted]
        with connections[using].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for i, pk_text in cursor.fetchall():
                seen[i][wanted[i][0].model._meta.pk.to_python(pk_text)] = None
        for i, rows in enumerate(seen):
            if rows:
                found[i] = list(rows)
    return found


def subject_find(query: Query) -> list[Hit]:
    """Every row about the person the identifiers point to."""
    values = query.normalised()
    direct: list[Hit] = []
    for entry in datamap.entries():
        manager = entry.model._default_manager
        for kind, value in values.items():
            if kind in ("name", "postcode"):
                continue
            for field in entry.identifier_fields(kind):
                for pk in manager.filter(**{field: value}).values_list("pk", flat=True):
                    direct.append(Hit(entry.label, pk, field, f"{kind} matches {field}"))
        if "postcode" in values:
            pc_fields = entry.identifier_fields("postcode")
            name_fields = entry.identifier_fields("name")
            if pc_fields and name_fields:
                wanted = values["name"]
                for row in manager.filter(**{pc_fields[0]: values["postcode"]}).values("pk", *name_fields):
                    full = " ".join(str(row[f] or "") for f in name_fields)
                    if full.strip() and normalise_name(full) == wanted:
                        fields = "+".join(name_fields)
                        direct.append(
                            Hit(entry.label, row["pk"], fields, f"name and postcode match {fields}+{pc_fields[0]}")
                        )
    return subject_expand(direct)


def subject_rows_of(obj) -> list[Hit]:
    """Every row about the person a known subject row stands for (e.g. a signed-in account)."""
    label = obj._meta.label
    return subject_expand([Hit(label, obj.pk, "pk", "the signed-in subject")])


def subject_expand(direct: list[Hit]) -> list[Hit]:
    """From rows found directly, follow the map's links up to subjects and down to their rows."""
    registry = datamap.registry()
    reverse = _reverse_links()
    hits: dict[tuple[str, object], Hit] = {}
    frontier: dict[str, set] = defaultdict(set)  # rows found in the last round, per model

    def add(label: str, pk, field: str, rule: str) -> bool:
        if (label, pk) in hits:
            return False
        hits[(label, pk)] = Hit(label, pk, field, rule)
        frontier[label].add(pk)
        return True

    for hit in direct:
        add(hit.model, hit.pk, hit.field, hit.rule)
    direct_pks = {label: set(pks) for label, pks in frontier.items()}

    for _ in range(MAX_ROUNDS):
        if not frontier:
            break
        current, frontier = frontier, defaultdict(set)
        steps: list[tuple] = []
        for label, pks in current.items():
            entry = registry[label]
            # Up: from found rows to the subject rows they are about. Rows reached *down* from a
            # subject do not lead up again unless they stand for a person themselves.
            up_pks = pks if entry.anchor else pks & direct_pks.get(label, set())
            if up_pks:
                for link in entry.links:
                    if not link.up:
                        continue
                    flt = {"pk__in": up_pks, f"{link.path}__isnull": False}
                    flt.update({f"{link.path}__{k}": v for k, v in link.up_when})
                    targets = entry.model._default_manager.filter(**flt).values_list(link.path, flat=True).distinct()
                    steps.append(("up", label, link, list(targets)))
            # Down: rows that are about a subject row (queried below, all models at once).
            if entry.anchor:
                for other, link in reverse.get(label, []):
                    steps.append(("down", other, link, pks))
        # The round's down queries depend only on the rows found before it: run them as one and
        # add their rows in the order the links were met, so each row keeps the same rule.
        wanted = [(other, link, pks) for kind, other, link, pks in steps if kind == "down"]
        rows_by_step = iter(_down_rows(wanted))
        for kind, first, second, third in steps:
            if kind == "up":
                for target_pk in third:
                    add(second.target, target_pk, second.path, f"{second.rule} (from {first})")
            else:
                for pk in next(rows_by_step):
                    add(first.label, pk, second.path, second.rule)
    return sorted(hits.values(), key=lambda h: (h.model, str(h.pk)))
