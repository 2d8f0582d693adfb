"""Reads of the API: the token list, and what a client may learn of a request it registered.

A client learns codes, dates and the status of a request — never a value about the person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from waarborg.api.models import ApiToken
from waarborg.core import clock
from waarborg.privacy.models import PrivacyRequest, VerificationLink
from waarborg.privacy.selectors import queue_row


def api_token_list():
    return ApiToken.objects.order_by("name", "created_at", "pk")


@dataclass(frozen=True)
class TimelineEvent:
    event: str
    at: dt.datetime


@dataclass(frozen=True)
class RequestSummary:
    request: PrivacyRequest
    day: int
    due: dt.date
    days_left: int
    overdue: bool
    late: bool
    timeline: list[TimelineEvent]


def request_timeline(request: PrivacyRequest) -> list[TimelineEvent]:
    """The steps the request went through, from its own dates (no audit trail, no values)."""
    events = [TimelineEvent("received", request.received_at)]
    first_link = (
        VerificationLink.objects.filter(request=request).order_by("created_at").values_list("created_at", flat=True)
    ).first()
    if first_link is not None:
        events.append(TimelineEvent("identity_check_started", first_link))
    if request.verified_at is not None:
        events.append(TimelineEvent("identity_verified", request.verified_at))
    if request.extension_notice_sent_at is not None:
        events.append(TimelineEvent("extended", request.extension_notice_sent_at))
    if request.closed_at is not None:
        events.append(TimelineEvent(request.status, request.closed_at))
    return sorted(events, key=lambda e: e.at)


def request_summary(request: PrivacyRequest, today: dt.date | None = None) -> RequestSummary:
    row = queue_row(request, today or clock.today())
    return RequestSummary(
        request=request,
        day=row.day,
        due=row.due,
        days_left=row.days_left,
        overdue=row.overdue and request.is_open,
        late=row.late and request.is_open,
        timeline=request_timeline(request),
    )
