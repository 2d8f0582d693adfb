"""Job applications (U13, M1).

Where the age is asked (a date of birth or an age band), an applicant under 16 without a
parent's or guardian's recorded consent is refused and nothing is stored.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.careers.models import JobApplication
from waarborg.core import clock
from waarborg.core.access import check_actor
from waarborg.core.actors import System
from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email, normalise_phone, normalise_postcode
from waarborg.customers.services import clean_choice, clean_text

APPLICANT = System("public")  # the audit trail's actor for an application sent from the website

MINIMUM_AGE_WITHOUT_PARENT = 16


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def age_band_for(age: int) -> str:
    if age < 16:
        return JobApplication.AgeBand.UNDER_16
    if age < 18:
        return JobApplication.AgeBand.FROM_16_TO_17
    return JobApplication.AgeBand.ADULT


def _clean_age(date_of_birth: dt.date | None, age_band: str, parental_consent_ref: str) -> str:
    band = age_band or ""
    if band:
        band = clean_choice(band, field="age_band", choices=JobApplication.AgeBand.choices)
    if date_of_birth is not None:
        today = clock.today()
        if date_of_birth > today:
            raise ValidationError("careers.birth_in_future", field="date_of_birth")
        derived = age_band_for(age_on(date_of_birth, today))
        if band and band != derived:
            raise ValidationError("careers.age_band_mismatch", field="age_band")
        band = derived
    if band == JobApplication.AgeBand.UNDER_16 and not parental_consent_ref:
        raise ValidationError("careers.under_16", field="parental_consent_ref")
    return band


@transaction.atomic
def job_application_submit(
    *,
    first_name: str,
    last_name: str,
    email: str,
    position: str,
    phone: str = "",
    postcode: str = "",
    date_of_birth: dt.date | None = None,
    age_band: str = "",
    parental_consent_ref: str = "",
    motivation: str = "",
    cv=None,
    actor=APPLICANT,
    purpose: str = "U13",
) -> JobApplication:
    """Store an application from the careers page (anyone may apply: the actor is the applicant,
    `System("public")`, unless staff register it)."""
    parental = clean_text(parental_consent_ref, field="parental_consent_ref", max_length=64)
    band = _clean_age(date_of_birth, age_band, parental)
    clean = {
        "first_name": clean_text(first_name, field="first_name", max_length=80, required=True),
        "last_name": clean_text(last_name, field="last_name", max_length=120, required=True),
        "email": normalise_email(email),
        "phone": normalise_phone(phone) if (phone or "").strip() else "",
        "postcode": normalise_postcode(postcode) if (postcode or "").strip() else "",
        "date_of_birth": date_of_birth,
        "age_band": band,
        "parental_consent_ref": parental,
        "position": clean_text(position, field="position", max_length=120, required=True),
        "motivation": clean_text(motivation, field="motivation", multiline=True),
    }
    application = JobApplication(received_at=clock.now(), **clean)
    if cv is not None:
        application.cv.save(getattr(cv, "name", "cv") or "cv", cv, save=False)
    application.save()
    fields = sorted(k for k, v in clean.items() if v) + (["cv"] if cv is not None else [])
    audit_record(
        actor=actor,
        action="application.submit",
        purpose=purpose,
        object_type="careers.jobapplication",
        object_ids=[application.pk],
        subject_ref=f"application:{application.pk}",
        data={"fields": fields, "age_band": band},
    )
    return application


@transaction.atomic
def application_close(*, actor, application: JobApplication, purpose: str = "U13") -> JobApplication:
    """End the procedure for this applicant; the retention term counts from now."""
    check_actor(actor=actor, scope="applications", customers_may=False)
    current = JobApplication.objects.select_for_update().get(pk=application.pk)
    if current.procedure_closed_at is not None:
        raise ValidationError("careers.closed_already", field="procedure_closed_at")
    current.procedure_closed_at = clock.now()
    current.save(update_fields=["procedure_closed_at"])
    audit_record(
        actor=actor,
        action="application.close",
        purpose=purpose,
        object_type="careers.jobapplication",
        object_ids=[current.pk],
        subject_ref=f"application:{current.pk}",
        data={"fields": ["procedure_closed_at"]},
    )
    application.procedure_closed_at = current.procedure_closed_at
    return current


@transaction.atomic
def application_keep_consent(*, actor, application: JobApplication, purpose: str = "U13") -> JobApplication:
    """The applicant agreed that the application is kept for a year."""
    current = JobApplication.objects.select_for_update().get(pk=application.pk)
    check_actor(actor=actor, scope="applications", customers_may=False)
    current.keep_consent_at = clock.now()
    current.save(update_fields=["keep_consent_at"])
    audit_record(
        actor=actor,
        action="application.keep_consent",
        purpose=purpose,
        object_type="careers.jobapplication",
        object_ids=[current.pk],
        subject_ref=f"application:{current.pk}",
        data={"fields": ["keep_consent_at"]},
    )
    application.keep_consent_at = current.keep_consent_at
    return current
