"""Deadline warnings (G9), sent by the daily job: day 14 to the handler, day 21 to the team
lead, day 26 to the privacy officers, and from day 28 the overdue request to all of them —
each stage once per request.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from waarborg.accounts.models import Account
from waarborg.core import clock, roles
from waarborg.core.actors import SYSTEM
from waarborg.privacy import deadlines, notices
from waarborg.privacy.handling import audit
from waarborg.privacy.models import DeadlineWarning, PrivacyRequest

log = logging.getLogger(__name__)


def _privacy_officers() -> list[str]:
    return list(
        Account.objects.filter(role=roles.PRIVACY, is_active=True).order_by("pk").values_list("email", flat=True)
    )


def _warning_recipients(request: PrivacyRequest, stage: str) -> list[str]:
    lead = settings.WAARBORG_PRIVACY_TEAM_LEAD_EMAIL
    officers = _privacy_officers()
    handler = [request.handler.email] if request.handler_id and request.handler.is_active else []
    if stage in ("handler_14", "extended_handler"):
        return handler or officers or [lead]
    if stage in ("lead_21", "extended_lead"):
        return [lead]
    if stage in ("privacy_26", "extended_privacy"):
        return officers or [lead]
    return sorted(set(handler + officers + [lead]))


def deadline_warnings_send(*, day: dt.date) -> dict[str, int]:
    """Send each warning stage reached on `day` once per open request (recorded, so a rerun
    sends nothing). A request awaiting the identity check is warned too: the legal date stands."""
    lang = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in notices.LANGUAGES else "nl"
    counts = {"warnings": 0, "failed": 0}
    requests = PrivacyRequest.objects.filter(status__in=PrivacyRequest.OPEN_STATUSES).select_related("handler")
    for request in requests.order_by("promise_due", "pk"):
        reached = deadlines.warning_stages(request.received_at, day, request.extended_due)
        done = set(DeadlineWarning.objects.filter(request=request).values_list("stage", flat=True))
        for stage in reached:
            if stage in done:
                continue
            try:
                with transaction.atomic():
                    to = _warning_recipients(request, stage)
                    warning = DeadlineWarning.objects.create(
                        request=request, stage=stage, sent_at=clock.now(), recipients=len(to)
                    )
                    context = notices.base_context(request, lang) | {
                        "stage_label": notices.STAGE_LABELS[stage][notices.idx(lang)],
                        "day": deadlines.day_number(request.received_at, day),
                        "overdue": deadlines.is_overdue(request.received_at, day, request.extended_due),
                    }
                    audit(
                        SYSTEM,
                        "privacy.deadline.warn",
                        request,
                        object_type="privacy.deadlinewarning",
                        ids=[warning.pk],
                        stage=stage,
                        recipients=len(to),
                    )
                    notices.send(to, notices.render("staff_warning", lang, context))
                counts["warnings"] += 1
            except IntegrityError:
                continue  # sent meanwhile by a concurrent run
            except OSError as exc:  # the mail server: try again on the next run
                counts["failed"] += 1
                log.warning(
                    "privacy deadline warning not sent: request %s stage %s (%s)", request.pk, stage, type(exc).__name__
                )
    return counts
