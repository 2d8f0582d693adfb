"""The fourteen-day letter (art. 6:96(6) BW, "aanmaning"): the last chance to pay without
collection costs, stating the costs that will be due after its term.

It goes by e-mail where the customer agreed to written notices by e-mail (art. 6:227a BW; a
business ladder needs no such letter and keeps e-mail), else by post: printed, posted and
recorded by finance (dunning.post), its term counting from the day it was posted. The costs are
due from the day after the term, fixed when the letter goes out.
"""

from __future__ import annotations

import datetime as dt

from waarborg.core.holidays import wik_term
from waarborg.customers.models import Customer
from waarborg.dunning import ladders as L
from waarborg.dunning.facts import eur_principal, money_text
from waarborg.dunning.models import LadderVersion, Notice
from waarborg.dunning.steps import StepResult


def _channel(version: LadderVersion, agreement) -> dict:
    """How the letter goes: by e-mail on the customer's agreement (recorded with it), or for a
    business; else by post."""
    if agreement is not None:
        return {
            "channel": Notice.Channel.EMAIL.value,
            "agreement": {
                "source": agreement.source,
                "agreed_on": agreement.agreed_on.isoformat(),
                "reference": agreement.reference,
            },
        }
    if version.ladder.market == Customer.Market.B2B:
        return {"channel": Notice.Channel.EMAIL.value}
    return {"channel": Notice.Channel.POST.value}


def take(case, version, invoices, *, day: dt.date, key: str, agreement=None) -> StepResult:
    """Queue the letter (e-mail, or to be posted) with the costs it states; the case's costs
    count from the day after the letter's term, set once it goes out."""
    principal, count = eur_principal(invoices)
    costs, vat = L.collection_costs(principal, count, version.settings, market=version.ladder.market)
    outcome = "letter_sent"
    outcome_data = {
        "costs": money_text(costs),
        "costs_vat": money_text(vat),
        "costs_total": money_text(costs + vat),
        "principal": money_text(principal),
        "invoices": [i.id for i in invoices if i.currency == "EUR"],
        "term_days": L.WIK_TERM_DAYS,
        **_channel(version, agreement),
    }
    if outcome_data["channel"] == Notice.Channel.POST:
        outcome = "letter_to_post"  # its term (and any margin) counts from the day it is posted
    else:
        outcome_data.update(wik_term(day, L.WIK_TERM_DAYS).margin_data())  # no decree list: a day more
    case.costs_amount = costs + vat
    case.costs_invoices = outcome_data["invoices"]
    case.costs_from = None  # set when the letter goes out (e-mailed or posted): the term runs from receipt
    return StepResult(outcome, outcome_data, True)
