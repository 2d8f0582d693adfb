"""Erasure as a recorded, atomic act (G3, R2, M2).

- `erasure_request` — find a subject by identifiers, open a case and run it;
- `erasure_case_open` / `erasure_case_run` — the two steps on their own (the privacy request
  workflow opens a case with its `privacy_request_id` and runs it when decided);
- `customer_terminate` — ending the contract is an erasure request: the case runs by itself
  (daily job) once the last service has ended and nothing is owed or disputed;
- `minor_report_register` — a report that a minor's data was collected without consent.

Running a case is one transaction: every row of the plan is deleted, changed or locked, the
ledger entry written and the case updated together — or, on any error, nothing at all. After
the commit, stored files are deleted (a failure is recorded and retried), derived copies are
dropped, the database is made to forget (SQLite: WAL checkpoint; PostgreSQL: VACUUM) and the
residual scan proves the result: only then is the case "complete". Audit events carry counts,
ids and codes — never a personal value.
"""

from __future__ import annotations

import contextvars
import logging
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from waarborg.audit.services import audit_record, refuse_personal
from waarborg.core import clock, datamap
from waarborg.core.access import check_actor
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError, WaarborgError
from waarborg.erasure import ops
from waarborg.erasure.ledger import known_erasure, ledger_export, ledger_write
from waarborg.erasure.models import ErasureCase, LedgerEntry, PendingFile, VacuumDue
from waarborg.erasure.plan import ErasurePlan, erasure_plan
from waarborg.erasure.residual import ScanResult, kept_from_plan, residual_scan, residual_scan_many
from waarborg.subjects.finder import Hit, Query, subject_expand, subject_find

log = logging.getLogger(__name__)

PURPOSE = "U14"  # answering a right of the data subject is a statutory obligation
ERASURE_SCOPE = "subject_search"  # who may erase: the role that may search subjects (privacy)
WAIVED_FOR_MINORS = ("active_contract",)  # no valid contract without a parent's consent


class SubjectNotFound(NotFound):
    """No row matches the identifiers (and the ledger knows of no erasure of them)."""


class AlreadyErased(WaarborgError):
    def __init__(self, message: str, *, case_id=None, erased_at=None):
        super().__init__(message)
        self.case_id = case_id
        self.erased_at = erased_at


class ErasureFailed(WaarborgError):
    """The erasure stopped halfway; its transaction was rolled back, nothing changed."""


# --- Derived copies ---------------------------------------------------------------------------

DerivedCleaner = Callable[[ErasurePlan], int]
_DERIVED: dict[str, DerivedCleaner] = {}


def derived_copy_cleaner(name: str):
    """Register a function that drops derived copies of a subject's data (a stored export
    package, a search index…); it gets the plan and returns how many copies it removed."""

    def register(func: DerivedCleaner) -> DerivedCleaner:
        _DERIVED[name] = func
        return func

    return register


@derived_copy_cleaner("caches")
def _clear_caches(plan: ErasurePlan) -> int:
    # A cache holds derived copies by definition; dropping it whole is the only way to be sure.
    for alias in caches:
        caches[alias].clear()
    return len(list(caches))


@derived_copy_cleaner("export_packages")
def _drop_export_packages(plan: ErasurePlan) -> int:
    """The access and portability packages made for the subject's privacy requests (ZIP files
    under the files directory): a copy of everything that was erased."""
    from django.conf import settings

    from waarborg.privacy.fulfil import PACKAGE_DIR
    from waarborg.privacy.models import DownloadLink, PackagePush, PrivacyRequest

    pks = [r.pk for r in plan.rows if r.model == PrivacyRequest._meta.label]
    if not pks:
        return 0
    names = {
        f"{number}-{kind}.zip"
        for number, kind in PrivacyRequest.objects.filter(pk__in=pks).values_list("number", "type")
    }
    for model in (DownloadLink, PackagePush):
        names |= set(model.objects.filter(request_id__in=pks).values_list("package_name", flat=True))
    directory = Path(settings.FILES_DIR) / PACKAGE_DIR
    removed = 0
    for name in sorted(n for n in names if n and "/" not in n and not n.startswith(".")):
        path = directory / name
        if path.exists():
            path.unlink()
            removed += 1
    return removed


