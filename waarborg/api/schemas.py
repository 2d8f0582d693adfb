"""What goes in and out of the API: typed, and published in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints, field_validator

from waarborg.consents.models import CONSENT_PURPOSES
from waarborg.core.datamap import PURPOSES
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.rectification import RECTIFIABLE

RequestType = Literal[tuple(PrivacyRequest.Type.values)]
Status = Literal[tuple(PrivacyRequest.Status.values)]
Channel = Literal[tuple(PrivacyRequest.Channel.values)]
Purpose = Literal[tuple(PURPOSES)]
ConsentKind = Literal[tuple(CONSENT_PURPOSES)]
RectifiableField = Literal[RECTIFIABLE]
TimelineCode = Literal[
    "received", "identity_check_started", "identity_verified", "extended", *PrivacyRequest.Status.values
]
Text = Annotated[str, StringConstraints(max_length=254)]
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PrivacyRequestIn(Schema):
    """A privacy request a data subject made to a client of the API.

    Give at least one identifier: `email`, `phone`, `customer_number`, or `name` with `postcode`.
    With an e-mail address the identity check (a one-time link) goes out at once.
    """

    model_config = ConfigDict(extra="forbid")

    type: RequestType = Field(..., description="the right exercised")
    email: str | None = Field(None, max_length=254, description="the requester's e-mail address; answers go there")
    phone: str | None = Field(None, max_length=32)
    customer_number: str | None = Field(None, max_length=16, description="e.g. K000123")
    name: str | None = Field(None, max_length=160, description="full name, found together with the postcode")
    postcode: str | None = Field(None, max_length=12)
    details: str | None = Field(
        None, max_length=4000, description="what the requester asks, in their words (never a BSN)"
    )
    received_at: dt.datetime | dt.date | None = Field(
        None,
        description=(
            "when the request first reached us through another channel (a date, or a date and time "
            "with a time zone); the deadlines count from it. Default: now"
        ),
    )
    language: Literal["nl", "en"] = Field("nl", description="the language of the answers")
    purposes: list[Purpose] = Field(
        default_factory=list, max_length=len(PURPOSES), description="objection: the purposes (U-ids) to stop"
    )
    consent_kinds: list[ConsentKind] = Field(
        default_factory=list, max_length=len(CONSENT_PURPOSES), description="withdrawal: the consents withdrawn"
    )
    changes: dict[RectifiableField, Text] = Field(
        default_factory=dict, description="rectification: the corrected value of each detail"
    )
    transmit_to: str | None = Field(
        None, max_length=300, description="portability: the organisation to send the data to"
    )

    @field_validator("received_at", mode="before")
    @classmethod
    def _date_only(cls, value):
        # A bare date is a date (the Amsterdam day), not midnight without a time zone.
        if isinstance(value, str) and _DATE_ONLY.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError("not a date in the form YYYY-MM-DD") from None
        return value


class PrivacyRequestCreated(Schema):
    id: int
    number: str = Field(..., description="the request number the requester is told, e.g. PV000123")
    type: RequestType
    status: Literal["received"] = Field(
        ...,
        description=(
            "registered; what follows (the identity check, the answer) is read with GET — the same "
            "answer whoever the request is about"
        ),
    )
    received_at: dt.datetime
    promise_due: dt.date = Field(..., description="received + 28 days: the date we promise to answer by")
    legal_due: dt.date = Field(..., description="one month after receipt, moved to a working day (GDPR art. 12(3))")


class TimelineEventOut(Schema):
    event: TimelineCode
    at: dt.datetime


class PrivacyRequestOut(Schema):
    id: int
    number: str
    type: RequestType
    channel: Channel
    status: Status
    received_at: dt.datetime
    promise_due: dt.date
    legal_due: dt.date
    extended_due: dt.date | None = Field(
        None, description="the one-month term plus two further months, once extended with reasons in time"
    )
    due: dt.date = Field(..., description="what the law holds us to: the extended date when extended")
    day: int = Field(..., description="days since receipt (until the answer, once answered)")
    days_left: int = Field(..., description="days until `due`")
    overdue: bool = Field(..., description="open past the promised (or extended) date")
    late: bool = Field(..., description="open past the legal due date")
    verification_method: Literal["session", "email_link", "id_document"] | None = None
    timeline: list[TimelineEventOut]


class ErrorOut(Schema):
    detail: str


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str
    code: str | None = Field(
        None,
        description=(
            "a refusal of ours: its code, e.g. `api.identifier_missing` (steady where `msg` may be "
            "reworded); absent when the body does not fit the schema"
        ),
    )


class ValidationErrorOut(Schema):
    detail: list[ErrorItem]
