"""What we hold about a subject, field by field, with why and how long — read from the map.

Used by the portal's "my data" page and by the access package: neither writes its own list of
fields, so a new declaration shows up in both at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models.fields.files import FieldFile

from waarborg.core import datamap
from waarborg.core.crypto import EncryptedTextField
from waarborg.subjects.finder import Hit


@dataclass(frozen=True)
class Item:
    model: str
    pk: object
    field: str
    label: str
    value: str
    category: str
    key: str
    purposes: tuple[str, ...]
    basis: str
    retention: str
    portability: str
    recipients: tuple[str, ...]
    source: str
    rule: str


@dataclass
class Category:
    id: str
    name: str
    items: list[Item] = field(default_factory=list)

    @property
    def purposes(self) -> list[str]:
        return sorted({p for i in self.items for p in i.purposes}, key=lambda p: int(p[1:]))

    @property
    def retention_rules(self) -> list[str]:
        return sorted({i.retention for i in self.items})


def _display(value) -> str:
    if isinstance(value, FieldFile):
        return value.name.rsplit("/", 1)[-1] if value else ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return "" if value is None else str(value)


def _mask(text: str) -> str:
    return ("•" * max(len(text) - 4, 0)) + text[-4:] if text else ""


def subject_report(hits: list[Hit], *, lang: str = "nl", reveal: bool = False) -> list[Category]:
    """Group every declared, non-empty personal value of the hit rows by category.

    Fields of portability class `excluded` (password hashes, keyed hashes, session blobs) are
    never shown; encrypted values are masked unless `reveal` (the access package's copy).
    """
    registry = datamap.registry()
    by_model: dict[str, dict] = defaultdict(dict)
    for hit in hits:
        by_model[hit.model][hit.pk] = hit
    categories: dict[str, Category] = {}
    for label, rows in sorted(by_model.items()):
        entry = registry[label]
        if not any(p.portability != "excluded" for p in entry.fields.values()):
            continue
        declared_by_pk = entry.fields_by_pk(list(rows))  # a variant declares some rows otherwise
        for obj in entry.model._default_manager.filter(pk__in=list(rows)).order_by("pk"):
            fields = {name: p for name, p in declared_by_pk[obj.pk].items() if p.portability != "excluded"}
            for name, p in sorted(fields.items()):
                model_field = entry.model._meta.get_field(name)
                value = _display(getattr(obj, name))
                if value == "":
                    continue
                if isinstance(model_field, EncryptedTextField) and not reveal:
                    value = _mask(value)
                cat = categories.setdefault(
                    p.category, Category(p.category, datamap.CATEGORIES[p.category][0 if lang == "nl" else 1])
                )
                cat.items.append(
                    Item(
                        model=label,
                        pk=obj.pk,
                        field=name,
                        label=p.label[0 if lang == "nl" else 1],  # the map's words, never the column's
                        value=value,
                        category=p.category,
                        key=p.key,
                        purposes=p.purposes,
                        basis=p.basis,
                        retention=p.retention.describe(lang),
                        portability=p.portability,
                        recipients=p.recipients,
                        source=p.source,
                        rule=rows[obj.pk].rule,
                    )
                )
    return [categories[k] for k in sorted(categories, key=lambda c: int(c[1:]))]
