"""What every write of the incident register (B6, X6; GDPR art. 33–34) shares: who may handle an
incident, the row lock, the check that it is still open, and the audit event.

The lifecycle: `incident_report` (anyone, the public form) or `incident_register` (staff, the
shell) in `intake.py` → `incident_triage` (`triage.py`: abuse, a security incident or a breach;
only a breach has the 72-hour clock) → `incident_assess` (the privacy officer, `handling.py`) →
`incident_notify_authority` (art. 33) and `incident_inform_subjects` (art. 34) in
`notifications.py` → `incident_close` (`handling.py`), which refuses while a duty is open. The
72-hour clock and its warnings are in `deadline.py`.

Every service validates first, then writes and records its audit event in one transaction: a
refused call leaves nothing behind. Audit events name the incident number and codes, never the
description, an address or a free-text reason.
"""

from __future__ import annotations

from waarborg.audit.services import audit_record
from waarborg.core import roles
from waarborg.core.actors import is_account
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.incidents.models import Incident

SCOPE = "incidents"
AUDIT_PURPOSE = "U14"  # the breach register is a statutory obligation (art. 33(5))

Status = Incident.Status
Risk = Incident.Risk


def require_officer(actor):
    """The privacy officer's account (scope "incidents"); anyone and anything else is refused."""
    if not is_account(actor) or not roles.can(actor, SCOPE):
        raise PermissionDenied("incidents.officer_only")
    return actor


def audit_incident(actor, action: str, incident: Incident, **data) -> None:
    """Record `action` on `incident` in the audit trail: its number and the codes in `data`."""
    audit_record(
        actor=actor,
        action=action,
        purpose=AUDIT_PURPOSE,
        object_type="incidents.incident",
        object_ids=[incident.pk],
        subject_ref=f"incident:{incident.pk}",
        data={"incident": incident.number, **data},
    )


def lock(incident: Incident) -> Incident:
    """The incident's row as it is now, locked until the transaction ends."""
    try:
        return Incident.objects.select_for_update().get(pk=incident.pk)
    except Incident.DoesNotExist:
        raise NotFound("incidents.incident_not_found", {"id": incident.pk}) from None


def require_open(incident: Incident) -> None:
    """Refuse a write to a closed incident."""
    if not incident.is_open:
        raise ValidationError("incidents.closed", {"number": incident.number}, field="status")


def copy_into(target: Incident, source: Incident) -> Incident:
    """Give the caller's instance the values just saved, so it sees what was written."""
    for f in Incident._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target
