"""The triage deadline, the 72-hour clock (art. 33(1)) and the privacy officers' warnings.

A report is triaged within TRIAGE_HOURS (24 calendar hours) of receipt. The 72-hour clock runs
only for an incident triaged as a personal-data breach, while it is open and not assessed, or is
a reportable breach not yet notified to the authority. The daily job (and `waarborg incidents
warn`, which may run hourly) mails the privacy officers once per stage reached: for an untriaged
report, while it waits (any time before its triage deadline, so even a once-a-day run warns
before it passes) and once it has passed; for a breach, 24 hours after awareness, 24 hours left,
and past the deadline.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.core import clock, roles
from waarborg.core.actors import SYSTEM
from waarborg.incidents import notices
from waarborg.incidents.models import Incident, IncidentWarning
from waarborg.incidents.writes import AUDIT_PURPOSE, Risk

log = logging.getLogger(__name__)

SOON_HOURS = 24  # warnings 24 hours after awareness, when this close to the deadline, and when passed

STAGES = ("day_one", "due_soon", "overdue")  # 24 hours after awareness, 24 hours left, passed
TRIAGE_STAGES = ("triage", "triage_late")  # untriaged before its triage deadline, and after it


def clock_running(incident: Incident) -> bool:
    """The 72-hour clock runs for an open incident triaged as a breach while it is not assessed,
    or is a reportable breach not yet notified."""
    if not incident.is_open or not incident.is_breach_kind or incident.aware_at is None:
        return False
    if not incident.is_assessed:
        return True
    return incident.reportable and incident.authority_notified_at is None


def warning_stage(incident: Incident, now: dt.datetime) -> str | None:
    """The warning stage the incident has reached at `now` (one of TRIAGE_STAGES or STAGES), or None."""
    if incident.is_open and not incident.is_triaged:
        return "triage_late" if now >= incident.triage_due_at else "triage"
    if not clock_running(incident):
        return None
    if now >= incident.due_at:
        return "overdue"
    if incident.due_at - now <= dt.timedelta(hours=SOON_HOURS):
        return "due_soon"
    if now - incident.aware_at >= dt.timedelta(hours=SOON_HOURS):
        return "day_one"
    return None


def _privacy_officers() -> list[str]:
    officers = Account.objects.filter(role=roles.PRIVACY, is_active=True).order_by("pk")
    return list(officers.values_list("email", flat=True)) or [settings.WAARBORG_CONTROLLER["email"]]


def incident_warnings_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Mail the privacy officers once per stage reached: an untriaged report waiting (before its
    triage deadline) and past that deadline; for a breach 24 hours after awareness (48 hours
    left), 24 hours left, and past the deadline.
    Recorded, so a rerun sends nothing; an incident first seen past its deadline gets only the
    overdue warning. A mail that fails is not recorded and goes on the next run."""
    now = now or clock.now()
    counts = {"warnings": 0, "failed": 0}
    lang = notices.language(settings.LANGUAGE_CODE)
    candidates = (
        Incident.objects.filter(status__in=Incident.OPEN_STATUSES)
        .filter(
            Q(kind="")
            | Q(kind=Incident.Kind.BREACH, aware_at__lte=now - dt.timedelta(hours=SOON_HOURS))
            & (
                Q(is_breach__isnull=True)
                | Q(is_breach=True, risk__in=(Risk.RISK, Risk.HIGH), authority_notified_at__isnull=True)
            )
        )
        .order_by("received_at", "pk")
    )
    for incident in candidates:
        stage = warning_stage(incident, now)
        if stage is None:
            continue
        done = set(IncidentWarning.objects.filter(incident=incident).values_list("stage", flat=True))
        if stage in done:
            continue
        try:
            with transaction.atomic():
                to = _privacy_officers()
                warning = IncidentWarning.objects.create(
                    incident=incident, stage=stage, sent_at=now, recipients=len(to)
                )
                audit_record(
                    actor=SYSTEM,
                    action="incidents.incident.warn",
                    purpose=AUDIT_PURPOSE,
                    object_type="incidents.incidentwarning",
                    object_ids=[warning.pk],
                    subject_ref=f"incident:{incident.pk}",
                    data={"incident": incident.number, "stage": stage, "recipients": len(to)},
                )
                context = notices.mail_context(incident) | {
                    "stage": stage,
                    "triage": stage in TRIAGE_STAGES,
                    "hours_left": hours_left(incident, now),
                    "assessed": incident.is_assessed,
                }
                notices.send(to, notices.render("staff_warning", lang, context))
            counts["warnings"] += 1
        except IntegrityError:
            continue  # sent meanwhile by a concurrent run
        except (OSError, smtplib.SMTPException) as exc:
            counts["failed"] += 1
            log.warning("incident warning not sent: %s stage %s (%s)", incident.number, stage, type(exc).__name__)
    return counts


def hours_left(incident: Incident, now: dt.datetime) -> int:
    """Whole hours to the deadline (the triage's while untriaged), rounded down; negative once
    it has passed; None when there is no deadline (abuse, a security incident)."""
    due = incident.due_at if incident.is_triaged else incident.triage_due_at
    if due is None:
        return None
    return int((due - now).total_seconds() // 3600)
