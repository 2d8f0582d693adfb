"""System checks: the personal-data map must cover every field, and be complete where it does
(labels in Dutch and English included, E010); and a warning when the lists of days equated with holidays by decree are about to run out."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError

from waarborg.core import clock, datamap, decreed_days
from waarborg.core.errors import ValidationError


def _model_field_names(model) -> list[str]:
    names = []
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:
            continue  # reverse relations live on the other model
        if getattr(f, "primary_key", False):
            continue  # a surrogate key says nothing about a person
        names.append(f.name)
    return names


def _is_indexed(model, field_name: str) -> bool:
    f = model._meta.get_field(field_name)
    if f.primary_key or f.unique or f.db_index or f.is_relation:
        return True
    for index in model._meta.indexes:
        if index.fields and index.fields[0].lstrip("-") == field_name:
            return True
    for unique in model._meta.unique_together:
        if unique and unique[0] == field_name:
            return True
    return False


def _resolve_path(model, path: str):
    current = model
    for part in path.split("__"):
        f = current._meta.get_field(part)
        if not f.is_relation or f.related_model is None:
            raise FieldDoesNotExist(part)
        current = f.related_model
    return current


def check_entry(model, entry) -> list[checks.CheckMessage]:
    label = model._meta.label
    errors: list[checks.CheckMessage] = []
    names = set(_model_field_names(model))
    declared = set(entry.fields) | set(entry.not_personal)
    for name in sorted(names - declared):
        errors.append(
            checks.Error(
                f"{label}.{name} is not in the personal-data map",
                hint="Declare it in the app's personal_data.py, or list it under not_personal.",
                obj=model,
                id="waarborg.E002",
            )
        )
    pk_name = model._meta.pk.name if model._meta.pk else None
    for name in sorted(declared - names - {pk_name}):
        errors.append(
            checks.Error(f"{label}: the map names {name!r}, which the model lacks", obj=model, id="waarborg.E003")
        )
    for name in sorted(set(entry.fields) & set(entry.not_personal)):
        errors.append(
            checks.Error(f"{label}.{name} is declared personal and not personal", obj=model, id="waarborg.E003")
        )
    for variant in entry.variants:
        for name in sorted(set(variant.fields) - set(entry.fields)):
            errors.append(
                checks.Error(
                    f"{label}: a variant declares {name!r}, which the entry itself does not",
                    obj=model,
                    id="waarborg.E003",
                )
            )
        for name, p in sorted(variant.fields.items()):
            if name in entry.fields and p.identifier != entry.fields[name].identifier:
                errors.append(
                    checks.Error(
                        f"{label}.{name}: a variant may not change what identifies a subject",
                        obj=model,
                        id="waarborg.E004",
                    )
                )
        try:
            model._default_manager.filter(**variant.when)
        except (FieldDoesNotExist, FieldError, TypeError, ValueError):
            errors.append(
                checks.Error(
                    f"{label}: the variant condition {variant.when!r} does not resolve", obj=model, id="waarborg.E007"
                )
            )
    for name, p in sorted(entry.declarations(), key=lambda item: item[0]):
        where = f"{label}.{name}"
        if p.category not in datamap.CATEGORIES:
            errors.append(checks.Error(f"{where}: unknown category {p.category!r}", obj=model, id="waarborg.E004"))
        if not p.purposes or any(u not in datamap.PURPOSES for u in p.purposes):
            errors.append(checks.Error(f"{where}: purposes must be U1–U15 ids", obj=model, id="waarborg.E004"))
        if p.basis not in datamap.BASES:
            errors.append(checks.Error(f"{where}: unknown legal basis {p.basis!r}", obj=model, id="waarborg.E004"))
        if p.erasure not in datamap.ERASURE:
            errors.append(
                checks.Error(f"{where}: unknown erasure strategy {p.erasure!r}", obj=model, id="waarborg.E004")
            )
        if p.portability not in datamap.PORTABILITY:
            errors.append(
                checks.Error(f"{where}: unknown portability class {p.portability!r}", obj=model, id="waarborg.E004")
            )
        if any(r not in datamap.RECIPIENT_CATEGORIES for r in p.recipients):
            errors.append(checks.Error(f"{where}: unknown recipient category", obj=model, id="waarborg.E004"))
        if "." not in p.key:
            errors.append(
                checks.Error(
                    f"{where}: the data-category key must be dotted (user.contact.email)", obj=model, id="waarborg.E004"
                )
            )
        if p.retention is None or not p.retention.has_term:
            errors.append(checks.Error(f"{where}: retention has no term", obj=model, id="waarborg.E005"))
        if p.identifier is not None:
            if p.identifier not in datamap.IDENTIFIERS:
                errors.append(
                    checks.Error(f"{where}: unknown identifier kind {p.identifier!r}", obj=model, id="waarborg.E004")
                )
            elif name in names and p.identifier not in ("name",) and not _is_indexed(model, name):
                errors.append(checks.Error(f"{where} is an identifier but has no index", obj=model, id="waarborg.E006"))
    for link in entry.links:
        try:
            target = _resolve_path(model, link.path)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(f"{label}: link path {link.path!r} does not resolve", obj=model, id="waarborg.E007")
            )
            continue
        if target._meta.label != link.target:
            errors.append(
                checks.Error(
                    f"{label}: link {link.path!r} leads to {target._meta.label}, not {link.target}",
                    obj=model,
                    id="waarborg.E007",
                )
            )
    if entry.subject_ref is not None and entry.subject_ref.path:
        try:
            _resolve_path(model, entry.subject_ref.path)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(
                    f"{label}: subject_ref path {entry.subject_ref.path!r} does not resolve",
                    obj=model,
                    id="waarborg.E007",
                )
            )
    for anchor in sorted({p.retention.anchor for _, p in entry.declarations() if p.retention is not None}):
        path = entry.dates.get(anchor)
        if path is None:
            errors.append(
                checks.Error(
                    f"{label}: no date for the retention anchor {anchor!r}",
                    hint="Add it to dates= in the declaration.",
                    obj=model,
                    id="waarborg.E009",
                )
            )
            continue
        try:
            *hops, last = path.split("__")
            target = _resolve_path(model, "__".join(hops)) if hops else model
            date_field = target._meta.get_field(last)
        except FieldDoesNotExist:
            errors.append(checks.Error(f"{label}: date path {path!r} does not resolve", obj=model, id="waarborg.E009"))
            continue
        if date_field.get_internal_type() not in ("DateField", "DateTimeField"):
            errors.append(checks.Error(f"{label}: date path {path!r} is not a date", obj=model, id="waarborg.E009"))
    if entry.fields and not entry.links and not entry.anchor:
        errors.append(checks.Error(f"{label}: personal fields but no path to a subject", obj=model, id="waarborg.E008"))
    for group in entry.groups:
        if group not in datamap.SUBJECT_GROUPS:
            errors.append(
                checks.Error(f"{label}: unknown group of data subjects {group!r}", obj=model, id="waarborg.E004")
            )
    errors += check_labels(model, entry)
    errors += check_context(model, entry)
    return errors


def _unlabelled(label) -> bool:
    return not (isinstance(label, tuple) and len(label) == 2 and all(isinstance(t, str) and t.strip() for t in label))


def check_labels(model, entry) -> list[checks.CheckMessage]:
    """Every declared field, the record itself and every context field is named in Dutch and
    English: the packages, the portal and the statement show these words, and nothing else."""
    label = model._meta.label
    hint = 'Give it label=("Dutch", "English") in the declaration.'
    errors = []
    if entry.fields and _unlabelled(entry.record_label):
        errors.append(checks.Error(f"{label} has no record label", hint=hint, obj=model, id="waarborg.E010"))
    for name, p in sorted(entry.declarations(), key=lambda item: item[0]):
        if _unlabelled(p.label):
            errors.append(checks.Error(f"{label}.{name} has no label", hint=hint, obj=model, id="waarborg.E010"))
    for name, context_label in sorted(entry.context.items()):
        if _unlabelled(context_label):
            errors.append(
                checks.Error(
                    f"{label}: the context field {name!r} has no label",
                    hint="Label it in the declaration (context={name: (Dutch, English)}) or in CONTEXT_LABELS.",
                    obj=model,
                    id="waarborg.E010",
                )
            )
    return errors


def check_context(model, entry) -> list[checks.CheckMessage]:
    """A context field is a not-personal field of the model, and not a reference to another
    row of the map (those are the package's links between records)."""
    label = model._meta.label
    errors = []
    for name in sorted(entry.context):
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(
                    f"{label}: the context names {name!r}, which the model lacks", obj=model, id="waarborg.E003"
                )
            )
            continue
        if name not in entry.not_personal:
            errors.append(
                checks.Error(
                    f"{label}: the context field {name!r} must be listed under not_personal",
                    obj=model,
                    id="waarborg.E003",
                )
            )
        elif f.is_relation and (f.related_model is None or f.related_model._meta.label not in datamap.EXEMPT):
            errors.append(
                checks.Error(
                    f"{label}: the context field {name!r} refers to rows of the map",
                    hint="Only a reference to a model without personal data (exempt) can be context.",
                    obj=model,
                    id="waarborg.E003",
                )
            )
    return errors


