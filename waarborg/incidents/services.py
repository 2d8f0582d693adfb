"""Writes of the incident register (B6, X6; GDPR art. 33–34).

The lifecycle: `incident_report` (anyone, the public form) or `incident_register` (staff, the
shell) → `incident_assess` (the privacy officer: a breach? what risk, which data, how many
people, consequences, measures, and why) → `incident_notify_authority` (art. 33, within 72 hours
of becoming aware, or with the reasons for the delay) and `incident_inform_subjects` (art. 34,
or the art. 34(3) ground why not) → `incident_close`, which refuses while a duty is open.

Every service validates first, then writes and records its audit event in one transaction: a
refused call leaves nothing behind. Audit events name the incident number and codes, never the
description, an address or a free-text reason. Refusals are ValidationErrors naming the field,
in the active language.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from waarborg.accounts.models import Account
from waarborg.audit.services import audit_record
from waarborg.core import clock, datamap, roles
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.core.identifiers import normalise_email
from waarborg.core.redact import LOOKS_PERSONAL
from waarborg.customers.services import clean_choice, clean_text, save_numbered
from waarborg.incidents import notices
from waarborg.incidents.models import NOTIFY_HOURS, CustomerNotice, Incident, IncidentWarning
from waarborg.privacy.validation import clean_free_text

log = logging.getLogger(__name__)

SCOPE = "incidents"
NUMBER_PREFIX = "I"
NUMBER_DIGITS = 5
AUDIT_PURPOSE = "U14"  # the breach register is a statutory obligation (art. 33(5))
DESCRIPTION_MAX = 4000
TEXT_MAX = 4000
SOON_HOURS = 24  # warnings 24 hours after awareness, when this close to the deadline, and when passed
REFERENCE_MAX = 64

Channel = Incident.Channel
Status = Incident.Status
Risk = Incident.Risk

STAFF_CHANNELS = (Channel.STAFF, Channel.SYSTEM, Channel.PORTAL)
SHELL_ACTORS = ("cli", "system")


# The fields a refusal names, in the active language (the CLI runs in English: the code names).
FIELD_LABELS = {
    "description": pgettext_lazy("incident field", "description"),
    "reporter_email": pgettext_lazy("incident field", "reporter_email"),
    "received_at": pgettext_lazy("incident field", "received_at"),
    "aware_at": pgettext_lazy("incident field", "aware_at"),
    "reasons": pgettext_lazy("incident field", "reasons"),
    "measures": pgettext_lazy("incident field", "measures"),
    "consequences": pgettext_lazy("incident field", "consequences"),
    "reference": pgettext_lazy("incident field", "reference"),
    "notified_at": pgettext_lazy("incident field", "notified_at"),
    "delay_reasons": pgettext_lazy("incident field", "delay_reasons"),
    "informed_at": pgettext_lazy("incident field", "informed_at"),
    "explanation": pgettext_lazy("incident field", "explanation"),
    "conclusion": pgettext_lazy("incident field", "conclusion"),
    "at": pgettext_lazy("incident field", "at"),
}


def label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


@dataclass(frozen=True)
class Reported:
    incident: Incident
    confirmed: bool  # a confirmation went to the reporter's address


# --- Validation -------------------------------------------------------------------------------


def refuse_personal(text: str, *, field: str) -> None:
    """The register's own texts hold no personal data: refuse what looks like an address, a
    phone number, an IBAN, a postcode or an IP address (describe it, do not copy it)."""
    for pattern in LOOKS_PERSONAL:
        if pattern.search(text or ""):
            raise ValidationError(
                _(
                    "%(field)s may not contain personal data such as an e-mail address, phone number, IBAN, "
                    "postcode or IP address: describe what happened without copying it"
                )
                % {"field": label(field)},
                field=field,
            )


def clean_record_text(value, *, field: str, required: bool = False, max_length: int = TEXT_MAX) -> str:
    try:
        text = clean_free_text(value, field=field, max_length=max_length, required=required)
    except ValidationError as error:
        raise ValidationError(_message(error, field, max_length), field=field) from None
    refuse_personal(text, field=field)
    return text


def _message(error: ValidationError, field: str, max_length: int) -> str:
    text = str(error)
    if text.endswith("is required"):
        return _("%(field)s is required") % {"field": label(field)}
    if "longer than" in text:
        return _("%(field)s is longer than %(max)s characters") % {"field": label(field), "max": max_length}
    if "BSN" in text:
        return _(
            "%(field)s contains a number that looks like a BSN (citizen service number); we never store one — "
            "leave it out"
        ) % {"field": label(field)}
    return text


def _clean_description(value) -> str:
    try:
        return clean_free_text(value, field="description", max_length=DESCRIPTION_MAX, required=True)
    except ValidationError as error:
        raise ValidationError(_message(error, "description", DESCRIPTION_MAX), field="description") from None


def _clean_email(value) -> str:
    if not (value or "").strip():
        return ""
    try:
        return normalise_email(value)
    except ValidationError:
        raise ValidationError(_("reporter_email is not a valid e-mail address"), field="reporter_email") from None


def parse_moment(value, *, field: str) -> dt.datetime:
    """A moment as an aware datetime: a datetime, a date (its start in Amsterdam), or text
    'YYYY-MM-DD HH:MM' / 'YYYY-MM-DD' in Amsterdam time."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=clock.AMSTERDAM)
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0, 0), tzinfo=clock.AMSTERDAM)
    else:
        text = " ".join(str(value or "").replace("T", " ").split())
        moment = None
        for form in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                moment = dt.datetime.strptime(text, form).replace(tzinfo=clock.AMSTERDAM)
                break
            except ValueError:
                continue
        if moment is None:
            raise ValidationError(
                _("%(field)s is not a moment in the form YYYY-MM-DD HH:MM") % {"field": label(field)}, field=field
            )
    return moment.astimezone(dt.UTC)


