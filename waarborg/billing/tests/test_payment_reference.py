"""The betalingskenmerk: 16 digits, the first a weighted modulus 11 check digit of the other 15.
The expected check digits are computed here from the Betaalvereniging's rule, not by the code."""

import datetime as dt
from types import SimpleNamespace

import pytest

from waarborg.billing.payment_reference import clean_reference, invoice_id_of, payment_reference, printed


def _oracle(body: str) -> int:
    # weights from the right: 2, 4, 8, 5, 10, 9, 7, 3, 6, 1, repeated — that is 2^(i+1) mod 11
    total = sum(int(d) * pow(2, i + 1, 11) for i, d in enumerate(reversed(body)))
    c = 11 - total % 11
    return 1 if c == 10 else 0 if c == 11 else c


def test_the_published_example_is_valid_and_a_changed_digit_is_not():
    assert clean_reference("5000 0567 8901 2345") == "5000056789012345"  # the Betaalvereniging's example
    assert clean_reference("5000056789012346") is None
    assert clean_reference("4000056789012345") is None
    assert clean_reference("500005678901234") is None  # 15 digits
    assert clean_reference("RF18 5390 0754 7034") is None


@pytest.mark.parametrize("pk", [1, 7, 42, 1234, 98765, 10**10 + 3, 10**14 + 9])
def test_every_invoice_gets_a_valid_reference_that_leads_back_to_it(pk):
    invoice = SimpleNamespace(pk=pk, issue_date=dt.date(2026, 3, 1))
    reference = payment_reference(invoice)
    assert len(reference) == 16 and reference.isdigit()
    assert int(reference[0]) == _oracle(reference[1:])
    assert int(reference[1:]) == pk and payment_reference(pk) == reference
    assert invoice_id_of(reference) == pk and invoice_id_of(printed(reference)) == pk
    assert printed(reference).replace(" ", "") == reference and len(printed(reference)) == 19
