"""Carrying out an erasure plan, inside the transaction of its case (`execute_plan`).

Every row of the plan is changed, locked away or deleted (rows that refer to others first), the
customer relationship the erasure ends is marked ended, the stored files to remove are recorded,
the ledger entry is written and the case is marked executed — all in the caller's transaction,
so that on any error nothing at all has changed. What follows the commit (files, derived copies,
forgetting, the residual scan) is `completion.after_commit_steps`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.apps import apps
from django.db.models import QuerySet

from waarborg.audit.services import audit_record
from waarborg.core import clock, datamap
from waarborg.erasure import ops
from waarborg.erasure.ledger import ledger_write
from waarborg.erasure.models import ErasureCase, PendingFile
from waarborg.erasure.plan import ErasurePlan
from waarborg.erasure.rules import PURPOSE


def execute_plan(actor, case: ErasureCase, plan: ErasurePlan) -> dict:
    """Carry out `plan` for `case` within the current transaction; returns the tables it touched
    (`{"tables": [...]}`), which the database is then made to forget."""
    now = clock.now()
    registry = datamap.registry()
    models_in_plan = [registry[label].model for label in {r.model for r in plan.rows}]
    ordered = ops.referrers_first(models_in_plan)
    by_model = defaultdict(list)
    for r in plan.rows:
        by_model[r.model].append(r)
    _end_relationship(plan, now)
    updated = restricted = 0
    deleted: dict[str, int] = defaultdict(int)
    for model in ordered:
        rows = by_model[model._meta.label]
        updated += _update_rows(model, rows)
        restricted += _restrict_rows(model, rows, now)
    for model in ordered:
        for label, n in _delete_rows(model, by_model[model._meta.label], case).items():
            deleted[label] += n
    ops.record_files([name for r in plan.rows if r.action == "update" for name in r.files], case=case)
    files = PendingFile.objects.filter(case=case).count()
    rows_json = {
        label: {
            action: [
                r.pk
                for r in by_model[label]
                if {"restrict": r.restrict, "keep": r.stays}.get(action, r.action == action)
            ]
            for action in ("delete", "update", "restrict", "keep")
        }
        for label in sorted(by_model)
    }
    ledger_write(
        case=case,
        source=case.source,
        erased_at=now,
        subjects=case.subject_refs,
        rows=rows_json,
        identifiers=plan.identifiers,
    )
    counts = plan.counts()
    case.status = ErasureCase.Status.INCOMPLETE  # until the residual scan proves otherwise
    case.hold = ""
    case.executed_at = now
    case.attempts += 1
    case.last_error = ""
    case.result = {
        "counts": counts,
        "deleted": dict(sorted(deleted.items())),
        "updated": updated,
        "restricted": restricted,
        "files": files,
        "scan": "pending",
    }
    case.save(update_fields=["status", "hold", "executed_at", "attempts", "last_error", "result"])
    audit_record(
        actor=actor,
        action="erasure.execute",
        purpose=PURPOSE,
        reason=case.reason,
        object_type="erasure.erasurecase",
        object_ids=[case.pk],
        subject_ref=case.subject_ref,
        data={
            "source": case.source,
            "deleted": dict(sorted(deleted.items())),
            "updated": updated,
            "restricted": restricted,
        },
    )
    tables = sorted({registry[label].model._meta.db_table for label in by_model} | _tables_of(deleted))
    return {"tables": tables}


# What else ending the relationship changes on a subject row that stays, declared by the app that
# owns the model (`@on_relationship_end(label)`, registered in its AppConfig.ready): its status.
RelationshipEnd = Callable[[QuerySet, object], None]
_ENDINGS: dict[str, RelationshipEnd] = {}


def on_relationship_end(label: str):
    """Register what ending the relationship changes on the staying rows of model `label`; the
    function gets their queryset and the moment."""

    def register(func: RelationshipEnd) -> RelationshipEnd:
        _ENDINGS[label] = func
        return func

    return register


def registered_endings() -> dict[str, RelationshipEnd]:
    """What ending the relationship changes, by model label."""
    return dict(_ENDINGS)


def _end_relationship(plan: ErasurePlan, now) -> None:
    """The erasure ends the relationship: a subject row that stays and on which the map dates the
    relationship's end (the customer record) says so — that date anchors the terms of what is kept."""
    registry = datamap.registry()
    for label in sorted({r.model for r in plan.rows}):
        entry = registry[label]
        path = entry.dates.get("relationship_end")
        pks = [r.pk for r in plan.rows_of(label) if r.stays]
        if not entry.anchor or path is None or "__" in path or not pks:
            continue
        rows = entry.model._default_manager.filter(pk__in=pks)
        rows.filter(**{f"{path}__isnull": True}).update(**{path: now})
        if label in _ENDINGS:
            _ENDINGS[label](rows, now)


def _update_rows(model, rows) -> int:
    n = 0
    for r in rows:
        if r.action == "update" and r.updates:
            n += model._default_manager.filter(pk=r.pk).update(**r.updates)
    return n


def _restrict_rows(model, rows, now) -> int:
    pks = [r.pk for r in rows if r.restrict]
    if not pks:
        return 0
    return model._default_manager.filter(pk__in=pks, **{f"{ops.RESTRICTED_FIELD}__isnull": True}).update(
        **{ops.RESTRICTED_FIELD: now}
    )


def _delete_rows(model, rows, case) -> dict[str, int]:
    pks = [r.pk for r in rows if r.action == "delete"]
    out: dict[str, int] = defaultdict(int)
    for start in range(0, len(pks), 500):
        for label, n in ops.delete_queryset(
            model._default_manager.filter(pk__in=pks[start : start + 500]), case=case
        ).items():
            out[label] += n
    return out


def _tables_of(labels) -> set[str]:
    out = set()
    for label in labels:
        try:
            out.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return out
