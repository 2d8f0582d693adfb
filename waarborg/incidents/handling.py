"""Handling an incident (X6; GDPR art. 33–34): the privacy officer's assessment and the close.

`incident_assess` decides whether it is a personal-data breach, with the risk, the data and the
people affected, the likely consequences, the measures and why; it may be revised while the
incident is open. `incident_close` refuses while a duty is open: a reportable breach not notified
to the authority, or a high-risk breach whose people are neither informed nor a ground recorded
(the notifications are in `notifications.py`).
"""

from __future__ import annotations

from django.db import transaction

from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.customers.services import clean_choice
from waarborg.incidents.models import Incident
from waarborg.incidents.validation import clean_categories, clean_count, clean_record_text
from waarborg.incidents.writes import Risk, Status, audit_incident, copy_into, lock, require_officer, require_open


def incident_assess(
    *,
    actor,
    incident: Incident,
    is_breach: bool,
    risk: str = "",
    categories=(),
    subjects_count=None,
    consequences="",
    measures="",
    reasons="",
) -> Incident:
    """The privacy officer's assessment of an incident triaged as a (suspected) personal-data
    breach (abuse and security incidents are closed with a conclusion); it may be revised while the incident is open (art. 33(4):
    information may come in phases). For a breach: the risk, the data and people affected, the
    likely consequences, the measures and the reasons for the (non-)reporting decision."""
    require_officer(actor)
    if not isinstance(is_breach, bool):
        raise ValidationError("incidents.is_breach_yes_no", field="is_breach")
    reasons = clean_record_text(reasons, field="reasons", required=True)
    measures = clean_record_text(measures, field="measures", required=is_breach)
    if is_breach:
        risk = clean_choice(risk, field="risk", choices=Risk.choices) if risk else ""
        if not risk:
            raise ValidationError("incidents.breach_requires", {"field": "risk"}, field="risk")
        categories = clean_categories(categories)
        if not categories:
            raise ValidationError("incidents.categories_required", field="categories")
        count = clean_count(subjects_count)
        if count is None:
            raise ValidationError("incidents.count_required", {"field": "subjects_count"}, field="subjects_count")
        consequences = clean_record_text(consequences, field="consequences", required=True)
    else:
        risk, categories, count = "", [], None
        consequences = clean_record_text(consequences, field="consequences")
    with transaction.atomic():
        current = lock(incident)
        require_open(current)
        if not current.is_triaged:
            raise ValidationError("incidents.triage_first", field="kind")
        if not current.is_breach_kind:
            raise ValidationError("incidents.assess_not_breach", field="kind")
        current.is_breach = is_breach
        current.risk = risk
        current.categories = categories
        current.subjects_count = count
        current.consequences = consequences
        current.measures = measures
        current.assessment_reasons = reasons
        current.assessed_at = clock.now()
        current.assessed_by = actor
        current.status = Status.ASSESSED
        current.save()
        audit_incident(
            actor,
            "incidents.incident.assess",
            current,
            breach=is_breach,
            risk=risk,
            categories=categories,
            subjects=count,
            reportable=current.reportable,
        )
    return copy_into(incident, current)


def incident_close(*, actor, incident: Incident, conclusion="") -> Incident:
    """Close the record. Refused while it is not triaged, while a (suspected) breach is not assessed, while a reportable breach is not
    notified, or while a high-risk breach's people are neither informed nor a ground recorded."""
    require_officer(actor)
    conclusion = clean_record_text(conclusion, field="conclusion")
    with transaction.atomic():
        current = lock(incident)
        require_open(current)
        if not current.is_triaged:
            raise ValidationError("incidents.triage_first", field="kind")
        if current.is_breach_kind and not current.is_assessed:
            raise ValidationError("incidents.close_unassessed", field="status")
        if current.reportable and current.authority_notified_at is None:
            raise ValidationError("incidents.close_not_notified", field="status")
        if current.high_risk and not current.subjects_settled:
            raise ValidationError("incidents.close_subjects_open", field="status")
        current.conclusion = conclusion
        current.status = Status.CLOSED
        current.closed_at = clock.now()
        current.closed_by = actor
        current.save()
        audit_incident(actor, "incidents.incident.close", current)
    return copy_into(incident, current)
