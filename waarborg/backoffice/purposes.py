"""Why a staff member opens a customer's record: the purposes (U1–U15) each role may give.

Every opening of a record is recorded with its purpose (B4). The first purpose of a role is its
usual one: the search form starts with it, so the common case is one click; another purpose is
a deliberate choice. A role that is not listed has no business with customers' records.
"""

from __future__ import annotations

from django.utils.translation import get_language

from waarborg.core import datamap, roles

ROLE_PURPOSES: dict[str, tuple[str, ...]] = {
    roles.SUPPORT: ("U5", "U1", "U2", "U6", "U11", "U12"),
    roles.FINANCE: ("U3", "U4", "U1", "U14", "U15"),
    roles.PRIVACY: ("U15", "U11", "U12", "U14"),
}


def purposes_for(role: str) -> tuple[str, ...]:
    return ROLE_PURPOSES.get(role, ())


def usual_purpose(role: str) -> str | None:
    allowed = purposes_for(role)
    return allowed[0] if allowed else None


def is_valid(role: str, code: str | None) -> bool:
    return bool(code) and code in purposes_for(role)


def label(code: str) -> str:
    nl, en = datamap.PURPOSES.get(code, (code, code))
    return en if (get_language() or "nl").startswith("en") else nl


def choices_for(role: str) -> list[tuple[str, str]]:
    return [(code, f"{code} — {label(code)}") for code in purposes_for(role)]


def all_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {label(code)}") for code in datamap.PURPOSES]
