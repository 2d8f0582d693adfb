"""Every dunning notice says how to pay by transfer (A5: what the customer can do): the account, the amount due — what is
open plus the collection costs once they are owed — and each invoice's betalingskenmerk. The
expected amounts and check digits are computed here from the rules, not by the code."""

import re
from decimal import Decimal

import pytest

from waarborg.dunning.models import Decision
from waarborg.dunning.notices import explain

from .conftest import DUE, D, run_days

pytestmark = pytest.mark.django_db


def _wik(principal: Decimal) -> Decimal:
    # Besluit vergoeding voor buitengerechtelijke incassokosten: 15% of the first € 2,500, at least € 40
    return max(Decimal("40.00"), (principal * Decimal("0.15")).quantize(Decimal("0.01")))


def _valid(reference: str) -> bool:
    digits = reference.replace(" ", "")
    total = sum(int(d) * pow(2, i + 1, 11) for i, d in enumerate(reversed(digits[1:])))
    check = 11 - total % 11
    return len(digits) == 16 and int(digits[0]) == (1 if check == 10 else 0 if check == 11 else check)


@pytest.mark.promise("A5")
def test_each_notice_names_the_account_the_amount_due_and_the_reference(consumer):
    invoice = consumer.invoice(amount="121.00")
    run_days(DUE, D(2026, 2, 16))
    texts = {d.kind: explain(d, "nl") for d in Decision.objects.order_by("pk")}
    english = explain(Decision.objects.get(kind="final_notice"), "en")
    # before the fourteen-day term has passed: only what is open
    assert "Of maak € 121,00 over naar NL91 ABNA 0417 1643 00 t.n.v. Duinhost B.V." in texts["reminder"]
    # after it: plus the collection costs the letter announced
    due = Decimal("121.00") + _wik(Decimal("121.00"))
    assert f"Of maak € {due:.2f}".replace(".", ",") in texts["final_notice"]
    assert f"Or transfer €{due:.2f} to NL91 ABNA 0417 1643 00 in the name of Duinhost B.V." in english
    reference = re.search(r"betalingskenmerk ([\d ]{19}) \(factuur " + re.escape(invoice.number), texts["block"])
    assert reference and _valid(reference.group(1)) and int(reference.group(1).replace(" ", "")[1:]) == invoice.pk
