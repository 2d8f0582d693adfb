"""What every step of an erasure shares: the purpose it is recorded under, who may erase, what a
note may hold, and the errors an erasure answers with.

- `PURPOSE` — answering a right of the data subject is a statutory obligation (U14);
- `check_eraser` — only the role that may search subjects (the privacy officer) erases;
- `clean_note` — a case's reason or details, refused when they hold personal data;
- `already_erased_for` — what the ledger says about identifiers that find nobody any more.
"""

from __future__ import annotations

from waarborg.audit.services import refuse_personal
from waarborg.core import clock
from waarborg.core.access import check_actor
from waarborg.core.errors import NotFound, ValidationError, WaarborgError
from waarborg.core.messages.words import Day
from waarborg.erasure.ledger import known_erasure

PURPOSE = "U14"  # answering a right of the data subject is a statutory obligation
ERASURE_SCOPE = "subject_search"  # who may erase: the role that may search subjects (privacy)


class SubjectNotFound(NotFound):
    """No row matches the identifiers (and the ledger knows of no erasure of them)."""


class AlreadyErased(WaarborgError):
    """The subject was erased before (the ledger knows when), or the case was carried out already."""

    def __init__(self, code: str, params=None, field: str | None = None, *, case_id=None, erased_at=None):
        super().__init__(code, params, field)
        self.case_id = case_id
        self.erased_at = erased_at


class ErasureFailed(WaarborgError):
    """The erasure stopped halfway; its transaction was rolled back, nothing changed."""


def check_eraser(actor) -> None:
    """May `actor` erase? The system may; a person only with the privacy officer's scope."""
    check_actor(actor=actor, scope=ERASURE_SCOPE, customers_may=False)


def clean_note(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    """A reason (one line) or details (free text) for a case, refused when it holds personal data."""
    text = " ".join((value or "").split()) if field != "details" else (value or "").strip()
    if required and not text:
        raise ValidationError("input.required", {"field": field}, field=field)
    if len(text) > max_length:
        raise ValidationError("input.too_long", {"field": field, "max": max_length}, field=field)
    try:
        refuse_personal(text, field)
    except ValidationError:
        raise ValidationError("erasure.note_personal", {"field": field}, field=field) from None
    return text


def already_erased_for(identifiers) -> AlreadyErased | None:
    """The error to answer with when the ledger knows an erasure of these identifiers, else None."""
    entry = known_erasure(identifiers)
    if entry is None:
        return None
    day = Day(entry.erased_at.astimezone(clock.AMSTERDAM).date())
    if entry.case_id:
        return AlreadyErased(
            "erasure.already_erased_in_case",
            {"day": day, "case": entry.case_id},
            case_id=entry.case_id,
            erased_at=entry.erased_at,
        )
    return AlreadyErased("erasure.already_erased", {"day": day}, erased_at=entry.erased_at)
