"""The structured payment reference of an invoice: the Dutch betalingskenmerk of 16 digits.

A bank checks it and passes it on with the transfer, so a payment finds its invoice without
reading names or free text. The 16-digit form is one check digit followed by 15 digits; the
check digit is the weighted modulus 11 of those 15 digits (weights 2, 4, 8, 5, 10, 9, 7, 3, 6, 1
from the right, repeated), 11 − remainder, with 10 read as 1 and 11 as 0.

The 15 digits are the invoice's number in the database, so a reference leads back to one invoice,
never changes, and holds no personal value.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings

from waarborg.core.identifiers import normalise_iban

WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
LENGTH = 16
_DIGITS = re.compile(r"^\d{16}$")


def check_digit(digits: str) -> int:
    """The weighted modulus 11 check digit of `digits` (the reference without its first digit)."""
    total = sum(int(d) * WEIGHTS[i % len(WEIGHTS)] for i, d in enumerate(reversed(digits)))
    check = 11 - total % 11
    return {10: 1, 11: 0}.get(check, check)


def payment_reference(invoice) -> str:
    """The 16-digit betalingskenmerk of `invoice` (an Invoice or its id)."""
    body = f"{int(getattr(invoice, 'pk', invoice)):015d}"
    return f"{check_digit(body)}{body}"


def printed(reference: str) -> str:
    """In groups of four, as banks print a reference or an IBAN: 5000 0567 8901 2345."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def clean_reference(text: str) -> str | None:
    """The reference in `text` (spaces and dots allowed) when it is a valid 16-digit one, else None."""
    digits = re.sub(r"[\s.]", "", str(text or ""))
    if not _DIGITS.match(digits) or check_digit(digits[1:]) != int(digits[0]):
        return None
    return digits


def invoice_id_of(reference: str) -> int | None:
    """The invoice id a valid reference of ours names, else None."""
    digits = clean_reference(reference)
    return int(digits[1:]) if digits else None


def payee() -> dict:
    """Whom a customer pays by transfer: the controller's name and IBAN (printed in groups of four)."""
    controller = settings.WAARBORG_CONTROLLER
    iban = normalise_iban(controller.get("iban", ""))
    return {"payee": controller["name"], "iban": iban, "iban_printed": printed(iban)}


def how_to_pay(invoice, *, costs=None) -> dict:
    """What a customer needs to pay `invoice` by transfer: to whom (name, IBAN), the reference, and
    the amount due — what is open on the invoice plus any collection costs (`costs`) announced."""
    open_amount = Decimal(invoice.amount_open)
    costs = Decimal(costs or 0)
    reference = payment_reference(invoice)
    return {
        **payee(),
        "reference": reference,
        "reference_printed": printed(reference),
        "open": open_amount,
        "costs": costs,
        "due": open_amount + costs,
        "currency": invoice.currency,
    }
