"""The erasure plan: for one data subject, every row and field with what happens to it and why.

Derived from the personal-data map alone (this module names no model): the finder's hits say
which rows are about the subject; the map says, per field, the erasure strategy and the retention
rule. Per row:

- every field declared `delete` is deleted, `anonymise` gets a neutral placeholder,
  `pseudonymise` its keyed hash;
- a field declared `retain` is kept while its rule's term runs: up to and including the anchor
  date of the row plus the term (`Retention.kept_until`; it goes the day after) — with the legal
  basis and that last day. A row a variant of the map declares otherwise (a ticket about an
  invoice's amount, part of the fiscal record) is planned by the variant's declarations;
- a row stays when it keeps a value, or when a row that stays refers to it (a customer record
  that kept invoices point to); it then keeps its retained values as long as they do. Every other
  row is deleted as a whole — anonymising a row nothing needs would keep a shell for nothing;
- a row that stays only for a locked-away rule (`restricted`, R4), and is about no one who
  stays, is marked restricted: hidden from every screen, list and export;
- a row that is also about someone else who stays (an invoice of a company that names the
  contact person being erased) keeps what is retained and is not locked away.

Holds (waarborg.erasure.holds) block the execution: an open or disputed claim (art. 17(3)(e)).
`notice()` tells the subject what was erased, what was kept, why and until when.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from waarborg.core import clock, datamap
from waarborg.core.identifiers import normalise_phone
from waarborg.erasure import holds as hold_rules
from waarborg.erasure import ops
from waarborg.subjects.finder import Hit

CHUNK = 500


@dataclass(frozen=True)
class FieldAction:
    field: str
    action: str  # delete | anonymise | pseudonymise | retain
    category: str
    key: str
    purposes: tuple[str, ...]
    basis: str
    retention: str
    restricted: bool
    until: dt.date | None = None  # retained: the last day it is kept (None: as long as what refers to it)
    changes: bool = True  # executing it changes the stored value


@dataclass
class RowPlan:
    model: str
    pk: object
    rule: str  # why this row is about the subject (from the finder)
    action: str = "delete"  # delete | update | keep
    fields: list[FieldAction] = field(default_factory=list)
    restrict: bool = False  # mark restricted now
    restricted: bool = False  # already restricted
    shared: bool = False  # also about someone who stays
    for_refs: bool = False  # kept only because kept rows refer to it
    until: dt.date | None = None
    files: list[str] = field(default_factory=list)  # stored files that go with it
    updates: dict = field(default_factory=dict, repr=False)  # field -> new value

    @property
    def ref(self) -> str:
        return f"{self.model}:{self.pk}"

    @property
    def changes(self) -> bool:
        return self.action in ("delete", "update") or self.restrict

    @property
    def stays(self) -> bool:
        return self.action != "delete"


@dataclass
class Group:
    model: str
    action: str
    rows: int
    fields: list[str]
    until: dt.date | None
    restricted: bool
    basis: str
    actions: dict[str, list[str]] = field(default_factory=dict)  # field action -> fields (rows that stay)


@dataclass
class ErasurePlan:
    day: dt.date
    subjects: list[str]
    rows: list[RowPlan]
    holds: list[hold_rules.Hold] = field(default_factory=list)
    identifiers: dict[str, set[str]] = field(default_factory=dict, repr=False)  # in memory only

    # --- questions ---

    @property
    def changes(self) -> bool:
        return any(r.changes for r in self.rows)

    @property
    def blocked(self) -> bool:
        return bool(self.holds)

    def rows_of(self, label: str) -> list[RowPlan]:
        return [r for r in self.rows if r.model == label]

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for r in self.rows:
            if r.action == "delete":
                out[r.model]["delete"] += 1
            elif r.action == "update":
                out[r.model]["update"] += 1
            if r.restrict:
                out[r.model]["restrict"] += 1
            if r.stays:
                out[r.model]["keep"] += 1
        return {label: dict(c) for label, c in sorted(out.items())}

    def categories(self) -> list[str]:
        """The data categories (D-ids) the erasure deletes or changes something in."""
        cats = {
            fa.category
            for r in self.rows
            for fa in r.fields
            if r.action == "delete" or (fa.action != "retain" and fa.changes)
        }
        return sorted(cats, key=lambda c: int(c[1:]))

    def row_counts(self) -> dict[str, int]:
        """Rows per model that the erasure deletes or changes (for a request's record: counts only)."""
        out: dict[str, int] = defaultdict(int)
        for r in self.rows:
            if r.changes:
                out[r.model] += 1
        return dict(sorted(out.items()))

    def files(self) -> list[str]:
        return sorted({name for r in self.rows for name in r.files})

    def groups(self) -> list[Group]:
        """The plan for review: per model and action, the fields concerned and until when."""
        grouped: dict[tuple, Group] = {}
        for r in self.rows:
            kept = [f for f in r.fields if f.action == "retain"]
            key = (r.model, r.action, r.until, r.restricted or r.restrict)
            names = sorted({f.field for f in (kept if r.action == "keep" else r.fields)})
            basis = ", ".join(sorted({f.basis for f in kept})) if kept else ""
            group = grouped.get(key)
            if group is None:
                group = grouped[key] = Group(r.model, r.action, 1, names, r.until, r.restricted or r.restrict, basis)
            else:
                group.rows += 1
                group.fields = sorted(set(group.fields) | set(names))
                group.basis = ", ".join(
                    sorted(set(filter(None, group.basis.split(", "))) | set(basis.split(", ")) - {""})
                )
            if r.stays:
                for fa in r.fields:
                    if fa.action == "retain" or fa.changes:
                        group.actions[fa.action] = sorted(set(group.actions.get(fa.action, [])) | {fa.field})
        order = {"delete": 0, "update": 1, "keep": 2}
        return sorted(grouped.values(), key=lambda g: (order[g.action], g.model, g.until or dt.date.max))

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "subjects": self.subjects,
            "holds": [{"code": h.code, "article": h.article, "en": h.en, "refs": list(h.refs)} for h in self.holds],
            "counts": self.counts(),
            "groups": [
                {
                    "model": g.model,
                    "action": g.action,
                    "rows": g.rows,
                    "fields": g.fields,
                    "until": g.until.isoformat() if g.until else None,
                    "restricted": g.restricted,
                    "basis": g.basis,
                    "field_actions": g.actions,
                }
                for g in self.groups()
            ],
            "rows": [
                {
                    "model": r.model,
                    "pk": r.pk,
                    "action": r.action,
                    "until": r.until.isoformat() if r.until else None,
                    "restrict": r.restrict or r.restricted,
                    "fields": [
                        {
                            "field": fa.field,
                            "action": "delete" if r.action == "delete" else fa.action,
                            "category": fa.category,
                            "basis": fa.basis,
                            "until": (fa.until or r.until).isoformat()
                            if fa.action == "retain" and r.stays and (fa.until or r.until)
                            else None,
                        }
                        for fa in r.fields
                    ],
                }
                for r in self.rows
            ],
        }

    # --- what the subject is told ---

    def notice(self, lang: str = "nl", *, pending: bool = False) -> str:
        """What the subject is told; `pending`: the erasure waits for its holds (the interim
        answer: nothing erased yet, what will be erased once they end, what is kept)."""
        return _notice(self, lang, pending=pending)


