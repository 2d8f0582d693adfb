from waarborg.careers.models import JobApplication
from waarborg.core.datamap import APPLICATION_4W, SubjectRef, declare, pd

_A = dict(basis="legitimate_interest", retention=APPLICATION_4W, erasure="delete")

declare(
    JobApplication,
    dates={"procedure_end": "procedure_closed_at"},
    subject="the job applicant",
    anchor=True,
    fields={
        "first_name": pd(
            "D8",
            "user.name.first",
            "U13",
            portability="provided",
            identifier="name",
            **_A,
            label=("Voornaam", "First name"),
        ),
        "last_name": pd(
            "D8",
            "user.name.last",
            "U13",
            portability="provided",
            identifier="name",
            **_A,
            label=("Achternaam", "Last name"),
        ),
        "email": pd(
            "D8",
            "user.contact.email",
            "U13",
            portability="provided",
            identifier="email",
            **_A,
            label=("E-mailadres", "E-mail address"),
        ),
        "phone": pd(
            "D8",
            "user.contact.phone_number",
            "U13",
            portability="provided",
            identifier="phone",
            **_A,
            label=("Telefoonnummer", "Phone number"),
        ),
        "postcode": pd(
            "D8",
            "user.contact.address.postal_code",
            "U13",
            portability="provided",
            identifier="postcode",
            **_A,
            label=("Postcode", "Postcode"),
        ),
        "date_of_birth": pd(
            "D8",
            "user.demographic.date_of_birth",
            "U13",
            portability="provided",
            **_A,
            label=("Geboortedatum", "Date of birth"),
        ),
        "age_band": pd(
            "D8",
            "user.demographic.age_range",
            "U13",
            portability="provided",
            **_A,
            label=("Leeftijdsgroep", "Age group"),
        ),
        "parental_consent_ref": pd(
            "D8",
            "user.consent.parental",
            "U13",
            portability="provided",
            **_A,
            label=("Toestemming ouder of voogd", "Parent's or guardian's consent"),
        ),
        "position": pd(
            "D8", "user.workplace.application", "U13", portability="provided", **_A, label=("Functie", "Position")
        ),
        "motivation": pd(
            "D8", "user.workplace.application", "U13", portability="provided", **_A, label=("Motivatie", "Motivation")
        ),
        "cv": pd("D8", "user.workplace.application", "U13", portability="provided", **_A, label=("Cv", "CV")),
        "received_at": pd(
            "D8",
            "user.workplace.application_date",
            "U13",
            portability="observed",
            source="system",
            **_A,
            label=("Ontvangen op", "Received on"),
        ),
        "procedure_closed_at": pd(
            "D8",
            "user.workplace.application_date",
            "U13",
            portability="observed",
            source="staff",
            **_A,
            label=("Procedure afgerond op", "Procedure closed on"),
        ),
        "keep_consent_at": pd(
            "D8",
            "user.consent.date",
            "U13",
            portability="provided",
            **_A,
            label=("Toestemming om langer te bewaren op", "Consent to keep longer given on"),
        ),
    },
    label=("Sollicitatie", "Job application"),
    subject_ref=SubjectRef("application", rank=2),
    groups=("applicants",),
)
