"""Cleaning what comes into the incident register: the description, the reporter's address,
moments, data categories, counts, and the register's own texts, which hold no personal data.

Refusals are ValidationErrors naming the field, in the active language (the CLI runs in English:
the code names).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from waarborg.core import clock, datamap
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email
from waarborg.core.redact import LOOKS_PERSONAL
from waarborg.privacy.validation import clean_free_text

DESCRIPTION_MAX = 4000
TEXT_MAX = 4000
REFERENCE_MAX = 64

# The fields a refusal names, in the active language (the CLI runs in English: the code names).
FIELD_LABELS = {
    "description": pgettext_lazy("incident field", "description"),
    "reporter_email": pgettext_lazy("incident field", "reporter_email"),
    "received_at": pgettext_lazy("incident field", "received_at"),
    "aware_at": pgettext_lazy("incident field", "aware_at"),
    "reasons": pgettext_lazy("incident field", "reasons"),
    "measures": pgettext_lazy("incident field", "measures"),
    "consequences": pgettext_lazy("incident field", "consequences"),
    "reference": pgettext_lazy("incident field", "reference"),
    "notified_at": pgettext_lazy("incident field", "notified_at"),
    "delay_reasons": pgettext_lazy("incident field", "delay_reasons"),
    "informed_at": pgettext_lazy("incident field", "informed_at"),
    "explanation": pgettext_lazy("incident field", "explanation"),
    "conclusion": pgettext_lazy("incident field", "conclusion"),
    "at": pgettext_lazy("incident field", "at"),
}


def label(field: str) -> str:
    """The name of `field` in a refusal, in the active language."""
    return str(FIELD_LABELS.get(field, field))


def refuse_personal(text: str, *, field: str) -> None:
    """The register's own texts hold no personal data: refuse what looks like an address, a
    phone number, an IBAN, a postcode or an IP address (describe it, do not copy it)."""
    for pattern in LOOKS_PERSONAL:
        if pattern.search(text or ""):
            raise ValidationError(
                _(
                    "%(field)s may not contain personal data such as an e-mail address, phone number, IBAN, "
                    "postcode or IP address: describe what happened without copying it"
                )
                % {"field": label(field)},
                field=field,
            )


def clean_record_text(value, *, field: str, required: bool = False, max_length: int = TEXT_MAX) -> str:
    """One of the register's own texts (reasons, measures, a conclusion): free text without a BSN
    and without personal data."""
    try:
        text = clean_free_text(value, field=field, max_length=max_length, required=required)
    except ValidationError as error:
        raise ValidationError(_message(error, field, max_length), field=field) from None
    refuse_personal(text, field=field)
    return text


def _message(error: ValidationError, field: str, max_length: int) -> str:
    text = str(error)
    if text.endswith("is required"):
        return _("%(field)s is required") % {"field": label(field)}
    if "longer than" in text:
        return _("%(field)s is longer than %(max)s characters") % {"field": label(field), "max": max_length}
    if "BSN" in text:
        return _(
            "%(field)s contains a number that looks like a BSN (citizen service number); we never store one — "
            "leave it out"
        ) % {"field": label(field)}
    return text


def clean_description(value) -> str:
    """What was reported: required, at most DESCRIPTION_MAX characters, never a BSN."""
    try:
        return clean_free_text(value, field="description", max_length=DESCRIPTION_MAX, required=True)
    except ValidationError as error:
        raise ValidationError(_message(error, "description", DESCRIPTION_MAX), field="description") from None


def clean_email(value) -> str:
    """The reporter's address in its normal form, or "" when none was given."""
    if not (value or "").strip():
        return ""
    try:
        return normalise_email(value)
    except ValidationError:
        raise ValidationError(_("reporter_email is not a valid e-mail address"), field="reporter_email") from None


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
            raise ValidationError(
                _("%(field)s is not a moment in the form YYYY-MM-DD HH:MM") % {"field": label(field)}, field=field
            )
    return moment.astimezone(dt.UTC)


def clean_moment(value, *, field: str, now: dt.datetime, default: dt.datetime, not_before=None) -> dt.datetime:
    """A moment that is not in the future (`default` when empty); `not_before` is an optional
    (earliest moment, refusal message) pair."""
    moment = default if value in (None, "") else parse_moment(value, field=field)
    if moment > now + dt.timedelta(minutes=5):
        raise ValidationError(_("%(field)s lies in the future") % {"field": label(field)}, field=field)
    if not_before is not None and moment < not_before[0]:
        raise ValidationError(not_before[1], field=field)
    return moment


def clean_categories(values) -> list[str]:
    """The data categories affected, as D-codes in order; refused when one is not D1–D11."""
    chosen = sorted(set(values or ()), key=lambda code: int(code[1:]) if code[1:].isdigit() else 99)
    wrong = [c for c in chosen if c not in datamap.CATEGORIES]
    if wrong:
        raise ValidationError(_("categories must be data categories D1–D11"), field="categories")
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
        raise ValidationError(_("subjects_count must be a whole number of people, 0 or more"), field="subjects_count")
    return count
