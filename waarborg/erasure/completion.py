"""After an erasure's commit: stored files, derived copies, forgetting, and the proof.

`after_commit_steps` gives the function that runs once the erasure is committed: the case's
stored files are deleted (a failure is recorded and retried), the ledger file written, derived
copies dropped and the database made to forget (`hygiene`); then the residual scan proves the
result, and only then is the case "complete". The steps other apps register with
`when_case_finished` follow (the privacy request a case answers, the confirmation of the end of a
contract). A failure here never undoes the erasure: the case stays incomplete and says why.

The daily job scans its cases together (`ScansTogether`): one pass over the database for up to
SCAN_BATCH_SIZE subjects instead of one pass each.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.erasure import ops
from waarborg.erasure.hygiene import derived_copies_clean, forget
from waarborg.erasure.ledger import ledger_export
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.plan import ErasurePlan
from waarborg.erasure.residual import ScanResult, kept_from_plan, residual_scan, residual_scan_many
from waarborg.erasure.rules import PURPOSE

log = logging.getLogger(__name__)

# --- Steps of other apps once a case is finished ----------------------------------------------

# (case id, the plan as carried out, the notice per language "nl" / "en") -> None
CaseFinished = Callable[[int, ErasurePlan, dict], None]
_FINISHED: dict[str, CaseFinished] = {}


def when_case_finished(name: str):
    """Register a step that runs once a case's proof is recorded (whether complete or not), in
    the order of the names: it gets the case id, the plan as carried out and the notice."""

    def register(func: CaseFinished) -> CaseFinished:
        _FINISHED[name] = func
        return func

    return register


# --- Steps of other apps once a held case is released, before it erases -----------------------

# (case id, the plan about to be carried out) -> what happened, in a few words (no values)
CaseReleased = Callable[[int, ErasurePlan], str]
_RELEASED: dict[str, CaseReleased] = {}


def when_case_released(name: str):
    """Register a step that runs once a held case's holds have ended, just before it erases (the
    final answer to the requester is sent while the address is still known), in the order of the
    names. A step that fails never stops the erasure: its failure is recorded on the case."""

    def register(func: CaseReleased) -> CaseReleased:
        _RELEASED[name] = func
        return func

    return register


def release_steps(case_id, plan: ErasurePlan) -> dict[str, str]:
    """Run the steps registered with `when_case_released`; what each did, or why it failed."""
    done: dict[str, str] = {}
    for name, step in sorted(_RELEASED.items()):
        try:
            done[name] = step(case_id, plan)
        except Exception as exc:  # the erasure still runs; the case says why the step failed
            log.warning("release step %s of erasure case %s failed (%s)", name, case_id, type(exc).__name__)
            done[name] = f"failed ({type(exc).__name__})"
    return done


# --- The scans of the daily job, together -----------------------------------------------------

# While the daily job runs its cases, their residual scans wait here and run together: one pass
# over the database for up to SCAN_BATCH_SIZE subjects instead of one pass each.
_SCAN_BATCH: contextvars.ContextVar[list | None] = contextvars.ContextVar("erasure_scan_batch", default=None)
SCAN_BATCH_SIZE = 200


class ScansTogether:
    """While open, the residual scans of the cases run wait and run together: when `flush_if_full`
    finds SCAN_BATCH_SIZE of them, and for the rest on closing."""

    def __enter__(self) -> ScansTogether:
        self._batch: list = []
        self._token = _SCAN_BATCH.set(self._batch)
        return self

    def __exit__(self, *exc_info) -> None:
        _SCAN_BATCH.reset(self._token)
        _scan_batch(self._batch)

    def flush_if_full(self) -> None:
        """Scan the waiting cases now when there are SCAN_BATCH_SIZE of them."""
        if len(self._batch) >= SCAN_BATCH_SIZE:
            _scan_batch(self._batch)


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


# --- After the commit -------------------------------------------------------------------------


def after_commit_steps(case_id, plan: ErasurePlan, *, vacuum: bool, scan: bool, tables: list[str]):
    """The function to run once the erasure of `plan` for case `case_id` is committed: files,
    ledger file, derived copies, forgetting (`vacuum`) on `tables`, the residual scan (`scan`),
    the case's outcome and the steps registered with `when_case_finished`."""
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
        derived = derived_copies_clean(plan)
        hygiene = forget(tables) if vacuum else {"skipped": True}

        def finish(result: ScanResult | None):
            _finish(case_id, removed, failed, derived, hygiene, result, notice)
            for _name, step in sorted(_FINISHED.items()):
                step(case_id, plan, notice)

        batch = _SCAN_BATCH.get()
        if scan and batch is not None:  # the daily job scans its cases together (one pass)
            batch.append((case_id, identifiers, kept, finish))
            return
        finish(residual_scan(identifiers, kept=kept, case_id=case_id) if scan else None)

    # What the person is told (categories, bases and dates — never a value), from the plan as
    # it was carried out.
    notice = {lang: plan.notice(lang) for lang in ("nl", "en")}
    return run


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
            actor=SYSTEM,
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