def _clean_moment(value, *, field: str, now: dt.datetime, default: dt.datetime, not_before=None) -> dt.datetime:
    moment = default if value in (None, "") else parse_moment(value, field=field)
    if moment > now + dt.timedelta(minutes=5):
        raise ValidationError(_("%(field)s lies in the future") % {"field": label(field)}, field=field)
    if not_before is not None and moment < not_before[0]:
        raise ValidationError(not_before[1], field=field)
    return moment


def _clean_categories(values) -> list[str]:
    chosen = sorted(set(values or ()), key=lambda code: int(code[1:]) if code[1:].isdigit() else 99)
    wrong = [c for c in chosen if c not in datamap.CATEGORIES]
    if wrong:
        raise ValidationError(_("categories must be data categories D1–D11"), field="categories")
    return chosen


def _clean_count(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if count < 0 or count > 100_000_000:
        raise ValidationError(_("subjects_count must be a whole number of people, 0 or more"), field="subjects_count")
    return count


# --- Who may ----------------------------------------------------------------------------------


def _require_officer(actor) -> Account:
    if not isinstance(actor, Account) or not roles.can(actor, SCOPE):
        raise PermissionDenied("only the privacy officer may handle incidents")
    return actor


def _require_staff(actor) -> Account | None:
    if isinstance(actor, str) and actor in SHELL_ACTORS:
        return None
    if isinstance(actor, Account) and actor.is_active and actor.is_staff_role:
        return actor
    raise PermissionDenied("only staff may register an incident")


# --- Helpers ----------------------------------------------------------------------------------


def _audit(actor, action: str, incident: Incident, **data) -> None:
    audit_record(
        actor=actor,
        action=action,
        purpose=AUDIT_PURPOSE,
        object_type="incidents.incident",
        object_ids=[incident.pk],
        subject_ref=f"incident:{incident.pk}",
        data={"incident": incident.number, **data},
    )


def _lock(incident: Incident) -> Incident:
    try:
        return Incident.objects.select_for_update().get(pk=incident.pk)
    except Incident.DoesNotExist:
        raise NotFound(f"incidents.incident {incident.pk} not found") from None


def _require_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("incident %(number)s is closed") % {"number": incident.number}, field="status")


