"""Telling the administrators that a daily run failed: the day, the run, each failed job and its
exception class, nothing more (an exception's message may quote personal data; it is not sent)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail

from waarborg.accounts.models import Account
from waarborg.core import roles
from waarborg.operations.models import DailyRun

log = logging.getLogger(__name__)


def failure_message(run: DailyRun) -> tuple[str, str]:
    """(subject, body) of the mail about a failed run, in Dutch and English."""
    day = run.day.isoformat()
    jobs = sorted(run.failures.items())
    lines_nl = [f"- taak {job}: {error}" for job, error in jobs]
    lines_en = [f"- job {job}: {error}" for job, error in jobs]
    body = "\n".join(
        [
            f"De dagelijkse run {run.pk} voor {day} is mislukt. Mislukt:",
            *lines_nl,
            "De andere taken zijn uitgevoerd. Zie Beheer > Dagelijkse runs in de backoffice en het serverlog.",
            "",
            f"Daily run {run.pk} for {day} failed. Failed:",
            *lines_en,
            "The other jobs ran. See Daily runs in the back office and the server log.",
        ]
    )
    subject = f"Dagelijkse run {day} mislukt / Daily run {day} failed"
    return subject, body + "\n"


def mail_administrators(run: DailyRun) -> int:
    """Mail every active administrator about the failed run; the number of addresses mailed.

    A mail that cannot be sent is logged, never raised: the run's record stands either way.
    """
    recipients = sorted(Account.objects.filter(role=roles.ADMIN, is_active=True).values_list("email", flat=True))
    if not recipients:
        log.warning("daily run %s failed and there is no active administrator to mail", run.pk)
        return 0
    subject, body = failure_message(run)
    try:
        send_mail(subject, body, None, recipients, fail_silently=False)
    except Exception as exc:  # noqa: BLE001 (the mail server's trouble must not hide the run's)
        log.warning("the administrators could not be mailed about daily run %s (%s)", run.pk, type(exc).__name__)
        return 0
    return len(recipients)
