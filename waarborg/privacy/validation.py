"""Input rules of privacy requests: free text never carries a BSN (G8)."""

from __future__ import annotations

import re

from waarborg.core.errors import ValidationError
from waarborg.customers.services import clean_text

# Nine digits, possibly grouped with single spaces, dots or dashes (123.456.782, 1234 56 782).
_NINE_DIGITS = re.compile(r"(?<![\d])\d(?:[ .\-]?\d){8}(?![\d])")
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def passes_bsn_check(digits: str) -> bool:
    """The BSN 11-proef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not 0)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, _BSN_WEIGHTS, strict=True))
    return total != 0 and total % 11 == 0


def contains_bsn(text: str) -> bool:
    for match in _NINE_DIGITS.finditer(text or ""):
        if passes_bsn_check(re.sub(r"\D", "", match.group(0))):
            return True
    return False


def refuse_bsn(text: str, *, field: str) -> None:
    if contains_bsn(text):
        raise ValidationError("privacy.contains_bsn", {"field": field}, field=field)


def clean_free_text(value, *, field: str, max_length: int = 4000, required: bool = False) -> str:
    """Trimmed multi-line text within its length, without a BSN."""
    text = clean_text(value, field=field, max_length=max_length, required=required, multiline=True)
    refuse_bsn(text, field=field)
    return text
