"""The facts of the privacy statement that the personal-data map holds.

What is processed (categories D1–D11), why (purposes), on which legal basis, how long and to
which kinds of recipient: all read from the declarations in `waarborg.core.datamap`, so the
statement changes when the map does and cannot promise what the code does not declare.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.core import datamap


def _pick(texts, lang: str) -> str:
    return texts[1] if lang == "en" else texts[0]


def _number(key: str) -> int:
    return int(key[1:])


@dataclass
class CategoryFacts:
    id: str
    name: str
    purposes: list[str] = field(default_factory=list)
    bases: list[tuple[str, str]] = field(default_factory=list)  # (name, GDPR article)
    retention: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


@dataclass
class PurposeFacts:
    id: str
    name: str
    bases: list[tuple[str, str]] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    consents: list[str] = field(default_factory=list)  # the consents this purpose rests on, if any


def _declarations():
    """Every declaration of the map, the variants' included (a ticket about an invoice's amount is
    kept with the fiscal record; a contest is the record of a legal claim)."""
    for entry in datamap.entries():
        for _name, declared in entry.declarations():
            yield declared


def _bases(keys: set[str], lang: str) -> list[tuple[str, str]]:
    return [(_pick(datamap.BASES[k], lang), datamap.BASES[k][2]) for k in datamap.BASES if k in keys]


def categories_in_use(lang: str = "nl") -> list[CategoryFacts]:
    """Every category with at least one declared field, with what the declarations say."""
    purposes: dict[str, set[str]] = {}
    bases: dict[str, set[str]] = {}
    retention: dict[str, set[str]] = {}
    recipients: dict[str, set[str]] = {}
    for p in _declarations():
        purposes.setdefault(p.category, set()).update(p.purposes)
        bases.setdefault(p.category, set()).add(p.basis)
        retention.setdefault(p.category, set()).add(p.retention.key)
        recipients.setdefault(p.category, set()).update(p.recipients)
    facts = []
    for cid in sorted(purposes, key=_number):
        facts.append(
            CategoryFacts(
                id=cid,
                name=_pick(datamap.CATEGORIES[cid], lang),
                purposes=[_pick(datamap.PURPOSES[u], lang) for u in sorted(purposes[cid], key=_number)],
                bases=_bases(bases[cid], lang),
                retention=[rule.describe(lang) for key, rule in datamap.RETENTION.items() if key in retention[cid]],
                recipients=[
                    _pick(names, lang) for key, names in datamap.RECIPIENT_CATEGORIES.items() if key in recipients[cid]
                ],
            )
        )
    return facts


def purposes_in_use(lang: str = "nl") -> list[PurposeFacts]:
    """Every purpose some declared field serves, with its legal bases and categories."""
    bases: dict[str, set[str]] = {}
    categories: dict[str, set[str]] = {}
    for p in _declarations():
        for purpose in p.purposes:
            bases.setdefault(purpose, set()).add(p.basis)
            categories.setdefault(purpose, set()).add(p.category)
    consents: dict[str, list[str]] = {}
    for names in CONSENT_PURPOSES.values():
        for purpose in names[2]:
            consents.setdefault(purpose, []).append(_pick(names, lang))
    return [
        PurposeFacts(
            id=pid,
            name=_pick(datamap.PURPOSES[pid], lang),
            bases=_bases(bases[pid], lang),
            categories=[_pick(datamap.CATEGORIES[c], lang) for c in sorted(categories[pid], key=_number)],
            consents=consents.get(pid, []),
        )
        for pid in sorted(bases, key=_number)
    ]


def recipients_in_use(lang: str = "nl") -> list[str]:
    used = {r for p in _declarations() for r in p.recipients}
    return [_pick(names, lang) for key, names in datamap.RECIPIENT_CATEGORIES.items() if key in used]


def retention_in_use(lang: str = "nl") -> list[str]:
    used = {p.retention.key for p in _declarations()}
    return [rule.describe(lang) for key, rule in datamap.RETENTION.items() if key in used]