# --- Building the plan -----------------------------------------------------------------------


def _relationship_anchor_default(anchor: str, day: dt.date):
    # The erasure itself ends the relationship: a term counted from its end starts today.
    return day if anchor == "relationship_end" else None


def _load(entry: datamap.Entry, pks: list) -> dict:
    model = entry.model
    names = set()
    for name in entry.fields:
        f = model._meta.get_field(name)
        if f.concrete and not f.many_to_many:
            names.add(f.attname if f.is_relation else name)
    names |= set(entry.dates.values())
    names |= {link.path for link in entry.links}
    if ops.can_restrict(model):
        names.add(ops.RESTRICTED_FIELD)
    rows: dict = {}
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        for row in model._default_manager.filter(pk__in=chunk).values("pk", *sorted(names)):
            rows[row["pk"]] = row
    return rows


def erasure_plan(hits: list[Hit], *, day: dt.date | None = None, waive: tuple[str, ...] = ()) -> ErasurePlan:
    """The plan for the rows the finder found (`subject_find` or `subject_expand`)."""

    day = day or clock.today()
    registry = datamap.registry()
    by_model: dict[str, dict] = defaultdict(dict)
    for hit in hits:
        if hit.model in registry:
            by_model[hit.model].setdefault(hit.pk, hit)
    data: dict[str, dict] = {}
    for label, found in by_model.items():
        data[label] = _load(registry[label], list(found))
        for pk in list(found):
            if pk not in data[label]:
                del found[pk]  # gone meanwhile
    in_plan = {label: set(rows) for label, rows in data.items()}
    subjects = sorted(f"{label}:{pk}" for label, pks in in_plan.items() if registry[label].anchor for pk in pks)
    plans: dict[str, dict] = {}
    identifiers: dict[str, set[str]] = defaultdict(set)

    # 1. Each row on its own: the action per field, the term of what is retained.
    for label, rows in data.items():
        entry = registry[label]
        plans[label] = {}
        declared_by_pk = entry.fields_by_pk(rows)
        for pk, row in rows.items():
            rp = RowPlan(label, pk, by_model[label][pk].rule, restricted=bool(row.get(ops.RESTRICTED_FIELD)))
            for link in entry.links:
                target = row.get(link.path)
                if target is not None and target not in in_plan.get(link.target, ()):
                    rp.shared = True
            for name, p in sorted(declared_by_pk[pk].items()):
                until = None
                if p.erasure == "retain":
                    anchor = p.retention.anchor
                    value = row.get(entry.dates.get(anchor, ""))
                    if value is None:
                        value = _relationship_anchor_default(anchor, day)
                    until = p.retention.kept_until(value)
                rp.fields.append(
                    FieldAction(
                        name,
                        p.erasure,
                        p.category,
                        p.key,
                        p.purposes,
                        p.basis,
                        p.retention.key,
                        p.retention.restricted,
                        until,
                    )
                )
            _collect_identifiers(entry, row, identifiers)
            plans[label][pk] = rp

    # 2. Which rows stay: referring rows first, so a row knows whether something that stays
    #    points at it (then it stays as long as that does).
    models_in_plan = [registry[label].model for label in data]
    for model in ops.referrers_first(models_in_plan):
        label = model._meta.label
        rows = plans[label]
        own_until: dict = {}
        for pk, rp in rows.items():
            # kept on its last day too: it goes the day after `until`
            live = [f.until for f in rp.fields if f.action == "retain" and (f.until is None or f.until >= day)]
            if live:
                own_until[pk] = None if None in live else max(live)
        needed = _needed_by(model, rows, plans, day)
        locked_by = needed.pop("__restricted__", set())
        for pk, rp in rows.items():
            keeps = pk in own_until or pk in needed
            if not keeps:
                rp.action = "delete"
                rp.files = [row_file for row_file in _files(model, data[label][pk])]
                continue
            rp.for_refs = pk not in own_until
            dates = []
            if pk in own_until:
                dates.append(own_until[pk])
            if pk in needed:
                dates.append(needed[pk])
            rp.until = None if None in dates else max(dates)
            restricted_rule = any(f.restricted for f in rp.fields if f.action == "retain")
            lock = (restricted_rule or pk in locked_by) and not rp.shared
            rp.restrict = lock and not rp.restricted and ops.can_restrict(model)
            _field_updates(model, rp, data[label][pk], day)

    plan = ErasurePlan(day, subjects, [rp for label in sorted(plans) for rp in plans[label].values()])
    plan.identifiers = {k: v for k, v in identifiers.items() if v}
    plan.holds = [h for h in hold_rules.evaluate_holds(plan) if h.code not in waive]
    return plan


