"""The notifications a personal-data breach calls for, recorded in the register.

- `incident_notify_authority`: the notification to the Autoriteit Persoonsgegevens (art. 33),
  within 72 hours of becoming aware, or with the reasons for the delay;
- `incident_inform_subjects`: how the people affected were told (art. 34(1)), or the art. 34(3)
  ground why not;
- `incident_tell_customers`: as processor, the notice to each customer whose own data (in the
  sites and mailboxes we host for them) the breach touched (art. 33(2), X7).
"""

from __future__ import annotations

from django.db import transaction

from waarborg.core import clock, datamap
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_customer_number
from waarborg.customers.models import Customer
from waarborg.customers.services import clean_choice, clean_text
from waarborg.incidents import notices
from waarborg.incidents.models import NOTIFY_HOURS, CustomerNotice, Incident
from waarborg.incidents.validation import REFERENCE_MAX, clean_moment, clean_record_text, refuse_personal
from waarborg.incidents.writes import audit_incident, copy_into, lock, require_officer, require_open
from waarborg.register.selectors import processor_notice_addresses


def incident_notify_authority(*, actor, incident: Incident, reference, notified_at=None, delay_reasons="") -> Incident:
    """Record the notification to the Autoriteit Persoonsgegevens (art. 33). After the 72 hours
    the reasons for the delay are required (art. 33(1))."""
    require_officer(actor)
    reference = clean_text(reference, field="reference", max_length=REFERENCE_MAX, required=False)
    if not reference:
        raise ValidationError("incidents.reference_required", {"field": "reference"}, field="reference")
    refuse_personal(reference, field="reference")
    delay_reasons = clean_record_text(delay_reasons, field="delay_reasons")
    with transaction.atomic():
        current = lock(incident)
        require_open(current)
        if not current.is_breach:
            raise ValidationError("incidents.notify_not_breach", field="status")
        if current.authority_notified_at is not None:
            raise ValidationError("incidents.notified_already", field="status")
        now = clock.now()
        at = clean_moment(notified_at, field="notified_at", now=now, default=now, aware_at=current.aware_at)
        late = at > current.due_at
        if late and not delay_reasons:
            raise ValidationError(
                "incidents.delay_reasons_required",
                {"field": "delay_reasons", "hours": NOTIFY_HOURS},
                field="delay_reasons",
            )
        current.authority_notified_at = at
        current.authority_reference = reference
        current.delay_reasons = delay_reasons if late else ""
        current.save()
        audit_incident(actor, "incidents.incident.notify_authority", current, late=late)
    return copy_into(incident, current)


def incident_inform_subjects(
    *, actor, incident: Incident, how="", informed_at=None, ground="", explanation=""
) -> Incident:
    """Record that the people affected were told (art. 34(1)) and how — or the art. 34(3) ground
    why they were not, with its explanation."""
    require_officer(actor)
    if bool(how) == bool(ground):
        raise ValidationError("incidents.how_or_ground", field="how")
    if how:
        how = clean_choice(how, field="how", choices=Incident.Informed.choices)
    else:
        ground = clean_choice(ground, field="ground", choices=Incident.NoNoticeGround.choices)
    explanation = clean_record_text(explanation, field="explanation", required=bool(ground))
    with transaction.atomic():
        current = lock(incident)
        require_open(current)
        if not current.is_breach:
            raise ValidationError("incidents.inform_not_breach", field="status")
        if current.subjects_settled:
            raise ValidationError("incidents.informed_already", field="status")
        now = clock.now()
        if how:
            current.subjects_informed_at = clean_moment(
                informed_at, field="informed_at", now=now, default=now, aware_at=current.aware_at
            )
            current.subjects_informed_how = how
            current.no_notice_reason = explanation
        else:
            current.no_notice_ground = ground
            current.no_notice_reason = explanation
        current.save()
        audit_incident(actor, "incidents.incident.inform_subjects", current, how=how, ground=ground)
    return copy_into(incident, current)


def incident_tell_customers(*, actor, incident: Incident, customer_numbers) -> list[CustomerNotice]:
    """Tell each named customer (by customer number) of a breach in the data we host for them:
    the facts of the assessment, the data affected and the contact point, so that they can make
    their own notice. All or nothing; a customer is told once."""
    require_officer(actor)
    numbers = []
    for raw in customer_numbers or ():
        try:
            numbers.append(normalise_customer_number(raw))
        except ValidationError:
            raise ValidationError("incidents.customer_number_form", field="customer_numbers") from None
    numbers = list(dict.fromkeys(numbers))
    if not numbers:
        raise ValidationError("incidents.customers_required", field="customer_numbers")
    customers = {c.number: c for c in Customer.objects.filter(number__in=numbers)}
    unknown = len(set(numbers) - set(customers))
    if unknown:  # the numbers themselves are not repeated: they may stand for a person
        raise ValidationError("incidents.customers_unknown", {"count": unknown}, field="customer_numbers")
    addresses = processor_notice_addresses([c.pk for c in customers.values()])
    if len(addresses) < len(customers):
        raise ValidationError("incidents.customer_without_email", field="customer_numbers")
    with transaction.atomic():
        current = lock(incident)
        require_open(current)
        if not current.is_breach:
            raise ValidationError("incidents.tell_not_breach", field="status")
        told = set(CustomerNotice.objects.filter(incident=current).values_list("customer_id", flat=True))
        todo = [c for c in customers.values() if c.pk not in told]
        if not todo:
            raise ValidationError("incidents.customers_told_already", field="customer_numbers")
        now = clock.now()
        made = [
            CustomerNotice.objects.create(incident=current, customer=c, told_at=now, told_by=actor)
            for c in sorted(todo, key=lambda c: c.pk)
        ]
        audit_incident(actor, "incidents.incident.tell_customers", current, notices=[n.pk for n in made])
        context = notices.mail_context(current) | {
            "categories": [f"{c} {datamap.CATEGORIES[c][0]}" for c in current.categories if c in datamap.CATEGORIES],
            "categories_en": [f"{c} {datamap.CATEGORIES[c][1]}" for c in current.categories if c in datamap.CATEGORIES],
            "consequences": current.consequences,
            "measures": current.measures,
            "subjects_count": current.subjects_count,
        }
        text = notices.render("customer_notice", "nl", context)
        for notice in made:  # one mail per customer: no customer sees another
            notices.send([addresses[notice.customer_id]], text)
    return made
