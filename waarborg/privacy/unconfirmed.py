"""Requests nobody confirms (G7, G8): closed by the daily run after `UNCONFIRMED_DAYS`.

A request made on the public form waits for the requester to confirm it through the one-time
link mailed to the address given (`VerificationLink` of kind `email_link`). When the requester
has not confirmed it by the 14th day after the day it was made (that day itself is day 0, as in
`deadlines.day_number`), the daily job closes it with status `unconfirmed` and tells the address
given that it was closed because it was not confirmed, and how to ask again.

An unconfirmed request is neither open nor answered: it leaves the queue and the deadline
warnings, and `timeliness` never judges it overdue or late. Its links stop working (the public
page says why). Requests registered by staff, made in the portal or through the API, and
requests that were confirmed, are never touched.

Each request is closed in its own transaction, with its audit event and its mail: a mail that
cannot go out rolls the closing back, and the next run tries again. A closed request no longer
matches, so a second run closes nothing and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.db import transaction

from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.privacy import deadlines, notices
from waarborg.privacy.handling import audit, lock_request, revoke_links, unpause
from waarborg.privacy.identity import LINK_HOURS, UNCONFIRMED_DAYS
from waarborg.privacy.models import PrivacyRequest, VerificationLink

log = logging.getLogger(__name__)

FORM_PATH = "/privacyverzoek/"  # where to ask again (the public pages route it)

Status = PrivacyRequest.Status


def close_day(received_at: dt.datetime | dt.date) -> dt.date:
    """The day an unconfirmed request made at `received_at` is closed."""
    return deadlines.received_date(received_at) + dt.timedelta(days=UNCONFIRMED_DAYS)


def awaiting_confirmation():
    """Open requests from the public form whose requester was sent a confirmation link and has
    not confirmed (a request without such a link waits for the privacy officer instead)."""
    with_link = VerificationLink.objects.filter(kind=VerificationLink.Kind.EMAIL_LINK).values("request_id")
    return PrivacyRequest.objects.filter(
        channel=PrivacyRequest.Channel.FORM,
        status__in=PrivacyRequest.OPEN_STATUSES,
        verified_at__isnull=True,
        pk__in=with_link,
    )


def _due(request: PrivacyRequest, day: dt.date) -> bool:
    return (
        request.channel == PrivacyRequest.Channel.FORM
        and request.is_open
        and not request.is_verified
        and close_day(request.received_at) <= day
    )


def _close(pk: int, day: dt.date) -> bool:
    with transaction.atomic():
        request = lock_request(PrivacyRequest(pk=pk))
        if not _due(request, day):
            return False  # confirmed or closed meanwhile
        now = clock.now()
        request.status = Status.UNCONFIRMED
        request.closed_at = now
        unpause(request, now)
        request.save(update_fields=["status", "closed_at", "paused_since", "paused_days"])
        revoked = revoke_links(request, now)
        audit(SYSTEM, "privacy.request.unconfirmed", request, days=UNCONFIRMED_DAYS, revoked=revoked)
        if request.email:
            lang = request.language if request.language in notices.LANGUAGES else "nl"
            context = notices.base_context(request, lang) | {
                "days": UNCONFIRMED_DAYS,
                "link_hours": LINK_HOURS,
                "form_url": settings.WAARBORG_SITE_URL + FORM_PATH,
            }
            notices.send([request.email], notices.render("unconfirmed", lang, context))
    return True


def unconfirmed_close(*, day: dt.date) -> dict[str, int]:
    """Close every request from the public form not confirmed by `day` (the daily job)."""
    counts = {"closed": 0, "failed": 0}
    last_received = dt.datetime.combine(
        day - dt.timedelta(days=UNCONFIRMED_DAYS - 1), dt.time(0, 0), tzinfo=clock.AMSTERDAM
    )
    candidates = awaiting_confirmation().filter(received_at__lt=last_received)
    for pk in candidates.order_by("received_at", "pk").values_list("pk", flat=True):
        try:
            counts["closed"] += _close(pk, day)
        except (OSError, smtplib.SMTPException) as exc:  # the mail server: the next run tries again
            counts["failed"] += 1
            log.warning("privacy request %s: not closed as unconfirmed (%s)", pk, type(exc).__name__)
    return counts