def _copy(target: Incident, source: Incident) -> Incident:
    for f in Incident._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def _create(*, actor, channel, description, reporter_email, received_at, aware_at, registered_by) -> Incident:
    incident = Incident(
        channel=channel,
        description=description,
        reporter_email=reporter_email,
        received_at=received_at,
        aware_at=aware_at,
        registered_by=registered_by,
    )
    save_numbered(incident, prefix=NUMBER_PREFIX, width=NUMBER_DIGITS)
    _audit(actor, "incidents.incident.report", incident, channel=channel, reply_address=bool(reporter_email))
    return incident


# --- Reporting --------------------------------------------------------------------------------


def incident_report(*, description, reporter_email="", channel=Channel.FORM, language: str = "nl") -> Reported:
    """Anyone reports suspected misuse. The clock starts on receipt; the reporter, if they gave an
    address, gets a confirmation with the number — the same text whoever they are. A mail that
    cannot go out does not lose the report (it is logged without the address)."""
    description = _clean_description(description)
    email = _clean_email(reporter_email)
    channel = clean_choice(channel, field="channel", choices=(Channel.FORM, Channel.PORTAL))
    now = clock.now()
    with transaction.atomic():
        incident = _create(
            actor="reporter",
            channel=channel,
            description=description,
            reporter_email=email,
            received_at=now,
            aware_at=now,
            registered_by=None,
        )
    confirmed = False
    if email:
        try:
            text = notices.render("confirmation", language, _mail_context(incident))
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
) -> Incident:
    """Staff record an incident they learnt of (by phone, e-mail, monitoring). `aware_at` is when
    we became reasonably certain of it (default: when it was received); the clock counts from it."""
    account = _require_staff(actor)
    description = _clean_description(description)
    email = _clean_email(reporter_email)
    channel = clean_choice(channel, field="channel", choices=STAFF_CHANNELS)
    now = clock.now()
    received = _clean_moment(received_at, field="received_at", now=now, default=now)
    aware = _clean_moment(aware_at, field="aware_at", now=now, default=received)
    with transaction.atomic():
        return _create(
            actor=actor,
            channel=channel,
            description=description,
            reporter_email=email,
            received_at=received,
            aware_at=aware,
            registered_by=account,
        )


# --- Handling ---------------------------------------------------------------------------------


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
    """The privacy officer's assessment; it may be revised while the incident is open (art. 33(4):
    information may come in phases). For a breach: the risk, the data and people affected, the
    likely consequences, the measures and the reasons for the (non-)reporting decision."""
    _require_officer(actor)
    if not isinstance(is_breach, bool):
        raise ValidationError(_("is_breach must be yes or no"), field="is_breach")
    reasons = clean_record_text(reasons, field="reasons", required=True)
    measures = clean_record_text(measures, field="measures", required=is_breach)
    if is_breach:
        risk = clean_choice(risk, field="risk", choices=Risk.choices) if risk else ""
        if not risk:
            raise ValidationError(_("risk is required for a personal-data breach"), field="risk")
        categories = _clean_categories(categories)
        if not categories:
            raise ValidationError(_("categories: name at least one data category affected"), field="categories")
        count = _clean_count(subjects_count)
        if count is None:
            raise ValidationError(
                _("subjects_count is required for a personal-data breach (an estimate will do)"),
                field="subjects_count",
            )
        consequences = clean_record_text(consequences, field="consequences", required=True)
    else:
        risk, categories, count = "", [], None
        consequences = clean_record_text(consequences, field="consequences")
    with transaction.atomic():
        current = _lock(incident)
        _require_open(current)
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
        _audit(
            actor,
            "incidents.incident.assess",
            current,
            breach=is_breach,
            risk=risk,
            categories=categories,
            subjects=count,
            reportable=current.reportable,
        )
    return _copy(incident, current)


