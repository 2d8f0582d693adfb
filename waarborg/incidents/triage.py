"""The triage of a report (B6, X6): abuse, a security incident, or a personal-data breach.

A report from outside (the public form, the portal) comes in untriaged: no 72-hour clock runs
yet. The privacy officer (or the operator at the shell) triages it within TRIAGE_HOURS (24
calendar hours) of receipt; the daily run warns before and after that deadline (`deadline.py`).
Only a personal-data breach starts the 72-hour clock (art. 33(1)), from the moment of awareness:
recorded with the reasons, never later than the triage and never before receipt. Abuse and
security incidents are handled as such: no clock, no notification to the authority. A triage is
made once; refused input changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from waarborg.core import clock
from waarborg.core.actors import is_system
from waarborg.core.errors import ValidationError
from waarborg.incidents.models import Incident
from waarborg.incidents.validation import clean_record_text, parse_moment
from waarborg.incidents.writes import audit_incident, copy_into, lock, require_officer, require_open

Kind = Incident.Kind


def clean_kind(value) -> str:
    """One of abuse, security, breach; anything else is refused."""
    kind = str(value or "").strip().lower()
    if kind not in Kind.values:
        raise ValidationError("incidents.kind_unknown", {"field": "kind"}, field="kind")
    return kind


def clean_awareness(value, *, kind: str, received_at: dt.datetime, triaged_at: dt.datetime) -> dt.datetime | None:
    """The moment of awareness for a breach (default: the triage itself), between receipt and
    the triage; None for abuse and security incidents, for which giving one is refused."""
    if kind != Kind.BREACH:
        if value not in (None, ""):
            raise ValidationError("incidents.aware_only_breach", {"field": "aware_at"}, field="aware_at")
        return None
    aware = triaged_at if value in (None, "") else parse_moment(value, field="aware_at")
    if aware > triaged_at:
        raise ValidationError("incidents.aware_after_triage", {"field": "aware_at"}, field="aware_at")
    if aware < received_at:
        raise ValidationError("incidents.aware_before_receipt", {"field": "aware_at"}, field="aware_at")
    return aware


def incident_triage(*, actor, incident: Incident, kind, aware_at=None, reasons="") -> Incident:
    """Triage a report once: its kind, with the reasons; for a personal-data breach also the
    moment of awareness (default: now), from which the 72 hours count. The privacy officer in the
    back office, or the operator at the shell."""
    if not is_system(actor):
        require_officer(actor)
    kind = clean_kind(kind)
    reasons = clean_record_text(reasons, field="triage_reasons", required=True)
    with transaction.atomic():
        current = lock(incident)
        require_open(current)
        if current.is_triaged:
            raise ValidationError("incidents.triaged_already", {"number": current.number}, field="kind")
        now = clock.now()
        aware = clean_awareness(aware_at, kind=kind, received_at=current.received_at, triaged_at=now)
        current.kind = kind
        current.aware_at = aware
        current.triaged_at = now
        current.triaged_by = None if is_system(actor) else actor
        current.triage_reasons = reasons
        current.save()
        audit_incident(
            actor,
            "incidents.incident.triage",
            current,
            kind=kind,
            late=now > current.triage_due_at,
            aware_hours=None if aware is None else int((aware - current.received_at).total_seconds() // 3600),
        )
    return copy_into(incident, current)
