"""Assertions tests share: nothing changed in the database, and audit events without personal values.

`database_snapshot()` reads the values of every row of every concrete model of every installed
app (Django's own and the m2m tables among them), ordered by primary key. A refusal is proven
with `unchanged()` around it, or `before = database_snapshot()` ... `assert_nothing_changed(before)`;
either fails with one line per row added or removed and per field changed.

Where a refusal rightly writes something, the test names it with its reason, e.g.
`unchanged(except_for={"api.ApiToken.last_used_at": "a refused request still marks its token used"})`:
a key `app.Model` lets that model's rows change, `app.Model.field` only that field of rows that
were there before. Allowing `audit.AuditEvent` allows `audit.AuditHead` too (the head follows
the trail).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import connections, router

from waarborg.audit.models import AuditEvent
from waarborg.audit.services import audit_verify

# label -> pk -> field (attname) -> value
Snapshot = dict[str, dict[Any, dict[str, Any]]]

# Rows that follow another model's rows: allowing the first allows these.
FOLLOWS = {"audit.AuditEvent": ("audit.AuditHead",)}


def snapshot_models() -> list:
    """Every model with a table of its own: all installed apps, auto-created m2m tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def database_snapshot() -> Snapshot:
    """The values of every row of every model, by model label and primary key.

    The values are read as the database holds them (no field converts them): an encrypted
    value is its ciphertext, and a snapshot can be taken whatever keys are configured."""
    snapshot: Snapshot = {}
    for model in snapshot_models():
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        sql = "SELECT {} FROM {} ORDER BY {}".format(  # noqa: S608 (quoted names from the models' metadata)
            ", ".join(quote(field.column) for field in fields),
            quote(model._meta.db_table),
            quote(model._meta.pk.column),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
        pk = fields.index(model._meta.pk)
        names = [field.attname for field in fields]
        snapshot[model._meta.label] = {row[pk]: dict(zip(names, row, strict=True)) for row in rows}
    return snapshot


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def snapshot_diff(before: Snapshot, after: Snapshot, *, except_for: Mapping[str, str] | None = None) -> list[str]:
    """One line per row added or removed and per field changed, leaving out what `except_for` allows."""
    allowed = dict(except_for or {})
    for label, reason in list(allowed.items()):
        assert str(reason).strip(), f"say why {label} may change"
        for follower in FOLLOWS.get(label, ()):
            allowed.setdefault(follower, reason)
    for key in allowed:
        label, _, name = key.rpartition(".") if key.count(".") == 2 else (key, "", "")
        assert label in after, f"except_for names no model: {key}"
        names = {field.attname for field in apps.get_model(label)._meta.concrete_fields}
        assert not name or name in names, f"except_for names no field: {key}"
    lines = []
    for label in sorted(set(before) | set(after)):
        if label in allowed:
            continue
        old, new = before.get(label, {}), after.get(label, {})
        lines += [f"added   {label} pk={pk!r}" for pk in new.keys() - old.keys()]
        lines += [f"removed {label} pk={pk!r}" for pk in old.keys() - new.keys()]
        for pk in sorted(old.keys() & new.keys(), key=repr):
            for name, value in old[pk].items():
                if new[pk][name] != value and f"{label}.{name}" not in allowed:
                    lines.append(f"changed {label} pk={pk!r} {name}: {_short(value)} -> {_short(new[pk][name])}")
    return sorted(lines)


def assert_nothing_changed(before: Snapshot, *, except_for: Mapping[str, str] | None = None) -> None:
    """No row was added, removed or changed since `before` (but what `except_for` allows, with its reason)."""
    lines = snapshot_diff(before, database_snapshot(), except_for=except_for)
    assert not lines, "nothing should have changed, but:\n  " + "\n  ".join(lines)


@contextmanager
def unchanged(*, except_for: Mapping[str, str] | None = None) -> Iterator[Snapshot]:
    """`with unchanged(), pytest.raises(...):` the block leaves every row as it was."""
    before = database_snapshot()
    yield before
    assert_nothing_changed(before, except_for=except_for)


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


def event_json(event: AuditEvent) -> str:
    return json.dumps(
        {
            "actor": event.actor,
            "action": event.action,
            "purpose": event.purpose,
            "reason": event.reason,
            "object_type": event.object_type,
            "object_ids": event.object_ids,
            "subject_ref": event.subject_ref,
            "data": event.data,
        },
        ensure_ascii=False,
        default=str,
    )


def assert_clean_event(event: AuditEvent, *, action: str, values=()) -> None:
    """The event is the expected action, names none of `values`, and the chain verifies."""
    assert event is not None, "no audit event was recorded"
    assert event.action == action
    text = event_json(event).lower()
    for value in values:
        if value:
            assert str(value).lower() not in text, f"a personal value is in the audit event {action}"
    assert audit_verify().ok