def incident_notify_authority(*, actor, incident: Incident, reference, notified_at=None, delay_reasons="") -> Incident:
    """Record the notification to the Autoriteit Persoonsgegevens (art. 33). After the 72 hours
    the reasons for the delay are required (art. 33(1))."""
    _require_officer(actor)
    reference = clean_text(reference, field="reference", max_length=REFERENCE_MAX, required=False)
    if not reference:
        raise ValidationError(
            _("reference is required: the number the authority gave the notification"), field="reference"
        )
    refuse_personal(reference, field="reference")
    delay_reasons = clean_record_text(delay_reasons, field="delay_reasons")
    with transaction.atomic():
        current = _lock(incident)
        _require_open(current)
        if not current.is_breach:
            raise ValidationError(
                _("only an incident assessed as a personal-data breach is notified to the authority"),
                field="status",
            )
        if current.authority_notified_at is not None:
            raise ValidationError(_("the authority was notified already"), field="status")
        now = clock.now()
        at = _clean_moment(
            notified_at,
            field="notified_at",
            now=now,
            default=now,
            not_before=(current.aware_at, _("notified_at lies before the moment we became aware")),
        )
        late = at > current.due_at
        if late and not delay_reasons:
            raise ValidationError(
                _("delay_reasons are required: the notification is more than %(hours)s hours after becoming aware")
                % {"hours": NOTIFY_HOURS},
                field="delay_reasons",
            )
        current.authority_notified_at = at
        current.authority_reference = reference
        current.delay_reasons = delay_reasons if late else ""
        current.save()
        _audit(actor, "incidents.incident.notify_authority", current, late=late)
    return _copy(incident, current)


def incident_inform_subjects(
    *, actor, incident: Incident, how="", informed_at=None, ground="", explanation=""
) -> Incident:
    """Record that the people affected were told (art. 34(1)) and how — or the art. 34(3) ground
    why they were not, with its explanation."""
    _require_officer(actor)
    if bool(how) == bool(ground):
        raise ValidationError(_("give either how the people were informed, or the ground why not"), field="how")
    if how:
        how = clean_choice(how, field="how", choices=Incident.Informed.choices)
    else:
        ground = clean_choice(ground, field="ground", choices=Incident.NoNoticeGround.choices)
    explanation = clean_record_text(explanation, field="explanation", required=bool(ground))
    with transaction.atomic():
        current = _lock(incident)
        _require_open(current)
        if not current.is_breach:
            raise ValidationError(_("only the people affected by a personal-data breach are informed"), field="status")
        if current.subjects_settled:
            raise ValidationError(_("this was recorded already"), field="status")
        now = clock.now()
        if how:
            current.subjects_informed_at = _clean_moment(
                informed_at,
                field="informed_at",
                now=now,
                default=now,
                not_before=(current.aware_at, _("informed_at lies before the moment we became aware")),
            )
            current.subjects_informed_how = how
            current.no_notice_reason = explanation
        else:
            current.no_notice_ground = ground
            current.no_notice_reason = explanation
        current.save()
        _audit(actor, "incidents.incident.inform_subjects", current, how=how, ground=ground)
    return _copy(incident, current)


def incident_close(*, actor, incident: Incident, conclusion="") -> Incident:
    """Close the record. Refused while it is not assessed, while a reportable breach is not
    notified, or while a high-risk breach's people are neither informed nor a ground recorded."""
    _require_officer(actor)
    conclusion = clean_record_text(conclusion, field="conclusion")
    with transaction.atomic():
        current = _lock(incident)
        _require_open(current)
        if not current.is_assessed:
            raise ValidationError(_("assess the incident before closing it"), field="status")
        if current.reportable and current.authority_notified_at is None:
            raise ValidationError(
                _("a reportable breach is closed only after the authority was notified"), field="status"
            )
        if current.high_risk and not current.subjects_settled:
            raise ValidationError(
                _("a high-risk breach is closed only after the people affected were informed, or the ground why not"),
                field="status",
            )
        current.conclusion = conclusion
        current.status = Status.CLOSED
        current.closed_at = clock.now()
        current.closed_by = actor
        current.save()
        _audit(actor, "incidents.incident.close", current)
    return _copy(incident, current)


# --- As processor: telling the customers whose own data a breach touched (art. 33(2), X7) ---


