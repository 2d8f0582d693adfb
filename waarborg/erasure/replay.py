"""Replay after a restore: erase again, in restored data, what the ledger says was erased.

The ledger file lives outside the database, so it still knows erasures that happened after the
backup was taken. For every entry, the subject's rows are looked up by the ids the entry names
and accepted only when one of their identifiers hashes to one of the entry's keyed hashes (a
row with the same id but other contents is left alone); rows without identifiers of their own
are reached from those. The erasure then runs as it did the first time — holds do not apply,
the decision was taken — and the entries are put back into the database's ledger.

Run it right after restoring, before the service is opened again.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection, transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock, datamap
from waarborg.core.actors import CLI, actor_label
from waarborg.erasure.cases import primary_ref
from waarborg.erasure.completion import after_commit_steps
from waarborg.erasure.execution import execute_plan
from waarborg.erasure.ledger import identifier_hashes, ledger_export, read_file_entries
from waarborg.erasure.models import ErasureCase, LedgerEntry, LedgerHash
from waarborg.erasure.plan import erasure_plan
from waarborg.erasure.rules import PURPOSE
from waarborg.subjects.finder import Hit, subject_expand


def _restore_entries() -> int:
    known = set(LedgerEntry.objects.values_list("uid", flat=True))
    known = {str(u) for u in known}
    added = 0
    for data in read_file_entries():
        if data.get("uid") in known:
            continue
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                uid=uuid.UUID(data["uid"]),
                case_id=data.get("case_id"),
                source=data.get("source", ""),
                erased_at=dt.datetime.fromisoformat(data["erased_at"]),
                subjects=data.get("subjects", []),
                rows=data.get("rows", {}),
                in_file=True,
            )
            LedgerHash.objects.bulk_create(
                [LedgerHash(entry=entry, kind=kind, hash=h) for kind, h in data.get("hashes", [])]
            )
        known.add(data["uid"])
        added += 1
    return added


def _verified(label: str, pk, hashes: set[str]) -> Hit | None:
    entry = datamap.registry().get(label)
    if entry is None:
        return None
    model = entry.model
    try:
        pk_value = model._meta.pk.to_python(pk)
    except Exception:
        return None
    kinds: dict[str, list[str]] = {}
    for name, p in entry.fields.items():
        if p.identifier and p.identifier != "postcode":
            kinds.setdefault(p.identifier, []).append(name)
    if not kinds:
        return None
    names = [n for fields in kinds.values() for n in fields]
    row = model._default_manager.filter(pk=pk_value).values(*names).first()
    if row is None:
        return None
    for kind, fields in kinds.items():
        if kind == "name":
            full = " ".join(str(row[f]) for f in fields if row[f])
            candidates = [full] if full else []
        else:
            candidates = [str(row[f]) for f in fields if row[f]]
        if any(h in hashes for value in candidates for h in identifier_hashes(kind, value)):
            return Hit(label, pk_value, "pk", "erased before (ledger), restored from a backup")
    return None


def erasure_replay(*, actor=CLI, scan: bool = True) -> dict[str, int]:
    """Re-erase what the ledger records; returns counts (entries, subjects erased again, …)."""
    counts = {"entries": 0, "restored_entries": _restore_entries(), "erased_again": 0, "unverified_rows": 0}
    ledger_export()  # entries of the database missing from the file go there too
    for entry in LedgerEntry.objects.prefetch_related("hashes").order_by("erased_at", "pk"):
        counts["entries"] += 1
        hashes = {h.hash for h in entry.hashes.all()}
        direct: dict[tuple, Hit] = {}
        refs = list(entry.subjects)
        for label, actions in (entry.rows or {}).items():
            refs += [f"{label}:{pk}" for pk in actions.get("delete", []) + actions.get("update", [])]
        for ref in refs:
            label, _, pk = str(ref).rpartition(":")
            hit = _verified(label, pk, hashes)
            if hit is not None:
                direct[(hit.model, hit.pk)] = hit
        if not direct:
            continue
        hits = subject_expand(list(direct.values()))
        plan = erasure_plan(hits)
        plan.holds = []  # the erasure was decided when it first ran
        if not plan.changes:
            continue
        with transaction.atomic():
            case = ErasureCase.objects.create(
                source=ErasureCase.Source.REPLAY,
                subject_ref=primary_ref(plan.subjects),
                subject_refs=plan.subjects,
                reason=f"replay of ledger entry {entry.pk}",
                opened_by=actor_label(actor),
                opened_at=clock.now(),
            )
            audit_record(
                actor=actor,
                action="erasure.replay",
                purpose=PURPOSE,
                object_type="erasure.erasurecase",
                object_ids=[case.pk],
                subject_ref=case.subject_ref,
                data={"ledger_entry": entry.pk, "original_case": entry.case_id},
            )
            outcome = execute_plan(actor, case, plan)
        after = after_commit_steps(case.pk, plan, vacuum=True, scan=scan, tables=outcome["tables"])
        if connection.in_atomic_block:
            transaction.on_commit(after)
        else:
            after()
        counts["erased_again"] += 1
    return counts
