from waarborg.core.datamap import COMPLAINT_2Y, Link, declare, exempt, pd, retention
from waarborg.customers.personal_data import NATURAL
from waarborg.incidents.models import CustomerNotice, Incident

# The record of an incident is the proof the Autoriteit Persoonsgegevens may ask for (GDPR art.
# 33(5)); it can act on a breach for five years after it (Awb art. 5:45), so the record is kept
# that long after the incident is closed — also against an erasure request (art. 17(3)(b)).
INCIDENT_RECORD_5Y = retention(
    "incident_record_5y",
    "closed",
    years=5,
    nl="5 jaar na het afsluiten van het incident, als verantwoording aan de toezichthouder.",
    en="5 years after the incident is closed, as accountability to the regulator.",
)

_RECORD = dict(purposes="U12 U14", basis="legal_obligation", retention=INCIDENT_RECORD_5Y, erasure="retain")

declare(
    Incident,
    dates={"closed": "closed_at"},
    subject="the person who reported the incident (known only by the e-mail address they gave)",
    anchor=True,  # stands alone: a report may come from anyone, customer or not
    fields={
        # What the reporter wrote may name people; it is the facts of the record (art. 33(5)).
        "description": pd(
            "D11",
            "user.correspondence.incident_report",
            portability="provided",
            **_RECORD,
            label=("Omschrijving", "Description"),
        ),
        "received_at": pd(
            "D11",
            "user.correspondence.date",
            portability="observed",
            source="system",
            **_RECORD,
            label=("Ontvangen op", "Received on"),
        ),
        # Only for replying to the reporter: the term of a complaint, then cleared; it goes on
        # an erasure request, while the record of the incident stays.
        "reporter_email": pd(
            "D3",
            "user.contact.email",
            "U12",
            "legitimate_interest",
            COMPLAINT_2Y,
            "delete",
            "provided",
            identifier="email",
            label=("E-mailadres van de melder", "Reporter's e-mail address"),
        ),
    },
    # The assessment and its texts are the controller's and are refused when they look like
    # personal data (an address, a number); staff accounts are named by id.
    not_personal=(
        "number",
        "channel",
        "status",
        "aware_at",
        "kind",
        "triaged_at",
        "triaged_by",
        "triage_reasons",
        "registered_by",
        "is_breach",
        "risk",
        "categories",
        "subjects_count",
        "consequences",
        "measures",
        "assessment_reasons",
        "assessed_at",
        "assessed_by",
        "authority_notified_at",
        "authority_reference",
        "delay_reasons",
        "subjects_informed_at",
        "subjects_informed_how",
        "no_notice_ground",
        "no_notice_reason",
        "conclusion",
        "closed_at",
        "closed_by",
    ),
    label=("Melding van een incident", "Incident report"),
    context=("number", "channel", "status"),
)

exempt("incidents.IncidentWarning", why="the stage and time of a 72-hour warning about an incident: no personal data")

declare(
    CustomerNotice,
    dates={"closed": "incident__closed_at"},
    subject="the customer told of a breach in the data we process for them",
    fields={
        "told_at": pd(
            "D11",
            "user.correspondence.date",
            portability="observed",
            source="system",
            **_RECORD,
            label=("Geïnformeerd op", "Informed on"),
        ),
    },
    not_personal=("incident", "customer", "told_by"),
    links=(Link("customer", "customers.Customer", "breach notice to this customer", up_when=NATURAL),),
    label=("Bericht over een incident", "Notice of an incident"),
)