def _needed_by(model, rows: dict, plans: dict, day) -> dict:
    """{pk: until} of rows something that stays refers to (strongly: cascade or protect).

    Rows outside the plan that refer to one of ours keep it too (`until` unknown). The special
    key "__restricted__" collects the rows a restricted row that stays refers to.
    """
    needed: dict = {}
    locked: set = set()
    pks = list(rows)
    for ref_model, fk in ops.strong_referrers(model):
        ref_label = ref_model._meta.label
        ref_plans = plans.get(ref_label, {})
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            pairs = ref_model._default_manager.filter(**{f"{fk}__in": chunk}).values_list("pk", fk)
            for ref_pk, target in pairs:
                rp = ref_plans.get(ref_pk)
                if rp is not None and not rp.stays:
                    continue  # goes too
                until = rp.until if rp is not None else None
                if target in needed:
                    current = needed[target]
                    needed[target] = None if (current is None or until is None) else max(current, until)
                else:
                    needed[target] = until
                if rp is not None and (rp.restrict or rp.restricted):
                    locked.add(target)
    needed["__restricted__"] = locked
    return needed


def _files(model, row: dict) -> list[str]:
    return ops.stored_files_of(model, row)


def _field_updates(model, rp: RowPlan, row: dict, day) -> None:
    """A row that stays: what each non-retained field becomes, and whether that is a change."""
    changed = False
    out = []
    for fa in rp.fields:
        f = model._meta.get_field(fa.field)
        if fa.action == "retain":
            out.append(FieldAction(**{**fa.__dict__, "until": rp.until, "changes": False}))
            continue
        if not f.concrete or f.many_to_many:
            out.append(FieldAction(**{**fa.__dict__, "changes": False}))
            continue
        current = row.get(f.attname if f.is_relation else f.name)
        if current in (None, ""):  # nothing there: nothing to erase
            out.append(FieldAction(**{**fa.__dict__, "changes": False}))
            continue
        new = ops.target_value(f, fa.action, current, rp.pk)
        differs = (current or None) != (new or None)
        if differs:
            rp.updates[f.attname if f.is_relation else f.name] = new
            if isinstance(f, models.FileField) and current:
                rp.files.append(current)
            elif f.name in ops.named_file_fields(model) and current:
                rp.files += [n for n in [ops.named_file(ops.named_file_fields(model)[f.name], current)] if n]
            changed = True
        out.append(FieldAction(**{**fa.__dict__, "changes": differs}))
    rp.fields = out
    rp.action = "update" if changed else "keep"


