"""System checks: a restore that did not finish (its erasure replay has not run) is an error."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks

from waarborg.backup.restore import MARKER


def check_restore_finished(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if (Path(settings.DATA_DIR) / MARKER).exists():
        return [
            checks.Error(
                "a restore did not finish: people erased after the backup may be back in the database",
                hint="Run `waarborg erasure replay` now, then remove the file restore-incomplete from the data directory.",
                id="waarborg.E170",
            )
        ]
    return []


checks.register(check_restore_finished, "waarborg")
