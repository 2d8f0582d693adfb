"""What an app declares about its data beside its fields, and what the engines read of it.

An app registers these in its `AppConfig.ready` (after the map is loaded); the engines (erasure,
the retention sweep, the packages) read them here and name no model themselves:

- `stored_files(label, field, directory=…)` — a text column that names a stored file (an
  encrypted ID copy): the file goes with the value, like the file of a FileField;
- `retention_extension(rule, key=…, years=…)` — a date of the row (a consent to keep it longer)
  that extends a retention rule's term: the row goes when both terms have passed.

And from the map's declarations: `subject_ref_for(rows)`, the audit trail's name of the subject
an act is about (`customer:12`), from the entries' `subject_ref`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from waarborg.core import datamap

STORED_FILES: dict[tuple[str, str], str] = {}  # (model label, field) -> directory under the files directory


def stored_files(label: str, field: str, *, directory: str) -> None:
    """Declare that `label.field` holds the name of a stored file under `directory`."""
    STORED_FILES[(label, field)] = directory


def stored_file_fields(label: str) -> dict[str, str]:
    """{field: directory} of the model's columns that name stored files."""
    return {name: directory for (owner, name), directory in STORED_FILES.items() if owner == label}


@dataclass(frozen=True)
class Extension:
    """A date on the row that extends `rule`: counted from it, the longer term also has to pass.

    The date is the row's field of data-category `key` declared under the same rule (a job
    application's consent to keep it a year)."""

    rule: str
    key: str
    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def term(self) -> dict[str, int]:
        return {"years": self.years, "months": self.months, "days": self.days}


EXTENSIONS: dict[str, Extension] = {}  # retention rule key -> its extension


def retention_extension(rule: str, *, key: str, years: int = 0, months: int = 0, days: int = 0) -> None:
    """Declare that a date of data-category `key` extends the term of the retention rule `rule`."""
    EXTENSIONS[rule] = Extension(rule, key, years, months, days)


def extension_field(fields: dict[str, datamap.PD], rule: datamap.Retention) -> tuple[str, Extension] | None:
    """(field, extension) when one of `fields` carries the date that extends `rule`."""
    extension = EXTENSIONS.get(rule.key)
    if extension is None:
        return None
    for name, p in fields.items():
        if p.key == extension.key and p.retention.key == rule.key:
            return name, extension
    return None


def subject_ref_for(rows: Iterable[tuple[str, object]]) -> str:
    """The audit trail's name of the subject that `rows` ((model label, pk) pairs) are about.

    Each row whose entry declares a `subject_ref` names a subject (through its path, one query
    per model); the lowest rank wins, then the lowest id. "" when no row names one."""
    registry = datamap.registry()
    direct: list[tuple[int, str, str]] = []
    by_path: dict[str, list] = {}
    for label, pk in rows:
        entry = registry.get(label)
        ref = entry.subject_ref if entry is not None else None
        if ref is None:
            continue
        if ref.path:
            by_path.setdefault(label, []).append(pk)
        else:
            direct.append((ref.rank, str(pk), ref.kind))
    for label, pks in by_path.items():
        entry = registry[label]
        ref = entry.subject_ref
        for target in entry.model._default_manager.filter(pk__in=pks).values_list(ref.path, flat=True):
            if target is not None:
                direct.append((ref.rank, str(target), ref.kind))
    if not direct:
        return ""
    rank, pk, kind = min(direct)
    return f"{kind}:{pk}"
