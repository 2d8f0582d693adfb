"""A scheduler process that holds the daily lock until told to let go (for the lock tests).

`python -m waarborg.operations.tests.lock_holder DAY HELD RELEASE`: runs `waarborg scheduler
--once --as-of DAY` with one extra job that creates the file HELD and waits for RELEASE to exist.
"""

import os
import sys
import time
from pathlib import Path


def main(day: str, held: str, release: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from waarborg.core.daily import daily_job

    @daily_job("test-hold", order=0)
    def hold(_day):
        Path(held).write_text(str(os.getpid()))
        deadline = time.monotonic() + 120
        while not Path(release).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return {"held": 1}

    call_command("scheduler", "--once", "--as-of", day)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
