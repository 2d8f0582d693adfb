from waarborg.careers.models import JobApplication
from waarborg.core.datamap import APPLICATION_4W, declare, pd

_A = dict(basis="legitimate_interest", retention=APPLICATION_4W, erasure="delete")

declare(
    JobApplication,
    dates={"procedure_end": "procedure_closed_at"},
    subject="the job applicant",
    anchor=True,
    fields={
        "first_name": pd("D8", "user.name.first", "U13", portability="provided", identifier="name", **_A),
        "last_name": pd("D8", "user.name.last", "U13", portability="provided", identifier="name", **_A),
        "email": pd("D8", "user.contact.email", "U13", portability="provided", identifier="email", **_A),
        "phone": pd("D8", "user.contact.phone_number", "U13", portability="provided", identifier="phone", **_A),
        "postcode": pd(
            "D8", "user.contact.address.postal_code", "U13", portability="provided", identifier="postcode", **_A
        ),
        "date_of_birth": pd("D8", "user.demographic.date_of_birth", "U13", portability="provided", **_A),
        "age_band": pd("D8", "user.demographic.age_range", "U13", portability="provided", **_A),
        "parental_consent_ref": pd("D8", "user.consent.parental", "U13", portability="provided", **_A),
        "position": pd("D8", "user.workplace.application", "U13", portability="provided", **_A),
        "motivation": pd("D8", "user.workplace.application", "U13", portability="provided", **_A),
        "cv": pd("D8", "user.workplace.application", "U13", portability="provided", **_A),
        "received_at": pd(
            "D8", "user.workplace.application_date", "U13", portability="observed", source="system", **_A
        ),
        "procedure_closed_at": pd(
            "D8", "user.workplace.application_date", "U13", portability="observed", source="staff", **_A
        ),
        "keep_consent_at": pd("D8", "user.consent.date", "U13", portability="provided", **_A),
    },
)
