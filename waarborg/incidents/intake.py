"""How incidents come into the register (B6): `incident_report` (anyone, the public form or the
portal) and `incident_register` (staff, in the back office or at the shell).

A report from outside comes in untriaged, without a clock: the privacy officer triages it
(`triage.py`). Staff register an incident triaged: a suspected personal-data breach unless they
name another kind; for a breach the 72-hour clock (art. 33) counts from `aware_at`, when we
became reasonably certain it happened.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.db import transaction

from waarborg.core import clock
from waarborg.core.actors import System, is_account, is_system
from waarborg.core.errors import PermissionDenied
from waarborg.customers.services import clean_choice, save_numbered
from waarborg.incidents import notices
from waarborg.incidents.models import Incident
from waarborg.incidents.triage import clean_awareness, clean_kind
from waarborg.incidents.validation import clean_description, clean_email, clean_moment
from waarborg.incidents.writes import audit_incident

log = logging.getLogger(__name__)

NUMBER_PREFIX = "I"
NUMBER_DIGITS = 5
REPORTER = System("reporter")  # the audit trail's name for someone reporting without an account

Channel = Incident.Channel

STAFF_CHANNELS = (Channel.STAFF, Channel.SYSTEM, Channel.PORTAL)


@dataclass(frozen=True)
class Reported:
    """A report taken: the incident, and whether a confirmation went to the reporter's address."""

    incident: Incident
    confirmed: bool  # a confirmation went to the reporter's address


def _require_staff(actor):
    """The staff member's account, or None for the system (a command at the shell, a job)."""
    if is_system(actor):
        return None
    if is_account(actor) and actor.is_active and actor.is_staff_role:
        return actor
    raise PermissionDenied("incidents.staff_only")


def _create(
    *, actor, channel, description, reporter_email, received_at, aware_at, registered_by, kind="", triaged_at=None
) -> Incident:
    incident = Incident(
        kind=kind,
        triaged_at=triaged_at,
        triaged_by=registered_by if kind else None,
        channel=channel,
        description=description,
        reporter_email=reporter_email,
        received_at=received_at,
        aware_at=aware_at,
        registered_by=registered_by,
    )
    save_numbered(incident, prefix=NUMBER_PREFIX, width=NUMBER_DIGITS)
    audit_incident(
        actor,
        "incidents.incident.report",
        incident,
        channel=channel,
        reply_address=bool(reporter_email),
        kind=kind or None,
    )
    return incident


def incident_report(*, description, reporter_email="", channel=Channel.FORM, language: str = "nl") -> Reported:
    """Anyone reports suspected misuse. The report is untriaged: no clock runs until the privacy
    officer triages it (within 24 hours of receipt). The reporter, if they gave an address, gets a confirmation with the number — the same text whoever they are. A mail that
    cannot go out does not lose the report (it is logged without the address)."""
    description = clean_description(description)
    email = clean_email(reporter_email)
    channel = clean_choice(channel, field="channel", choices=(Channel.FORM, Channel.PORTAL))
    now = clock.now()
    with transaction.atomic():
        incident = _create(
            actor=REPORTER,
            channel=channel,
            description=description,
            reporter_email=email,
            received_at=now,
            aware_at=None,
            registered_by=None,
        )
    confirmed = False
    if email:
        try:
            text = notices.render("confirmation", language, notices.mail_context(incident))
            confirmed = notices.send([email], text) == 1
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("incident %s: the confirmation could not be e-mailed (%s)", incident.number, type(exc).__name__)
    return Reported(incident, confirmed)


def incident_register(
    *,
    actor,
    description,
    channel=Channel.STAFF,
    received_at=None,
    aware_at=None,
    reporter_email="",
    kind=Incident.Kind.BREACH,
) -> Incident:
    """Staff record an incident they learnt of (by phone, e-mail, monitoring), triaged as they
    register it: `kind` is a suspected personal-data breach by default, or abuse or a security
    incident (no clock). For a breach `aware_at` is when we became reasonably certain of it
    (default: when it was received; monitoring may have seen it before it was registered); the
    clock counts from it."""
    account = _require_staff(actor)
    description = clean_description(description)
    email = clean_email(reporter_email)
    channel = clean_choice(channel, field="channel", choices=STAFF_CHANNELS)
    kind = clean_kind(kind)
    now = clock.now()
    received = clean_moment(received_at, field="received_at", now=now, default=now)
    if kind == Incident.Kind.BREACH:
        aware = clean_moment(aware_at, field="aware_at", now=now, default=received)
    else:
        aware = clean_awareness(aware_at, kind=kind, received_at=received, triaged_at=now)
    with transaction.atomic():
        return _create(
            actor=actor,
            channel=channel,
            description=description,
            reporter_email=email,
            received_at=received,
            aware_at=aware,
            registered_by=account,
            kind=kind,
            triaged_at=now,
        )
