"""Decisions and the notices they queue: how each is recorded.

Every step, pause, payment, contest and approval is a `Decision` holding its facts, its rule
(the ladder version and step), its outcome and what comes next; a decision the customer is told
about queues a `Notice`. The daily run writes both as light rows in batches (`row=True`); the
other services save them one by one.
"""

from __future__ import annotations

import datetime as dt

from waarborg.core import clock
from waarborg.core.actors import System
from waarborg.dunning import bulk
from waarborg.dunning.models import Case, Decision, LadderVersion, Notice

ACTOR = System("dunning")  # the audit trail's name for what dunning does on its own

# Decision kinds besides the ladder's step kinds.
OPENED_NOTHING = "nothing"
REANCHOR = "reanchored"
PAYMENT = "payment_booked"
CLOSED = "closed"
PAUSED = "paused"
CONTEST_DECIDED = "contest_decided"
BAILIFF_HANDOFF = "bailiff_handoff"
BAILIFF_REFUSED = "bailiff_refused"
CANCEL_APPROVED = "cancel_approved"
CANCEL_REFUSED = "cancel_refused"


def _rule(version: LadderVersion, step_index: int | None = None) -> str:
    text = f"ladder {version.ladder.key} v{version.version}"
    if step_index is not None:
        step = version.steps[step_index]
        text += f", step {step_index + 1} '{step['key']}' ({step['kind']}, day {step['day']})"
    return text[:200]


DECISION_FIELDS = (  # the columns of a decision row (bulk.insert)
    "case_id",
    "customer_id",
    "ladder_version_id",
    "kind",
    "step_index",
    "step_key",
    "rule",
    "facts",
    "outcome",
    "outcome_data",
    "next_kind",
    "next_on",
    "decided_on",
    "decided_at",
    "decided_by_id",
    "reason",
    "key",
)


def new_decision(
    case,
    version: LadderVersion,
    *,
    kind: str,
    key: str,
    facts: dict,
    outcome: str,
    day: dt.date,
    step_index: int | None = None,
    outcome_data: dict | None = None,
    by=None,
    reason: str = "",
    row: bool = False,
):
    """A Decision (or, with `row`, a light row for the batch insert of the daily run); `by` is the
    account of the person who decided, None when automated."""
    step = version.steps[step_index] if step_index is not None else None
    fields = {
        "case_id": case.pk,
        "customer_id": case.customer_id,
        "ladder_version_id": version.pk,
        "kind": kind,
        "step_index": step_index,
        "step_key": step["key"] if step else "",
        "rule": _rule(version, step_index),
        "facts": facts,
        "outcome": outcome,
        "outcome_data": outcome_data or {},
        "next_kind": "",
        "next_on": None,
        "decided_on": day,
        "decided_at": clock.now(),
        "decided_by_id": by.pk if by is not None else None,
        "reason": reason,
        "key": key[:80],
    }
    return bulk.Row(**fields) if row else Decision(**fields)


def set_next(decision: Decision, case: Case, version: LadderVersion, next_on: dt.date | None) -> None:
    """Record on `decision` what comes next for `case`: an approval, or the next step and its day."""
    if case.status == Case.Status.WAITING:
        decision.next_kind = "approval"
        return
    if case.next_index < len(version.steps) and case.status not in (Case.Status.CLOSED, Case.Status.DONE):
        decision.next_kind = version.steps[case.next_index]["kind"]
        decision.next_on = next_on


NOTICE_FIELDS = (  # the columns of a notice row (bulk.insert)
    "case_id",
    "customer_id",
    "decision_id",
    "kind",
    "gates_next_step",
    "contact_id",
    "language",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
    "sent_at",
    "next_on",
    "term_end",
    "costs_amount",
    "key",
    "channel",
)


def new_notice(decision, *, gates: bool, row: bool = False):
    """The notice telling the customer about `decision` (by post for a letter to be posted);
    `gates`: the next step waits until it has gone out. With `row`, a light row for the run."""
    now = clock.now()
    by_post = (decision.outcome_data or {}).get("channel") == Notice.Channel.POST
    fields = {
        "case_id": decision.case_id,
        "customer_id": decision.customer_id,
        "decision_id": decision.pk if not row else None,
        "kind": decision.kind,
        "gates_next_step": gates,
        "contact_id": None,
        "language": "",
        "status": (Notice.Status.TO_POST if by_post else Notice.Status.QUEUED).value,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
        "sent_at": None,
        "next_on": None,
        "term_end": None,
        "costs_amount": None,
        "key": f"{decision.key}:notice"[:90],
        "channel": (Notice.Channel.POST if by_post else Notice.Channel.EMAIL).value,
    }
    return bulk.Row(**fields) if row else Notice(**fields)


def save_notice(decision: Decision, *, gates: bool) -> Notice:
    """Queue the notice for a saved `decision`."""
    notice = new_notice(decision, gates=gates)
    notice.save(force_insert=True)
    return notice
