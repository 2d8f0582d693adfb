"""The ladder's steps, one module per kind: what taking a step does.

The daily run (`dunning.run`) takes each due case's next step: it records the facts, has the
step's module act and say what came of it, then writes the decision and its notice in a batch.
A step module's `take` returns a `StepResult`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from waarborg.dunning.models import Approval, Case


class StepResult(NamedTuple):
    """What taking a step came to.

    `gates`: the step's notice must go out before the next step (True), the notice does not
    hold anything up (False), or there is no notice: the case waits for an approval (None).
    `then`: what to do with the decision's id once it has been saved, if anything.
    """

    outcome: str
    outcome_data: dict
    gates: bool | None
    then: Callable[[int], None] | None = None


def ask_approval(case, kind: str, day: dt.date) -> Callable[[int], None]:
    """Put `case` in the hands of a named employee: it waits, and once the step's decision has
    been saved an approval of `kind` is requested for that decision."""
    case.status = Case.Status.WAITING

    def then(decision_id: int) -> None:
        Approval.objects.create(
            case_id=case.pk,
            customer_id=case.customer_id,
            kind=kind,
            decision_id=decision_id,
            requested_on=day,
        )

    return then