def _collect_identifiers(entry: datamap.Entry, row: dict, out: dict[str, set[str]]) -> None:
    """The subject's identifiers as stored, for the residual scan and the ledger (never stored)."""
    names = []
    for name, p in entry.fields.items():
        if p.identifier is None:
            continue
        value = row.get(name)
        if value in (None, ""):
            continue
        if p.identifier == "name":
            names.append(str(value))
            continue
        out[p.identifier].add(str(value))
        if p.identifier == "iban":
            # the readable IBAN sits in a sibling field of the same data category (encrypted)
            for other, q in entry.fields.items():
                if other != name and q.key == p.key and q.identifier is None:
                    plain = row.get(other)
                    if isinstance(plain, str) and 15 <= len(plain) <= 34 and plain[:2].isalpha():
                        out["iban"].add(plain)
        if p.identifier == "phone":
            try:
                out["phone"].add(normalise_phone(str(value)))
            except Exception:  # noqa: S110 - a stored value that no longer parses stays as it is
                pass
    if names:
        out["name"].add(" ".join(names))


# --- The notice to the subject ---------------------------------------------------------------

_TEXT = {
    "nl": {
        "title": "Uw verzoek om gegevens te wissen",
        "erased": "Wat we hebben gewist",
        "erased_none": "Er was niets (meer) te wissen.",
        "kept": "Wat we hebben bewaard, waarom en tot wanneer",
        "kept_none": "We bewaren niets meer over u.",
        "until": "tot en met {date}",
        "while_refs": "zolang de bewaarde stukken die ernaar verwijzen bewaard worden",
        "locked": (
            "Afgeschermd: alleen in te zien door de financiële archiefrol, met een reden "
            "(belastingcontrole, juridische claim of uw eigen verzoek); elke inzage wordt vastgelegd."
        ),
        "basis": "grondslag",
        "purpose": "doel",
        "holds": "Nog niet uitgevoerd",
        "now_none": "Nu wissen we nog niets: het wissen wacht op het volgende.",
        "erased_later": "Wat we wissen zodra dat kan (we sturen u dan een laatste bericht)",
        "kept_later": "Wat we daarna bewaren, waarom en tot wanneer",
        "complaint": "U kunt een klacht indienen bij de Autoriteit Persoonsgegevens.",
        "records": "{n} gegevens",
        "for_refs": "Bewaard omdat de bewaarde facturen en stukken ernaar verwijzen, zolang die bewaard worden.",
    },
    "en": {
        "title": "Your request to erase your data",
        "erased": "What we erased",
        "erased_none": "There was nothing (left) to erase.",
        "kept": "What we kept, why, and until when",
        "kept_none": "We keep nothing about you any more.",
        "until": "up to and including {date}",
        "while_refs": "as long as the kept records that refer to it are kept",
        "locked": (
            "Locked away: only the finance archive role can open it, with a reason (a tax audit, "
            "a legal claim, or your own request); every opening is logged."
        ),
        "basis": "basis",
        "purpose": "purpose",
        "holds": "Not carried out yet",
        "now_none": "We erase nothing yet: the erasure waits for the following.",
        "erased_later": "What we will erase as soon as we can (we will then send you a final message)",
        "kept_later": "What we will keep after that, why, and until when",
        "complaint": "You can lodge a complaint with the Autoriteit Persoonsgegevens (the Dutch regulator).",
        "records": "{n} items",
        "for_refs": "Kept because the kept invoices and records refer to it, for as long as they are kept.",
    },
}


