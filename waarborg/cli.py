"""The `waarborg` command: Django's management commands plus Waarborg's own.

Errors a user can act on (configuration, an unreachable database, bad input) end in one line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys

from waarborg.core.errors import WaarborgError


def _fail(message: str, code: int = 2) -> int:
    print(f"waarborg: error: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv = list(sys.argv if argv is None else ["waarborg", *argv])
    try:
        import django
        from django.core.management import execute_from_command_line
        from django.db.utils import OperationalError, ProgrammingError

        django.setup()
        execute_from_command_line(argv)
    except WaarborgError as exc:
        return _fail(str(exc))
    except (OperationalError, ProgrammingError) as exc:
        reason = _db_reason(exc)
        if _missing_table(reason):
            return _fail(f"the database is not up to date ({reason}); run 'waarborg migrate' first")
        if isinstance(exc, ProgrammingError):
            raise
        return _fail(f"the database cannot be reached or used ({reason})")
    except KeyboardInterrupt:
        return 130
    return 0


def _missing_table(reason: str) -> bool:
    return "no such table" in reason or ("relation" in reason and "does not exist" in reason)


def _db_reason(exc: Exception) -> str:
    # The driver's message may name the user or host; keep only its first line, without a password.
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


if __name__ == "__main__":
    sys.exit(main())
