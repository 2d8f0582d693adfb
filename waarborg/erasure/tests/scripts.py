"""Steps run in a child process with a data directory of its own (a file-based SQLite database):

python -m waarborg.erasure.tests.scripts world     # migrate, then Alice and everything of hers
python -m waarborg.erasure.tests.scripts checkpoint
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    if argv[0] == "world":
        call_command("migrate", verbosity=0)
        from waarborg.erasure.tests.world import build_alice
        from waarborg.testing.personas import make_personas

        with transaction.atomic():
            world = build_alice(make_personas())
        print(world.customer.number)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
