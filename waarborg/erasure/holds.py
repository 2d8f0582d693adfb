"""Holds: what stops an erasure for now, with the article that allows it.

A hold rule takes the plan and returns the holds that apply; the erasure waits (the case is
"on hold") and the daily job tries again, so a hold is released as soon as its cause is gone.
Other apps add rules with `@hold_rule`.

- `open_claim` — an invoice of the customer is unpaid or disputed: the data is needed for a
  legal claim (art. 17(3)(e) GDPR) until it is settled;
- `active_contract` — a service of the customer still runs: the data is still needed to
  perform the contract (art. 17(1)(a), art. 6(1)(b)); ending the contract (customer_terminate)
  makes it an erasure that runs by itself once the last service has ended (R2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Q

from waarborg.billing.models import Invoice
from waarborg.catalogue.models import Subscription

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

CUSTOMER = "customers.Customer"


def hold_rule(code: str):
    """Register a rule under `code`: it takes the plan and returns the holds that apply."""

    def register(func: HoldRule) -> HoldRule:
        _RULES[code] = func
        return func

    return register


def evaluate_holds(plan: ErasurePlan) -> list[Hold]:
    """The holds every registered rule finds for the plan, in the order of their codes."""
    holds: list[Hold] = []
    for code in sorted(_RULES):
        holds.extend(_RULES[code](plan))
    return holds


def _customers(plan: ErasurePlan) -> list:
    prefix = CUSTOMER + ":"
    return [ref.split(":", 1)[1] for ref in plan.subjects if ref.startswith(prefix)]


@hold_rule("open_claim")
def open_claim(plan: ErasurePlan) -> list[Hold]:
    customers = _customers(plan)
    if not customers:
        return []
    unpaid = (
        Invoice.objects.filter(customer_id__in=customers, status=Invoice.Status.OPEN)
        .filter(Q(amount_paid__lt=F("total_incl")))
        .values_list("pk", flat=True)
    )
    refs = tuple(f"billing.Invoice:{pk}" for pk in sorted(unpaid))
    if not refs:
        return []
    return [
        Hold(
            "open_claim",
            "art. 17(3)(e) AVG/GDPR",
            f"Er staat nog een onbetaalde of betwiste factuur open ({len(refs)}); we wissen zodra die is afgehandeld.",
            f"An invoice is still unpaid or disputed ({len(refs)}); we erase as soon as it is settled.",
            refs,
        )
    ]


@hold_rule("active_contract")
def active_contract(plan: ErasurePlan) -> list[Hold]:
    customers = _customers(plan)
    if not customers:
        return []
    running = (
        Subscription.objects.filter(customer_id__in=customers)
        .filter(
            ~Q(status=Subscription.Status.CANCELLED) | Q(end_date__isnull=True) | Q(end_date__gt=plan.day),
        )
        .values_list("pk", flat=True)
    )
    refs = tuple(f"catalogue.Subscription:{pk}" for pk in sorted(running))
    if not refs:
        return []
    return [
        Hold(
            "active_contract",
            "art. 17(1)(a), 6(1)(b) AVG/GDPR",
            f"Er lopen nog diensten ({len(refs)}); na het einde van de laatste dienst wissen we vanzelf.",
            f"Services are still running ({len(refs)}); we erase by ourselves once the last one has ended.",
            refs,
        )
    ]
