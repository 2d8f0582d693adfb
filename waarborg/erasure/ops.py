"""Row operations shared by the erasure of a subject and the retention sweep.

Everything here works from model metadata and the personal-data map: which rows refer to which
(so that referring rows go first and nothing that must stay is cascaded away), what a cleared,
anonymised or pseudonymised value looks like for a field, and deleting rows together with their
stored files (the files go after the commit; a file that cannot be deleted is retried).
"""

from __future__ import annotations

import datetime as dt
import graphlib
import logging
import re
from decimal import Decimal

from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models.deletion import CASCADE, PROTECT, RESTRICT, Collector

from waarborg.core import clock, declarations
from waarborg.core.crypto import EncryptedTextField, keyed_hash
from waarborg.erasure.models import PendingFile

log = logging.getLogger(__name__)

PLACEHOLDER = "[gewist]"  # the neutral value of an anonymised text: says nothing about anyone
RESTRICTED_FIELD = "restricted_at"  # a model that can lock rows away (R4) has this field
STRONG_ON_DELETE = (CASCADE, PROTECT, RESTRICT)  # a row referred to this way cannot simply go
_EPOCH_DATE = dt.date(1970, 1, 1)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_TEXT_TYPES = (models.CharField, models.TextField)


# --- Model metadata ------------------------------------------------------------------------


def can_restrict(model) -> bool:
    return any(f.name == RESTRICTED_FIELD for f in model._meta.concrete_fields)


def file_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def named_file_fields(model) -> dict[str, str]:
    """Stored files named by a text column instead of a FileField: {field: directory under the
    files directory}, as the owning app declared them (an uploaded ID copy); such a file goes
    with its row like the file of a FileField."""
    return declarations.stored_file_fields(model._meta.label)


def named_file(directory: str, value) -> str:
    """The storage name of a file a column names ("" for nothing, or a name that is not one)."""
    name = str(value or "")
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return ""
    return f"{directory}/{name}"


def stored_files_of(model, row: dict) -> list[str]:
    """The stored files a row (its values by field name) names."""
    out = [str(row.get(name)) for name in file_fields(model) if row.get(name)]
    for name, directory in named_file_fields(model).items():
        if named_file(directory, row.get(name)):
            out.append(named_file(directory, row.get(name)))
    return out


def strong_referrers(model, *, with_on_delete: bool = False) -> list[tuple]:
    """(referring model, its foreign key's name[, on_delete]) for every relation that keeps a row
    of `model` from simply going: deleting would cascade into the referrer or be refused."""
    out = []
    for rel in model._meta.related_objects:
        if rel.many_to_many or not rel.field.concrete:
            continue
        if rel.on_delete in STRONG_ON_DELETE:
            out.append(
                (rel.related_model, rel.field.name, rel.on_delete)
                if with_on_delete
                else (rel.related_model, rel.field.name)
            )
    return out


def referrers_first(model_list) -> list:
    """Models ordered so that a model comes before every model it refers to (children first)."""
    members = set(model_list)
    sorter = graphlib.TopologicalSorter()
    for model in model_list:
        sorter.add(model)
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target in members and target is not model:
                # `model` refers to `target`: target must come after model
                sorter.add(target, model)
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:  # pragma: no cover - the map has no cycles today
        return sorted(model_list, key=lambda m: m._meta.label)


# --- Values ---------------------------------------------------------------------------------


def _fit(text: str, field) -> str:
    limit = getattr(field, "max_length", None)
    return text[:limit] if limit else text


def cleared_value(field, pk):
    """What a deleted value becomes in a row that has to stay."""
    if isinstance(field, models.FileField):
        return ""
    if field.null:
        return None
    if isinstance(field, _TEXT_TYPES):
        return _fit(f"{PLACEHOLDER}{pk}", field) if field.unique else ""
    return _neutral(field)


def anonymised_value(field, pk):
    """A neutral placeholder that is not personal (unique columns get the row's id with it)."""
    if isinstance(field, models.FileField):
        return ""
    if isinstance(field, _TEXT_TYPES) and not isinstance(field, EncryptedTextField):
        return _fit(f"{PLACEHOLDER}{pk}" if field.unique else PLACEHOLDER, field)
    if field.null:
        return None
    return _neutral(field)