def incident_tell_customers(*, actor, incident: Incident, customer_numbers) -> list[CustomerNotice]:
    """Tell each named customer (by customer number) of a breach in the data we host for them:
    the facts of the assessment, the data affected and the contact point, so that they can make
    their own notice. All or nothing; a customer is told once."""
    from waarborg.core.identifiers import normalise_customer_number
    from waarborg.customers.models import Customer
    from waarborg.register.selectors import processor_notice_addresses

    _require_officer(actor)
    numbers = []
    for raw in customer_numbers or ():
        try:
            numbers.append(normalise_customer_number(raw))
        except ValidationError:
            raise ValidationError(_("a customer number looks like K100001"), field="customer_numbers") from None
    numbers = list(dict.fromkeys(numbers))
    if not numbers:
        raise ValidationError(_("name the customers whose data the breach touched"), field="customer_numbers")
    customers = {c.number: c for c in Customer.objects.filter(number__in=numbers)}
    unknown = len(set(numbers) - set(customers))
    if unknown:  # the numbers themselves are not repeated: they may stand for a person
        raise ValidationError(
            _("%(count)s of these customer numbers are unknown") % {"count": unknown}, field="customer_numbers"
        )
    addresses = processor_notice_addresses([c.pk for c in customers.values()])
    if len(addresses) < len(customers):
        raise ValidationError(_("a customer has no e-mail address to tell"), field="customer_numbers")
    with transaction.atomic():
        current = _lock(incident)
        _require_open(current)
        if not current.is_breach:
            raise ValidationError(_("assess the incident as a personal-data breach first"), field="status")
        told = set(CustomerNotice.objects.filter(incident=current).values_list("customer_id", flat=True))
        todo = [c for c in customers.values() if c.pk not in told]
        if not todo:
            raise ValidationError(_("these customers were told already"), field="customer_numbers")
        now = clock.now()
        made = [
            CustomerNotice.objects.create(incident=current, customer=c, told_at=now, told_by=actor)
            for c in sorted(todo, key=lambda c: c.pk)
        ]
        _audit(actor, "incidents.incident.tell_customers", current, notices=[n.pk for n in made])
        context = _mail_context(current) | {
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


# --- The 72-hour warnings (the daily job) -----------------------------------------------------

STAGES = ("day_one", "due_soon", "overdue")  # 24 hours after awareness, 24 hours left, passed


def clock_running(incident: Incident) -> bool:
    """The 72-hour clock runs while the incident is open and not assessed, or is a reportable
    breach not yet notified."""
    if not incident.is_open:
        return False
    if not incident.is_assessed:
        return True
    return incident.reportable and incident.authority_notified_at is None


def warning_stage(incident: Incident, now: dt.datetime) -> str | None:
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
    """Mail the privacy officers once per stage reached: 24 hours after awareness (48 hours left),
    24 hours left, and past the deadline.
    Recorded, so a rerun sends nothing; an incident first seen past its deadline gets only the
    overdue warning. A mail that fails is not recorded and goes on the next run."""
    now = now or clock.now()
    counts = {"warnings": 0, "failed": 0}
    lang = notices.language(settings.LANGUAGE_CODE)
    candidates = (
        Incident.objects.filter(status__in=Incident.OPEN_STATUSES, aware_at__lte=now - dt.timedelta(hours=SOON_HOURS))
        .filter(
            Q(is_breach__isnull=True)
            | Q(is_breach=True, risk__in=(Risk.RISK, Risk.HIGH), authority_notified_at__isnull=True)
        )
        .order_by("aware_at", "pk")
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
                    actor="system",
                    action="incidents.incident.warn",
                    purpose=AUDIT_PURPOSE,
                    object_type="incidents.incidentwarning",
                    object_ids=[warning.pk],
                    subject_ref=f"incident:{incident.pk}",
                    data={"incident": incident.number, "stage": stage, "recipients": len(to)},
                )
                context = _mail_context(incident) | {
                    "stage": stage,
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
    """Whole hours to the deadline, rounded down; negative once it has passed."""
    return int((incident.due_at - now).total_seconds() // 3600)


def _mail_context(incident: Incident) -> dict:
    return {
        "controller": settings.WAARBORG_CONTROLLER,
        "site_url": settings.WAARBORG_SITE_URL,
        "number": incident.number,
        "received": incident.received_at.astimezone(clock.AMSTERDAM),
        "aware": incident.aware_at.astimezone(clock.AMSTERDAM),
        "due": incident.due_at.astimezone(clock.AMSTERDAM),
    }