def check_personal_data_map(app_configs=None, models=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if models is None:
        models = apps.get_models(include_auto_created=True)
    for model in models:
        label = model._meta.label
        if label in datamap.EXEMPT or model._meta.auto_created:
            continue  # many-to-many tables are covered by the field on the owning model
        entry = datamap.entry_for(label)
        if entry is None or entry.model is not model:
            errors.append(
                checks.Error(
                    f"{label} is not in the personal-data map",
                    hint="Declare its fields in the app's personal_data.py, or exempt the model with a reason.",
                    obj=model,
                    id="waarborg.E001",
                )
            )
            continue
        errors.extend(check_entry(model, entry))
    return errors


checks.register(check_personal_data_map, "waarborg", deploy=False)


# --- The days equated with holidays by decree (Algemene termijnenwet art. 3(3)) ---------------

DECREE_LEAD_YEARS = 1  # warn from 1 January of the year before the last held year


def check_decreed_days(app_configs=None, *, today=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn (never an error) from a year before the held lists of decreed days run out.

    Reads the two list files only, never the database, so it works before `waarborg migrate`.
    It runs with `waarborg check` (see core/management/commands/check.py), not before every
    command: the reminder is for whoever runs the checks, and it must not add lines to the
    stderr of other commands.
    """
    if not _explicit and today is None:
        return []
    today = today or clock.today()
    hint = "Add the next decree's days: waarborg holidays add --year Y --day DATE --source TEXT"
    try:
        last = decreed_days.held_through(today.year, strict=True)
    except ValidationError as exc:
        return [checks.Warning(str(exc), hint="Repair or remove the file.", id="waarborg.W011")]
    if last is None:
        return [
            checks.Warning(
                f"no list of days equated with holidays by decree is held for {today.year}: the "
                "fourteen-day letter's term gets one extra working day",
                hint=hint,
                id="waarborg.W010",
            )
        ]
    if today >= dt.date(last - DECREE_LEAD_YEARS, 1, 1):
        return [
            checks.Warning(
                f"the days equated with holidays by decree are held up to {last}; from "
                f"{last + 1} on the fourteen-day letter's term gets one extra working day",
                hint=hint,
                id="waarborg.W010",
            )
        ]
    return []


_explicit = False


class explicit_checks:
    """Within this block `check_decreed_days` runs (the `check` command sets it)."""

    def __enter__(self):
        global _explicit
        self._previous, _explicit = _explicit, True
        return self

    def __exit__(self, *exc):
        global _explicit
        _explicit = self._previous
        return False


checks.register(check_decreed_days, "waarborg")
