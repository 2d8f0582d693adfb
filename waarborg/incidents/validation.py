"""Cleaning what comes into the incident register: the description, the reporter's address,
moments, data categories, counts, and the register's own texts, which hold no personal data.

Refusals are ValidationErrors with a code of `waarborg.core.messages.incidents`, naming the field;
the catalogue puts the field into words on a screen.
"""

from __future__ import annotations

import datetime as dt

from waarborg.core import clock, datamap
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email
from waarborg.core.redact import LOOKS_PERSONAL
from waarborg.privacy.validation import clean_free_text

DESCRIPTION_MAX = 4000
TEXT_MAX = 4000
REFERENCE_MAX = 64


def refuse_personal(text: str, *, field: str) -> None:
    """The register's own texts hold no personal data: refuse what looks like an address, a
    phone number, an IBAN, a postcode or an IP address (describe it, do not copy it)."""
    for pattern in LOOKS_PERSONAL:
        if pattern.search(text or ""):
            raise ValidationError("incidents.personal_data", {"field": field}, field=field)


def clean_record_text(value, *, field: str, required: bool = False, max_length: int = TEXT_MAX) -> str:
    """One of the register's own texts (reasons, measures, a conclusion): free text without a BSN
    and without personal data."""
    text = clean_free_text(value, field=field, max_length=max_length, required=required)
    refuse_personal(text, field=field)
    return text


def clean_description(value) -> str:
    """What was reported: required, at most DESCRIPTION_MAX characters, never a BSN."""
    return clean_free_text(value, field="description", max_length=DESCRIPTION_MAX, required=True)


def clean_email(value) -> str:
    """The reporter's address in its normal form, or "" when none was given."""
    if not (value or "").strip():
        return ""
    try:
        return normalise_email(value)
    except ValidationError:
        raise ValidationError("incidents.email_invalid", {"field": "reporter_email"}, field="reporter_email") from None


def parse_moment(value, *, field: str) -> dt.datetime:
    """A moment as an aware datetime: a datetime, a date (its start in Amsterdam), or text
    'YYYY-MM-DD HH:MM' / 'YYYY-MM-DD' in Amsterdam time."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=clock.AMSTERDAM)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0, 0), tzinfo=clock.AMSTERDAM)
    else:
        text = " ".join(str(value or "").replace("T", " ").split())
        moment = None
        for form in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                moment = dt.datetime.strptime(text, form).replace(tzinfo=clock.AMSTERDAM)
                break
            except ValueError:
                continue
        if moment is None:
            raise ValidationError("incidents.moment_form", {"field": field}, field=field)
    return moment.astimezone(dt.UTC)


def clean_moment(value, *, field: str, now: dt.datetime, default: dt.datetime, aware_at=None) -> dt.datetime:
    """A moment that is not in the future (`default` when empty) and, when `aware_at` is given,
    not before the moment we became aware of the incident."""
    moment = default if value in (None, "") else parse_moment(value, field=field)
    if moment > now + dt.timedelta(minutes=5):
        raise ValidationError("incidents.moment_future", {"field": field}, field=field)
    if aware_at is not None and moment < aware_at:
        raise ValidationError("incidents.before_aware", {"field": field}, field=field)
    return moment


def clean_categories(values) -> list[str]:
    """The data categories affected, as D-codes in order; refused when one is not D1–D11."""
    chosen = sorted(set(values or ()), key=lambda code: int(code[1:]) if code[1:].isdigit() else 99)
    wrong = [c for c in chosen if c not in datamap.CATEGORIES]
    if wrong:
        raise ValidationError("incidents.categories_unknown", field="categories")
    return chosen


def clean_count(value) -> int | None:
    """The number of people affected (an estimate), or None when not given."""
    if value in (None, ""):
        return None
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if count < 0 or count > 100_000_000:
        raise ValidationError("incidents.count_invalid", {"field": "subjects_count"}, field="subjects_count")
    return count