def _date(day: dt.date | None, lang: str) -> str:
    if day is None:
        return ""
    return day.strftime("%d-%m-%Y") if lang == "nl" else day.isoformat()


def _notice(plan: ErasurePlan, lang: str, *, pending: bool = False) -> str:
    t = _TEXT["nl" if lang == "nl" else "en"]
    if pending:
        t = t | {"erased": t["erased_later"], "kept": t["kept_later"]}
    i = 0 if lang == "nl" else 1
    lines = [t["title"], ""]
    if pending:
        lines.append(t["now_none"])
    if plan.holds:
        lines.append(t["holds"] + ":")
        for h in plan.holds:
            lines.append(f"- {h.describe(lang)} ({h.article})")
        lines.append("")
    erased: dict[str, int] = defaultdict(int)
    kept: dict[str, dict] = {}
    for r in plan.rows:
        for fa in r.fields:
            if r.action == "delete" or (fa.action != "retain" and fa.changes):
                erased[fa.category] += 1
            elif fa.action == "retain" and r.stays:
                k = kept.setdefault(
                    fa.category, {"until": r.until, "purposes": set(), "bases": set(), "rules": set(), "locked": False}
                )
                if k["until"] is not None:
                    k["until"] = None if r.until is None else max(k["until"], r.until)
                k["purposes"].update(fa.purposes)
                k["bases"].add(fa.basis)
                k["rules"].add("for_refs" if r.for_refs else fa.retention)
                k["locked"] = k["locked"] or r.restricted or r.restrict
    lines.append(t["erased"] + ":")
    if erased:
        for cat in sorted(erased, key=lambda c: int(c[1:])):
            lines.append(f"- {datamap.CATEGORIES[cat][i]} ({t['records'].format(n=erased[cat])})")
    else:
        lines.append(t["erased_none"])
    lines += ["", t["kept"] + ":"]
    if not kept:
        lines.append(t["kept_none"])
    locked_any = False
    for cat in sorted(kept, key=lambda c: int(c[1:])):
        k = kept[cat]
        when = t["until"].format(date=_date(k["until"], lang)) if k["until"] else t["while_refs"]
        purpose_names = "; ".join(datamap.PURPOSES[p][i] for p in sorted(k["purposes"], key=lambda p: int(p[1:])))
        basis_text = "; ".join(f"{datamap.BASES[b][i]} ({datamap.BASES[b][2]})" for b in sorted(k["bases"]))
        rules = " ".join(
            t["for_refs"] if rule == "for_refs" else datamap.RETENTION[rule].describe(lang)
            for rule in sorted(k["rules"])
        )
        lines.append(
            f"- {datamap.CATEGORIES[cat][i]} — {when}. {t['purpose'].capitalize()}: {purpose_names}. "
            f"{t['basis'].capitalize()}: {basis_text}. {rules}"
        )
        locked_any = locked_any or k["locked"]
    if locked_any:
        lines += ["", t["locked"]]
    lines += ["", t["complaint"]]
    return "\n".join(lines) + "\n"
