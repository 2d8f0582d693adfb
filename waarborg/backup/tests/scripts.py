"""Steps run in a child process with a data directory (and database) of its own:

python -m waarborg.backup.tests.scripts world    # migrate, Alice with her files, an ID copy, a brochure
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import transaction

    if argv[0] == "world":
        call_command("migrate", verbosity=0)
        from waarborg.erasure.tests.world import build_alice
        from waarborg.privacy import storage
        from waarborg.testing.personas import make_personas

        with transaction.atomic():
            world = build_alice(make_personas())
        storage.store(b"%PDF-1.4 identity document copy")
        default_storage.save("brochure/tarieven.txt", ContentFile(b"Tarieven 2025"))
        print(world.customer.number)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
