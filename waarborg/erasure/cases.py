"""Erasure cases: a recorded, atomic act for one data subject (G3, R2, M2).

- `erasure_request` — find a subject by identifiers, open a case and run it;
- `erasure_case_open` / `erasure_case_run` — the two steps on their own (a privacy request opens
  a case with its `privacy_request_id` and runs it when decided; the end of a contract opens one
  that the daily job runs once nothing holds it);
- `erasure_plan_preview` — what erasing the subject would do, for review (recorded, changes nothing);
- `minor_report_register` — a report that a minor's data was collected without consent (M2);
- `erasure_cases_run` — the daily job: every open or held case, tried again.

Running a case is one transaction (`execution.execute_plan`): every row of the plan is deleted,
changed or locked, the ledger entry written and the case updated together — or, on any error,
nothing at all. A hold leaves the case on hold. After the commit the case is proved
(`completion.after_commit_steps`); only then is it "complete". Audit events carry counts, ids and
codes — never a personal value.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock, datamap
from waarborg.core.actors import SYSTEM, actor_label
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError, WaarborgError
from waarborg.core.messages.erasure import CASE_STATUSES
from waarborg.core.messages.words import Named
from waarborg.erasure.completion import ScansTogether, after_commit_steps, release_steps
from waarborg.erasure.execution import execute_plan
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.plan import ErasurePlan, erasure_plan
from waarborg.erasure.rules import (
    PURPOSE,
    AlreadyErased,
    ErasureFailed,
    SubjectNotFound,
    already_erased_for,
    check_eraser,
    clean_note,
)
from waarborg.subjects.finder import Hit, Query, subject_expand, subject_find

WAIVED_FOR_MINORS = ("active_contract",)  # no valid contract without a parent's consent


# --- The subject of a case --------------------------------------------------------------------


def primary_ref(refs: list[str]) -> str:
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


def erasure_plan_preview(*, actor, query: Query) -> ErasurePlan:
    """The plan for the subject these identifiers find, for review; the look is recorded in the
    audit trail (which identifiers, how many rows, which holds), nothing else changes.

    Unknown identifiers: SubjectNotFound; a subject of whom only kept records remain:
    AlreadyErased (with the date the ledger knows)."""
    check_eraser(actor)
    with transaction.atomic():
        hits = subject_find(query)
        if not hits:
            known = already_erased_for({k: {v} for k, v in query.normalised().items()})
            raise known or SubjectNotFound("erasure.subject_not_found")
        plan = erasure_plan(hits)
        known = None if plan.changes or plan.holds else already_erased_for(plan.identifiers)
        if known is not None:  # only kept records remain (a request's record, the archive)
            raise known
        audit_record(
            actor=actor,
            action="erasure.plan",
            purpose=PURPOSE,
            object_type="subject",
            subject_ref=primary_ref(plan.subjects),
            data={"by": sorted(query.normalised()), "rows": len(plan.rows), "holds": [h.code for h in plan.holds]},
        )
    return plan


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
        raise ValidationError("erasure.source_unknown", field="source")
    check_eraser(actor)
    reason = clean_note(reason, field="reason", max_length=200)
    details = clean_note(details, field="details", max_length=2000)
    refs = _anchor_refs(hits)
    if not refs:
        raise SubjectNotFound("erasure.subject_not_found")
    with transaction.atomic():
        case = ErasureCase.objects.create(
            source=source,
            subject_ref=primary_ref(refs),
            subject_refs=refs,
            reason=reason,
            details=details,
            waive=sorted(waive),
            privacy_request_id=privacy_request_id,
            opened_by=actor_label(actor),
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
    check_eraser(actor)
    hits = subject_find(query)
    if not hits:
        known = already_erased_for({k: {v} for k, v in query.normalised().items() if k != "postcode"})
        raise known or SubjectNotFound("erasure.subject_not_found")
    plan = erasure_plan(hits)
    if not plan.changes:
        known = already_erased_for(plan.identifiers)
        raise known or AlreadyErased("erasure.nothing_left")
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
    check_eraser(actor)
    case.refresh_from_db()
    if case.is_closed:
        raise AlreadyErased(
            "erasure.case_closed",
            {"case": case.pk, "status": Named(CASE_STATUSES, case.status)},
            case_id=case.pk,
            erased_at=case.executed_at,
        )
    outcome: dict = {}
    released = _release(case) if case.status == ErasureCase.Status.ON_HOLD else {}
    try:
        with transaction.atomic():
            locked = ErasureCase.objects.select_for_update().get(pk=case.pk)
            if locked.is_closed:
                raise AlreadyErased("erasure.case_closed_meanwhile", {"case": case.pk}, case_id=case.pk)
            hits = _hits_of(locked)
            plan = erasure_plan(hits, waive=tuple(locked.waive))
            if plan.holds:
                _hold(actor, locked, plan)
                outcome["held"] = True
            else:
                outcome.update(execute_plan(actor, locked, plan))
                outcome["plan"] = plan
    except WaarborgError:
        raise
    except Exception as exc:
        _record_failure(case, exc)
        raise ErasureFailed("erasure.case_failed", {"case": case.pk, "error": type(exc).__name__}) from exc
    if outcome.get("held"):
        case.refresh_from_db()
        return case
    if released:
        case.refresh_from_db()
        ErasureCase.objects.filter(pk=case.pk).update(result={**case.result, "released": released})
    after = after_commit_steps(case.pk, outcome["plan"], vacuum=vacuum, scan=scan, tables=outcome["tables"])
    if connection.in_atomic_block:
        transaction.on_commit(after)
    else:
        after()
    case.refresh_from_db()
    return case


def _release(case: ErasureCase) -> dict[str, str]:
    """A held case whose holds have ended: the steps of other apps run before it erases (the final
    answer goes out while the address is still there); a failing step never stops the erasure."""
    try:
        plan = erasure_plan(_hits_of(case), waive=tuple(case.waive))
    except Exception:  # the run itself reports the failure
        return {}
    return {} if plan.holds else release_steps(case.pk, plan)


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
    case.result = {
        "holds": [
            {"code": h.code, "article": h.article, "refs": list(h.refs), "nl": h.nl, "en": h.en} for h in plan.holds
        ],
        # The interim answer: nothing erased yet, what will be once the holds end, what is kept.
        "notice_pending": {lang: plan.notice(lang, pending=True) for lang in ("nl", "en")},
    }
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


# --- Minors (M2) ------------------------------------------------------------------------------


@transaction.atomic
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
    country: str = "NL",
    run: bool = True,
) -> ErasureCase:
    """Record a report that a minor's data was collected without a parent's consent, and erase
    that data. Invoices and payments stay (fiscal obligation), locked away."""
    check_eraser(actor)
    details = clean_note(details, field="details", max_length=2000, required=True)
    query = Query(
        email=email, phone=phone, customer_number=customer_number, ip=ip, name=name, postcode=postcode, country=country
    )
    hits = subject_find(query)
    if not hits:
        with transaction.atomic():
            now = clock.now()
            case = ErasureCase.objects.create(
                source=ErasureCase.Source.MINOR_REPORT,
                status=ErasureCase.Status.COMPLETE,
                subject_ref="",
                details=details,
                opened_by=actor_label(actor),
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


def erasure_cases_run(day=None) -> dict[str, int]:
    """Run every open or held case; a case that fails stays open and is tried again tomorrow.
    The residual scans of the cases run together (`completion.ScansTogether`)."""
    counts = {"run": 0, "complete": 0, "incomplete": 0, "on_hold": 0, "failed": 0}
    pending = ErasureCase.objects.filter(status__in=[ErasureCase.Status.OPEN, ErasureCase.Status.ON_HOLD])
    ran: list[int] = []
    with ScansTogether() as scans:
        for case in pending.order_by("pk").iterator():
            counts["run"] += 1
            try:
                erasure_case_run(actor=SYSTEM, case=case)
            except AlreadyErased:
                continue
            except (ErasureFailed, NotFound, PermissionDenied):
                counts["failed"] += 1
                continue
            ran.append(case.pk)
            scans.flush_if_full()
    for status in ErasureCase.objects.filter(pk__in=ran).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    counts.pop("open", None)
    return counts
