"""Holds: what stops an erasure for now, with the article that allows it.

A hold rule takes the plan and returns the holds that apply; the erasure waits (the case is
"on hold") and the daily job tries again, so a hold is released as soon as its cause is gone.
This module holds the registry and names no model: the app that owns the data a hold rests on
declares the rule with `@hold_rule`, registered in its `AppConfig.ready`:

- `open_claim` (billing) — an invoice of the customer is unpaid or disputed: the data is needed
  for a legal claim (art. 17(3)(e) GDPR) until it is settled;
- `active_contract` (catalogue) — a service of the customer still runs: the data is still needed
  to perform the contract (art. 17(1)(a), art. 6(1)(b)); ending the contract
  (customer_terminate) makes it an erasure that runs by itself once the last service has ended (R2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the plan asks for its holds; a rule only reads it
    from waarborg.erasure.plan import ErasurePlan


@dataclass(frozen=True)
class Hold:
    """Why an erasure waits: a code, the article that allows it, the reason in Dutch and English
    and the rows (`label:pk`) that cause it."""

    code: str
    article: str
    nl: str
    en: str
    refs: tuple[str, ...] = ()

    def describe(self, lang: str = "nl") -> str:
        return self.nl if lang == "nl" else self.en


HoldRule = Callable[["ErasurePlan"], list[Hold]]
_RULES: dict[str, HoldRule] = {}


def hold_rule(code: str):
    """Register a rule under `code`: it takes the plan and returns the holds that apply."""

    def register(func: HoldRule) -> HoldRule:
        _RULES[code] = func
        return func

    return register


def registered_rules() -> dict[str, HoldRule]:
    """Every registered rule by its code."""
    return dict(_RULES)


def evaluate_holds(plan: ErasurePlan) -> list[Hold]:
    """The holds every registered rule finds for the plan, in the order of their codes."""
    holds: list[Hold] = []
    for code in sorted(_RULES):
        holds.extend(_RULES[code](plan))
    return holds


def subject_pks(plan: ErasurePlan, label: str) -> list[str]:
    """The ids of the plan's subjects that are rows of the model `label` (for a rule to query)."""
    prefix = label + ":"
    return [ref.split(":", 1)[1] for ref in plan.subjects if ref.startswith(prefix)]
