"""System check: whatever the map keeps locked away (a restricted retention rule) can be locked.

A warning, not an error: rows of such a model are still kept and erased on time, but an erasure
cannot hide them from the screens of the model's own app until it has the field. It runs with
`waarborg check --deploy`.
"""

from __future__ import annotations

from django.core import checks

from waarborg.core import datamap
from waarborg.erasure.ops import RESTRICTED_FIELD, can_restrict


def check_restrictable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for entry in datamap.entries():
        locked = sorted({name for name, p in entry.declarations() if p.erasure == "retain" and p.retention.restricted})
        if locked and not can_restrict(entry.model):
            errors.append(
                checks.Warning(
                    f"{entry.label} keeps {', '.join(locked)} under a restricted rule but has no {RESTRICTED_FIELD}",
                    hint=f"Add a nullable, indexed DateTimeField {RESTRICTED_FIELD!r} so erasure can lock the rows (R4).",
                    obj=entry.model,
                    id="waarborg.W101",
                )
            )
    return errors


checks.register(check_restrictable, "waarborg", deploy=True)