def pseudonymised_value(field, value, pk):
    """The keyed hash of the value (waarborg.core.crypto.keyed_hash): linkable, not readable."""
    if value in (None, "") or not isinstance(field, _TEXT_TYPES) or isinstance(field, models.FileField):
        return cleared_value(field, pk)
    return _fit(keyed_hash(str(value), purpose="pseudonym"), field)


def _neutral(field):
    if field.has_default():
        return field.get_default()
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return _EPOCH
    if isinstance(field, models.DateField):
        return _EPOCH_DATE
    if isinstance(field, models.DecimalField):
        return Decimal("0")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 0
    if isinstance(field, models.JSONField):
        return {}
    return None


_HEX = re.compile(r"^[0-9a-f]+$")


def target_value(field, action: str, value, pk):
    if action == "anonymise":
        return anonymised_value(field, pk)
    if action == "pseudonymise":
        if isinstance(value, str) and _HEX.match(value) and len(value) == min(64, field.max_length or 64):
            return value  # already the keyed hash
        return pseudonymised_value(field, value, pk)
    return cleared_value(field, pk)


def same(a, b) -> bool:
    if hasattr(a, "name") and not isinstance(a, str):  # FieldFile
        a = a.name or ""
    return (a or None) == (b or None) if isinstance(b, str) or b is None else a == b


def empty_q(field) -> models.Q:
    """Rows where `field` holds nothing that could be personal any more."""
    name = field.name
    q = models.Q(**{f"{name}__isnull": True})
    if isinstance(field, _TEXT_TYPES) or isinstance(field, models.FileField):
        q |= models.Q(**{name: ""}) | models.Q(**{f"{name}__startswith": PLACEHOLDER})
    elif not field.null:
        neutral = _neutral(field)
        if neutral is not None:
            q |= models.Q(**{name: neutral})
    return q


# --- Deleting rows with their files ---------------------------------------------------------


def delete_queryset(qs, *, case=None) -> dict[str, int]:
    """Delete the rows of `qs` and everything that cascades from them, recording every stored
    file of those rows as pending; the files are removed after the commit."""
    del_query = qs._chain()
    del_query._for_write = True
    del_query.query.select_for_update = False
    del_query.query.select_related = False
    del_query.query.clear_ordering(force=True)
    collector = Collector(using=del_query.db, origin=qs)
    collector.collect(del_query)
    names: list[str] = []
    for model, instances in collector.data.items():
        for name in file_fields(model):
            names += [getattr(obj, name).name for obj in instances if getattr(obj, name)]
        for name, directory in named_file_fields(model).items():
            names += [named_file(directory, getattr(obj, name)) for obj in instances]
    for fast in collector.fast_deletes:
        for name in file_fields(fast.model):
            names += [n for n in fast.values_list(name, flat=True) if n]
        for name, directory in named_file_fields(fast.model).items():
            names += [named_file(directory, n) for n in fast.values_list(name, flat=True)]
    record_files(names, case=case)
    _, per_model = collector.delete()
    return {label: n for label, n in per_model.items() if n}


def record_files(names, *, case=None) -> int:
    now = clock.now()
    rows = [PendingFile(name=n, case=case, created_at=now) for n in sorted(set(names)) if n]
    PendingFile.objects.bulk_create(rows)
    if rows and case is None:  # an erasure case removes its own files after its commit
        transaction.on_commit(remove_pending_files)
    return len(rows)


def remove_pending_files(*, case_id=None) -> tuple[int, int]:
    """Delete the pending files (of one case, or all); returns (removed, failed)."""
    qs = PendingFile.objects.all()
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    removed = failed = 0
    for pending in qs.order_by("pk"):
        try:
            storages[pending.storage].delete(pending.name)
        except Exception as exc:  # the file system said no: keep the record, try again tomorrow
            pending.attempts += 1
            pending.last_error = type(exc).__name__[:120]
            pending.save(update_fields=["attempts", "last_error"])
            log.warning("stored file of pending erasure %s could not be deleted (%s)", pending.pk, pending.last_error)
            failed += 1
            continue
        pending.delete()
        removed += 1
    return removed, failed