# --- Helpers ----------------------------------------------------------------------------------


def clean_note(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    text = " ".join((value or "").split()) if field != "details" else (value or "").strip()
    if required and not text:
        raise ValidationError(f"{field} is required", field=field)
    if len(text) > max_length:
        raise ValidationError(f"{field} is longer than {max_length} characters", field=field)
    try:
        refuse_personal(text, field)
    except ValidationError:
        raise ValidationError(
            f"the {field} may not contain personal data (an e-mail address, phone number, postcode…)", field=field
        ) from None
    return text


def _check_eraser(actor) -> None:
    check_actor(actor=actor, scope=ERASURE_SCOPE, customers_may=False)


def _primary_ref(refs: list[str]) -> str:
    """The subject row a case is named by: a row that stands on its own (no links up) and that
    most other kinds of rows hang on — the contracting party when there is one."""
    registry = datamap.registry()
    linked_to: dict[str, int] = defaultdict(int)
    for entry in registry.values():
        for link in entry.links:
            linked_to[link.target] += 1

    def rank(ref: str):
        label = ref.rsplit(":", 1)[0]
        entry = registry.get(label)
        return (0 if entry is not None and not entry.links else 1, -linked_to[label], ref)

    return sorted(refs, key=rank)[0] if refs else ""


def _anchor_refs(hits: list[Hit]) -> list[str]:
    registry = datamap.registry()
    return sorted({f"{h.model}:{h.pk}" for h in hits if h.model in registry and registry[h.model].anchor})


def _hits_of(case: ErasureCase) -> list[Hit]:
    registry = datamap.registry()
    direct = []
    for ref in case.subject_refs:
        label, _, pk = ref.rpartition(":")
        entry = registry.get(label)
        if entry is None:
            continue
        pk_value = entry.model._meta.pk.to_python(pk)
        if entry.model._default_manager.filter(pk=pk_value).exists():
            direct.append(Hit(label, pk_value, "pk", f"subject of erasure case {case.pk}"))
    return subject_expand(direct) if direct else []


def _already_erased_for(identifiers) -> AlreadyErased | None:
    entry = known_erasure(identifiers)
    if entry is None:
        return None
    return AlreadyErased(
        f"this subject was already erased on {entry.erased_at.astimezone(clock.AMSTERDAM).date().isoformat()}"
        + (f" (erasure case {entry.case_id})" if entry.case_id else ""),
        case_id=entry.case_id,
        erased_at=entry.erased_at,
    )


# --- Opening a case ---------------------------------------------------------------------------


def erasure_case_open(
    *,
    actor,
    hits: list[Hit],
    source: str,
    reason: str = "",
    details: str = "",
    privacy_request_id: int | None = None,
    waive: tuple[str, ...] = (),
) -> ErasureCase:
    """Open a case for the subject these rows are about (hits from the finder)."""
    if source not in ErasureCase.Source.values:
        raise ValidationError("unknown source of an erasure case", field="source")
    _check_eraser(actor)
    reason = clean_note(reason, field="reason", max_length=200)
    details = clean_note(details, field="details", max_length=2000)
    refs = _anchor_refs(hits)
    if not refs:
        raise SubjectNotFound("no subject found for these identifiers")
    with transaction.atomic():
        case = ErasureCase.objects.create(
            source=source,
            subject_ref=_primary_ref(refs),
            subject_refs=refs,
            reason=reason,
            details=details,
            waive=sorted(waive),
            privacy_request_id=privacy_request_id,
            opened_by=_actor_label(actor),
            opened_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="erasure.open",
            purpose=PURPOSE,
            reason=reason,
            object_type="erasure.erasurecase",
            object_ids=[case.pk],
            subject_ref=case.subject_ref,
            data={"source": source, "subjects": len(refs), "privacy_request": privacy_request_id is not None},
        )
    return case


def _actor_label(actor) -> str:
    from waarborg.audit.services import actor_of

    return actor_of(actor)


def erasure_request(
    *,
    actor,
    query: Query,
    reason: str = "",
    source: str = "request",
    privacy_request_id: int | None = None,
    run: bool = True,
    scan: bool = True,
    vacuum: bool = True,
) -> ErasureCase:
    """Erase the subject these identifiers find: open a case and (by default) run it.

    Unknown identifiers: SubjectNotFound; a subject erased before: AlreadyErased. A hold leaves
    the case on hold (its `hold` names the codes); the daily job runs it once released.
    """
    _check_eraser(actor)
    hits = subject_find(query)
    if not hits:
        known = _already_erased_for({k: {v} for k, v in query.normalised().items() if k != "postcode"})
        raise known or SubjectNotFound("no subject found for these identifiers")
    plan = erasure_plan(hits)
    if not plan.changes:
        known = _already_erased_for(plan.identifiers)
        raise known or AlreadyErased("there is nothing left to erase for this subject")
    case = erasure_case_open(
        actor=actor, hits=hits, source=source, reason=reason, privacy_request_id=privacy_request_id
    )
    if run:
        case = erasure_case_run(actor=actor, case=case, scan=scan, vacuum=vacuum)
    return case


# --- Running a case ---------------------------------------------------------------------------


def erasure_case_run(*, actor, case: ErasureCase, vacuum: bool = True, scan: bool = True) -> ErasureCase:
    """Run the case: hold, or erase everything in one transaction, then prove it.

    Running a closed case again changes nothing and says so (AlreadyErased). On any error the
    transaction is rolled back — the database is as before — and ErasureFailed is raised.
    """
    _check_eraser(actor)
    case.refresh_from_db()
    if case.is_closed:
        raise AlreadyErased(
            f"erasure case {case.pk} was already carried out ({case.status})",
            case_id=case.pk,
            erased_at=case.executed_at,
        )
    outcome: dict = {}
    try:
        with transaction.atomic():
            locked = ErasureCase.objects.select_for_update().get(pk=case.pk)
            if locked.is_closed:
                raise AlreadyErased(f"erasure case {case.pk} was already carried out", case_id=case.pk)
            hits = _hits_of(locked)
            plan = erasure_plan(hits, waive=tuple(locked.waive))
            if plan.holds:
                _hold(actor, locked, plan)
                outcome["held"] = True
            else:
                outcome.update(_execute(actor, locked, plan))
                outcome["plan"] = plan
    except WaarborgError:
        raise
    except Exception as exc:
        _record_failure(case, exc)
        raise ErasureFailed(
            f"erasure case {case.pk} stopped ({type(exc).__name__}); everything was rolled back, nothing changed"
        ) from exc
    if outcome.get("held"):
        case.refresh_from_db()
        return case
    after = _after_commit_steps(case.pk, outcome["plan"], vacuum=vacuum, scan=scan, tables=outcome["tables"])
    if connection.in_atomic_block:
        transaction.on_commit(after)
    else:
        after()
    case.refresh_from_db()
    return case


def _record_failure(case: ErasureCase, exc: Exception) -> None:
    if connection.in_atomic_block and connection.needs_rollback:
        return  # the outer transaction is broken; the caller sees the error
    try:
        ErasureCase.objects.filter(pk=case.pk).update(
            attempts=case.attempts + 1, last_error=f"{type(exc).__name__}"[:200]
        )
    except Exception:  # noqa: S110 - recording the failure must not hide the failure itself
        pass


def _hold(actor, case: ErasureCase, plan: ErasurePlan) -> None:
    codes = ",".join(h.code for h in plan.holds)
    first = case.status != ErasureCase.Status.ON_HOLD or case.hold != codes
    case.status = ErasureCase.Status.ON_HOLD
    case.hold = codes[:200]
    case.held_at = case.held_at or clock.now()
    case.result = {"holds": [{"code": h.code, "article": h.article, "refs": list(h.refs)} for h in plan.holds]}
    case.save(update_fields=["status", "hold", "held_at", "result"])
    if first:
        audit_record(
            actor=actor,
            action="erasure.hold",
            purpose=PURPOSE,
            object_type="erasure.erasurecase",
            object_ids=[case.pk],
            subject_ref=case.subject_ref,
            data={"holds": [h.code for h in plan.holds]},
        )


def _end_relationship(plan: ErasurePlan, now) -> None:
    """The erasure ends the customer relationship: the customer record that stays says so (its
    end date anchors the terms of what is kept)."""
    from waarborg.customers.models import Customer

    pks = [r.pk for r in plan.rows_of("customers.Customer") if r.stays]
    if pks:
        Customer.objects.filter(pk__in=pks, ended_at__isnull=True).update(ended_at=now)
        Customer.objects.filter(pk__in=pks).exclude(status=Customer.Status.ENDED).update(status=Customer.Status.ENDED)


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


def _execute(actor, case: ErasureCase, plan: ErasurePlan) -> dict:
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


def _tables_of(labels) -> set[str]:
    from django.apps import apps

    out = set()
    for label in labels:
        try:
            out.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return out


# --- After the commit: files, derived copies, forgetting, proof ------------------------------


def _after_commit_steps(case_id, plan: ErasurePlan, *, vacuum: bool, scan: bool, tables: list[str]):
    identifiers = plan.identifiers
    kept = kept_from_plan(plan)  # the cells and files the erasure kept: hits there are allowed

    def run():
        try:
            steps()
        except Exception as exc:  # the erasure is committed; the case stays incomplete, the daily job sees it
            log.warning("after-commit steps of erasure case %s failed (%s)", case_id, type(exc).__name__)
            ErasureCase.objects.filter(pk=case_id).update(last_error=f"after commit: {type(exc).__name__}"[:200])

    def steps():
        removed, failed = ops.remove_pending_files(case_id=case_id)
        ledger_export()
        derived = {}
        for name, cleaner in sorted(_DERIVED.items()):
            try:
                derived[name] = cleaner(plan)
            except Exception as exc:  # a cleaner that fails makes the case incomplete
                derived[name] = -1
                log.warning("derived copy cleaner %s failed (%s)", name, type(exc).__name__)
        hygiene = forget(tables) if vacuum else {"skipped": True}

        def finish(result: ScanResult | None):
            _finish(case_id, removed, failed, derived, hygiene, result, notice)
            _answer_request(case_id, plan)
            _confirm_termination(case_id, addresses, notice)

        batch = _SCAN_BATCH.get()
        if scan and batch is not None:  # the daily job scans its cases together (one pass)
            batch.append((case_id, identifiers, kept, finish))
            return
        finish(residual_scan(identifiers, kept=kept, case_id=case_id) if scan else None)

    # What the person is told (categories, bases and dates — never a value), from the plan as
    # it was carried out; the addresses it went to, in memory only (the erasure removes them).
    notice = {lang: plan.notice(lang) for lang in ("nl", "en")}
    addresses = sorted(plan.identifiers.get("email", ()))
    return run


def forget(tables: list[str]) -> dict:
    """Make the database let go of erased values.

    SQLite (secure_delete is on, so freed space is zeroed): checkpoint the write-ahead log into
    the database file and truncate it. PostgreSQL: VACUUM the touched tables, with index
    cleanup, so dead row versions and index entries are removed (see docs/erasure.md for what
    that does not guarantee). Both need to run outside a transaction; inside one they are
    left to the daily job.
    """
    if connection.vendor == "postgresql" and getattr(settings, "WAARBORG_ERASURE_VACUUM", "now") == "daily":
        now = clock.now()
        for table in tables:
            VacuumDue.objects.get_or_create(table=table, defaults={"since": now})
        return {"vacuum": "daily", "tables": len(tables)}
    if connection.in_atomic_block:
        return {"deferred": True}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, frames, done = cursor.fetchone()
            return {"wal_checkpoint": "complete" if not busy else "busy", "frames": done}
        if connection.vendor == "postgresql":
            _vacuum(cursor, tables)
            return {"vacuum": len(tables)}
    return {}


def _vacuum(cursor, tables) -> None:
    qn = connection.ops.quote_name
    for table in tables:
        cursor.execute(f"VACUUM (INDEX_CLEANUP ON) {qn(table)}")


def vacuum_due() -> int:
    """The daily job's VACUUM of every table erasures touched since the last one (PostgreSQL,
    WAARBORG_ERASURE_VACUUM=daily); outside a transaction only."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 0
    due = list(VacuumDue.objects.order_by("table").values_list("pk", "table"))
    if not due:
        return 0
    with connection.cursor() as cursor:
        _vacuum(cursor, [table for _pk, table in due])
    VacuumDue.objects.filter(pk__in=[pk for pk, _table in due]).delete()
    return len(due)


def _finish(case_id, removed, failed, derived, hygiene, result: ScanResult | None, notice: dict) -> None:
    with transaction.atomic():
        case = ErasureCase.objects.select_for_update().get(pk=case_id)
        data = dict(case.result)
        data["notice"] = notice
        data["files_removed"] = removed
        data["files_failed"] = failed
        data["derived"] = derived
        data["forget"] = hygiene
        if result is not None:
            data["scan"] = result.summary()
            data["scan_hits"] = [h.describe() for h in result.failures[:50]]
            ok = result.ok and failed == 0 and all(v >= 0 for v in derived.values())
        else:
            data["scan"] = "skipped"
            ok = failed == 0
        case.result = data
        case.status = ErasureCase.Status.COMPLETE if ok else ErasureCase.Status.INCOMPLETE
        case.completed_at = clock.now() if ok else None
        case.save(update_fields=["result", "status", "completed_at"])
        audit_record(
            actor="system",
            action="erasure.scan",
            purpose=PURPOSE,
            object_type="erasure.erasurecase",
            object_ids=[case.pk],
            subject_ref=case.subject_ref,
            data={
                "status": case.status,
                "fail": result.summary()["fail"] if result else None,
                "review": result.summary()["review"] if result else None,
                "files_failed": failed,
            },
        )


def files_retry() -> dict[str, int]:
    """Try the pending file deletions again; close the cases they were all that held back."""
    removed, failed = ops.remove_pending_files()
    closed = 0
    waiting = ErasureCase.objects.filter(status=ErasureCase.Status.INCOMPLETE, executed_at__isnull=False)
    for case in waiting.exclude(files__isnull=False):
        scan = case.result.get("scan")
        if isinstance(scan, dict) and scan.get("fail") == 0 and case.result.get("files_failed"):
            data = dict(case.result)
            data["files_failed"] = 0
            scan = dict(scan)
            scan["pending_files"] = 0
            scan["ok"] = True
            data["scan"] = scan
            ErasureCase.objects.filter(pk=case.pk).update(
                status=ErasureCase.Status.COMPLETE, completed_at=clock.now(), result=data
            )
            closed += 1
    return {"files_removed": removed, "files_failed": failed, "cases_closed": closed}


# --- The privacy request an erasure answers (G3) ---------------------------------------------


def privacy_request_erase(*, actor, request, vacuum: bool = True, scan: bool = True) -> ErasureCase:
    """Carry out the approved erasure plan of a privacy request: a case linked to the request,
    run at once. Once the case is complete (now, or after a hold, by the daily job) the request
    is marked carried out and answered with the notice: what was erased, what was kept, why and
    until when (`_answer_request`)."""
    from waarborg.privacy.models import PrivacyRequest
    from waarborg.privacy.subject import subject_hits

    _check_eraser(actor)
    current = PrivacyRequest.objects.filter(pk=getattr(request, "pk", request)).first()
    if current is None:
        raise NotFound("privacy request not found")
    if current.type != PrivacyRequest.Type.ERASURE:
        raise ValidationError("only an erasure request is carried out by the erasure engine", field="type")
    if not current.is_open:
        raise ValidationError("this privacy request is closed", field="status")
    if current.erasure_plan_status != PrivacyRequest.Plan.APPROVED:
        raise ValidationError("the erasure plan of this request has not been approved", field="erasure_plan")
    existing = ErasureCase.objects.filter(privacy_request_id=current.pk).order_by("-pk").first()
    if existing is not None:
        return erasure_case_run(actor=actor, case=existing, vacuum=vacuum, scan=scan)
    hits = subject_hits(current)
    if not hits:
        raise SubjectNotFound("no subject found for this request")
    plan = erasure_plan(hits)
    if not plan.changes:
        raise _already_erased_for(plan.identifiers) or AlreadyErased("there is nothing left to erase for this subject")
    case = erasure_case_open(
        actor=actor,
        hits=hits,
        source=ErasureCase.Source.REQUEST,
        reason=f"privacy request {current.number}",
        privacy_request_id=current.pk,
    )
    return erasure_case_run(actor=actor, case=case, vacuum=vacuum, scan=scan)


def _answer_request(case_id, plan: ErasurePlan) -> None:
    """A complete case answers the privacy request it belongs to: the plan is reported carried
    out (rows per model, no values) and the request is completed with the notice in the
    requester's language. The answer waits while recipient notices (X3) are open; the back
    office then completes it (the notice is in the case's result). Failing to answer never
    undoes the erasure: the case records why and the request stays open in the queue."""
    from waarborg.privacy.answers import privacy_request_complete
    from waarborg.privacy.erasure_plan import erasure_plan_executed
    from waarborg.privacy.models import PrivacyRequest, RecipientNotice

    case = ErasureCase.objects.get(pk=case_id)
    if case.privacy_request_id is None or case.status != ErasureCase.Status.COMPLETE:
        return
    request = PrivacyRequest.objects.filter(pk=case.privacy_request_id).first()
    if request is None or not request.is_open:
        return
    try:
        if request.erasure_plan_status == PrivacyRequest.Plan.APPROVED:
            erasure_plan_executed(actor="system", request=request, summary=plan.row_counts())
        waiting = RecipientNotice.objects.filter(request=request, status=RecipientNotice.Status.OPEN).count()
        if waiting:
            state = "carried out; the answer waits for the recipient notices"
        elif not request.email:
            state = "carried out; the answer goes by post (the privacy officer completes the request)"
        else:
            note = case.result.get("notice", {}).get(request.language if request.language == "en" else "nl", "")
            privacy_request_complete(actor="system", request=request, note=note)
            state = "answered"
    except Exception as exc:  # the erasure stands; the request stays open for the privacy officer
        state = f"not answered ({type(exc).__name__})"
        log.warning("privacy request of erasure case %s was not answered (%s)", case_id, type(exc).__name__)
    data = dict(ErasureCase.objects.get(pk=case_id).result)
    data["request"] = state
    ErasureCase.objects.filter(pk=case_id).update(result=data)


def _confirm_termination(case_id, addresses: list[str], notice: dict) -> None:
    """The end of a contract is an erasure request without a request record: its confirmation
    (what was erased, what kept, on which basis, until when — LAW L-R3) goes to the addresses the
    subject had, in Dutch and English, once the erasure is complete."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    case = ErasureCase.objects.get(pk=case_id)
    if case.source != ErasureCase.Source.TERMINATION or not addresses:
        return
    if case.status != ErasureCase.Status.COMPLETE:
        state = "not sent: the erasure is not complete"
    else:
        controller = getattr(settings, "WAARBORG_CONTROLLER", {})
        body = "\n".join(
            [
                notice["nl"],
                "-" * 40,
                notice["en"],
                "-" * 40,
                f"{controller.get('name', '')} — {controller.get('email', '')}",
            ]
        )
        message = EmailMessage(
            "Uw gegevens zijn gewist / Your data has been erased",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [],
            bcc=addresses,  # several contact persons of one customer do not see each other's address
        )
        try:
            message.send(fail_silently=False)
            state = f"sent to {len(addresses)} address(es)"
        except Exception as exc:  # the erasure stands; the privacy officer sees it in the case
            state = f"not sent ({type(exc).__name__})"
            log.warning("confirmation of erasure case %s was not sent (%s)", case_id, type(exc).__name__)
        audit_record(
            actor="system",
            action="erasure.confirm",
            purpose=PURPOSE,
            object_type="erasure.erasurecase",
            object_ids=[case.pk],
            subject_ref=case.subject_ref,
            data={"addresses": len(addresses), "sent": state.startswith("sent")},
        )
    data = dict(ErasureCase.objects.get(pk=case_id).result)
    data["confirmation"] = state
    ErasureCase.objects.filter(pk=case_id).update(result=data)


# --- Termination (R2) and minors (M2) ---------------------------------------------------------


def customer_terminate(*, actor, customer, reason: str, end_date=None) -> ErasureCase:
    """End the contract: every service ends (today, or `end_date`), and an erasure case opens
    that runs by itself once the last service has ended and nothing is owed or disputed."""
    from waarborg.catalogue.models import Subscription
    from waarborg.catalogue.services import subscription_cancel
    from waarborg.customers.models import Customer

    check_actor(actor=actor, scope="subscriptions", customer_id=getattr(customer, "pk", customer))
    reason = clean_note(reason, field="reason", max_length=200, required=True)
    end = end_date or clock.today()
    with transaction.atomic():
        current = Customer.objects.select_for_update().filter(pk=getattr(customer, "pk", customer)).first()
        if current is None or getattr(current, ops.RESTRICTED_FIELD, None) is not None:
            raise NotFound(f"customers.customer {getattr(customer, 'pk', customer)} not found")
        ref = f"customers.Customer:{current.pk}"
        existing = (
            ErasureCase.objects.filter(subject_ref=ref)
            .exclude(status__in=[ErasureCase.Status.COMPLETE, ErasureCase.Status.INCOMPLETE])
            .first()
        )
        for sub in Subscription.objects.filter(customer=current).exclude(status=Subscription.Status.CANCELLED):
            subscription_cancel(actor=actor, subscription=sub, end_date=max(end, sub.start_date))
        if current.status == Customer.Status.ACTIVE:
            current.status = Customer.Status.TERMINATING
            current.save(update_fields=["status"])
        if existing is not None:
            return existing
        hits = subject_expand([Hit("customers.Customer", current.pk, "pk", "customer who ended the contract")])
        case = erasure_case_open(actor="system", hits=hits, source="termination", reason=reason)
        ErasureCase.objects.filter(pk=case.pk).update(opened_by=_actor_label(actor))
        audit_record(
            actor=actor,
            action="customer.terminate",
            purpose="U1",
            reason=reason,
            object_type="customers.customer",
            object_ids=[current.pk],
            subject_ref=f"customer:{current.pk}",
            data={"erasure_case": case.pk, "services_end_in_days": (end - clock.today()).days},
        )
        case.refresh_from_db()
    return case


def minor_report_register(
    *,
    actor,
    details: str,
    email: str | None = None,
    phone: str | None = None,
    customer_number: str | None = None,
    ip: str | None = None,
    name: str | None = None,
    postcode: str | None = None,
    run: bool = True,
) -> ErasureCase:
    """Record a report that a minor's data was collected without a parent's consent, and erase
    that data. Invoices and payments stay (fiscal obligation), locked away."""
    _check_eraser(actor)
    details = clean_note(details, field="details", max_length=2000, required=True)
    query = Query(email=email, phone=phone, customer_number=customer_number, ip=ip, name=name, postcode=postcode)
    hits = subject_find(query)
    if not hits:
        with transaction.atomic():
            now = clock.now()
            case = ErasureCase.objects.create(
                source=ErasureCase.Source.MINOR_REPORT,
                status=ErasureCase.Status.COMPLETE,
                subject_ref="",
                details=details,
                opened_by=_actor_label(actor),
                opened_at=now,
                executed_at=now,
                completed_at=now,
                result={"found": 0},
            )
            audit_record(
                actor=actor,
                action="erasure.minor_report",
                purpose=PURPOSE,
                object_type="erasure.erasurecase",
                object_ids=[case.pk],
                data={"found": 0},
            )
        return case
    case = erasure_case_open(actor=actor, hits=hits, source="minor_report", details=details, waive=WAIVED_FOR_MINORS)
    audit_record(
        actor=actor,
        action="erasure.minor_report",
        purpose=PURPOSE,
        object_type="erasure.erasurecase",
        object_ids=[case.pk],
        subject_ref=case.subject_ref,
        data={"found": len(hits)},
    )
    if run:
        case = erasure_case_run(actor=actor, case=case)
    return case


# --- Cases run by the daily job ---------------------------------------------------------------


# While the daily job runs its cases, their residual scans wait here and run together: one pass
# over the database for up to SCAN_BATCH_SIZE subjects instead of one pass each.
_SCAN_BATCH: contextvars.ContextVar[list | None] = contextvars.ContextVar("erasure_scan_batch", default=None)
SCAN_BATCH_SIZE = 200


def _scan_batch(batch: list) -> None:
    if not batch:
        return
    try:
        results = residual_scan_many([(case_id, identifiers, kept) for case_id, identifiers, kept, _ in batch])
    except Exception as exc:  # the erasures are committed; the cases stay incomplete and are seen
        log.warning("residual scan of %s erasure cases failed (%s)", len(batch), type(exc).__name__)
        for case_id, *_rest in batch:
            ErasureCase.objects.filter(pk=case_id).update(last_error=f"after commit: {type(exc).__name__}"[:200])
        batch.clear()
        return
    for case_id, _identifiers, _kept, finish in batch:
        try:
            finish(results[case_id])
        except Exception as exc:
            log.warning("after-commit steps of erasure case %s failed (%s)", case_id, type(exc).__name__)
            ErasureCase.objects.filter(pk=case_id).update(last_error=f"after commit: {type(exc).__name__}"[:200])
    batch.clear()


def erasure_cases_run(day=None) -> dict[str, int]:
    """Run every open or held case; a case that fails stays open and is tried again tomorrow.
    The residual scans of the cases run together, SCAN_BATCH_SIZE at a time."""
    counts = {"run": 0, "complete": 0, "incomplete": 0, "on_hold": 0, "failed": 0}
    pending = ErasureCase.objects.filter(status__in=[ErasureCase.Status.OPEN, ErasureCase.Status.ON_HOLD])
    ran: list[int] = []
    batch: list = []
    token = _SCAN_BATCH.set(batch)
    try:
        for case in pending.order_by("pk").iterator():
            counts["run"] += 1
            try:
                erasure_case_run(actor="system", case=case)
            except AlreadyErased:
                continue
            except (ErasureFailed, NotFound, PermissionDenied):
                counts["failed"] += 1
                continue
            ran.append(case.pk)
            if len(batch) >= SCAN_BATCH_SIZE:
                _scan_batch(batch)
    finally:
        _SCAN_BATCH.reset(token)
        _scan_batch(batch)
    for status in ErasureCase.objects.filter(pk__in=ran).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    counts.pop("open", None)
    return counts


def ledger_entries_missing() -> int:
    return LedgerEntry.objects.filter(in_file=False).count()
