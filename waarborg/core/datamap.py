"""The personal-data map: the single source of truth about every personal field.

Each app declares its models in `personal_data.py` with `declare(...)`: every personal field
with its label in Dutch and English, the record's own name, the not-personal fields a record may
show as its context, and how the audit trail names the subject. Beside the fields, an app
declares in its `AppConfig.ready` what the engines must know of its data: stored files named by a
text column (`stored_files`) and terms a recorded consent extends (`retention_extension`).
Generic engines (the subject finder, the access and portability packages, erasure, the retention
sweep, the register) read this map and know no model by name. The system check in `checks.py`
refuses to start when a model field is neither declared here nor marked not personal, or when a
label is missing. `waarborg.core.datamap_output` prints the map.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q

from waarborg.core.map_words import CONTEXT_LABELS, SUBJECT_GROUPS  # noqa: F401  (SUBJECT_GROUPS: re-exported vocabulary)

# --- The vocabularies (ids from the privacy statement's promises) -------------------------

CATEGORIES: dict[str, tuple[str, str]] = {
    "D1": ("Bedrijfsnaam en -gegevens", "Company name and details"),
    "D2": ("NAW-gegevens contactpersoon", "Contact person's name and address"),
    "D3": ("E-mailadres contactpersoon", "Contact person's e-mail address"),
    "D4": ("Telefoonnummer contactpersoon", "Contact person's phone number"),
    "D5": ("Inloggegevens en klantnummer", "Login data and customer number"),
    "D6": ("IP-adres", "IP address"),
    "D7": ("Betaalgegevens", "Payment data"),
    "D8": ("Werkgerelateerde persoonsgegevens", "Work-related personal data"),
    "D9": ("Cookies", "Cookies"),
    "D10": ("Serverlogs", "Server logs"),
    "D11": ("E-mail en andere correspondentie", "E-mail and other correspondence"),
}

PURPOSES: dict[str, tuple[str, str]] = {
    "U1": ("Het aangaan en uitvoeren van de overeenkomst", "Entering into and performing the agreement"),
    "U2": ("Toegang tot website en diensten", "Access to the website and services"),
    "U3": ("Factureren", "Invoicing"),
    "U4": ("Betalingen controleren", "Checking payments"),
    "U5": ("Ondersteuning", "Support"),
    "U6": ("Updates, notificaties en contact", "Updates, notifications and contact"),
    "U7": ("Het laten functioneren van de website", "Operating the website"),
    "U8": ("Inzicht in het gebruik van de website", "Insight into website use"),
    "U9": ("Verbeteren en evalueren van website en diensten", "Improving and evaluating website and services"),
    "U10": ("Content afstemmen op interesses", "Tailoring content to interests"),
    "U11": ("Klachten behandelen", "Handling complaints"),
    "U12": ("Beveiliging en fraudebestrijding", "Security and fraud prevention"),
    "U13": ("Sollicitaties behandelen", "Handling job applications"),
    "U14": ("Wettelijke administratieve verplichtingen", "Statutory administrative obligations"),
    "U15": (
        "Reageren op dagvaardingen, bevelen en juridische claims",
        "Responding to subpoenas, court orders and legal claims",
    ),
}

BASES: dict[str, tuple[str, str, str]] = {
    # key: (nl, en, GDPR article)
    "contract": ("Uitvoering van de overeenkomst", "Performance of a contract", "art. 6(1)(b)"),
    "legal_obligation": ("Wettelijke verplichting", "Legal obligation", "art. 6(1)(c)"),
    "legitimate_interest": ("Gerechtvaardigd belang", "Legitimate interest", "art. 6(1)(f)"),
    "consent": ("Toestemming", "Consent", "art. 6(1)(a)"),
    # Keeping the record of a claim to establish, exercise or defend it: a legitimate interest
    # that an erasure request does not end (art. 17(3)(e)) and an objection does not stop (art. 21(1)).
    "legal_claim": (
        "Gerechtvaardigd belang: een rechtsvordering instellen, uitoefenen of verdedigen",
        "Legitimate interest: establishing, exercising or defending a legal claim",
        "art. 6(1)(f), art. 17(3)(e)",
    ),
}

ERASURE = ("delete", "anonymise", "pseudonymise", "retain")
PORTABILITY = ("provided", "observed", "derived", "excluded")
IDENTIFIERS = ("email", "phone", "customer_number", "ip", "name", "postcode", "iban", "domain")

# Recipient categories (the register holds the concrete organisations per category).
RECIPIENT_CATEGORIES: dict[str, tuple[str, str]] = {
    "datacenter": ("Datacenter en hostingpartner (verwerker)", "Data centre and hosting partner (processor)"),
    "registry": ("Domeinnaamregistrar en registry (SIDN e.a.)", "Domain registrar and registry (SIDN etc.)"),
    "certificate_authority": ("Certificaatautoriteit", "Certificate authority"),
    "payment_provider": ("Betaaldienstverlener en bank", "Payment service provider and bank"),
    "mail_provider": ("E-mailverzending (verwerker)", "E-mail delivery (processor)"),
    "accountant": ("Accountant", "Accountant"),
    "tax_authority": ("Belastingdienst (bij controle)", "Tax authority (on audit)"),
    "bailiff": ("Gerechtsdeurwaarder", "Bailiff"),
}


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def add_term(day: dt.date, *, years: int = 0, months: int = 0, days: int = 0) -> dt.date:
    """Calendar arithmetic: 31 January + 1 month is the last day of February."""
    month_index = day.month - 1 + months + 12 * years
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last)) + dt.timedelta(days=days)


def local_date(moment) -> dt.date:
    """The calendar day of a date or timestamp, in Amsterdam."""
    if isinstance(moment, dt.datetime):
        return moment.astimezone(AMSTERDAM).date() if moment.tzinfo else moment.date()
    return moment


def first_day_gone(anchor_date, *, years: int = 0, months: int = 0, days: int = 0, fiscal: bool = False):
    """The first day data kept for a term is gone (None while the anchor lies ahead).

    A term counted from a day runs to the end of the day it reaches (anchor + term): that is the
    last day the data is kept, and it goes the day after — 31 December of the invoice year + 7
    years is the last day an invoice is kept, so it goes on 1 January of the year after. A rule
    without a term keeps data until its anchor (the end of the relationship, the identity
    check): it goes that day. `fiscal` counts from 31 December of the anchor's year (AWR art.
    52: the conservative reading of the seven years).
    """
    if anchor_date is None:
        return None
    day = local_date(anchor_date)
    if fiscal:
        day = dt.date(day.year, 12, 31)
    if not (years or months or days):
        return day
    return add_term(day, years=years, months=months, days=days) + dt.timedelta(days=1)


# --- Retention rules are data: anchor + term, read by the sweep, the access report and the statement.


@dataclass(frozen=True)
class Retention:
    key: str
    anchor: str  # what the term counts from
    years: int = 0
    months: int = 0
    days: int = 0
    restricted: bool = False  # kept locked away from staff meanwhile (R4)
    nl: str = ""
    en: str = ""

    @property
    def has_term(self) -> bool:
        return self.anchor in ANCHORS

    def purge_date(self, anchor_date) -> dt.date | None:
        """The day the data goes: the first day after its term (`first_day_gone`); None while
        the anchor lies ahead."""
        return first_day_gone(
            anchor_date,
            years=self.years,
            months=self.months,
            days=self.days,
            fiscal=self.anchor == "fiscal_year_end",
        )

    def kept_until(self, anchor_date) -> dt.date | None:
        """The last day the data is kept (the day before `purge_date`)."""
        gone = self.purge_date(anchor_date)
        return None if gone is None else gone - dt.timedelta(days=1)

    def describe(self, lang: str = "nl") -> str:
        return self.nl if lang == "nl" else self.en


ANCHORS = {
    "relationship_end": ("het einde van de klantrelatie", "the end of the customer relationship"),
    "event": ("het moment van vastleggen", "the moment it was recorded"),
    "fiscal_year_end": ("31 december van het boekjaar", "31 December of the financial year"),
    "procedure_end": ("het einde van de sollicitatieprocedure", "the end of the application procedure"),
    "verification": ("de identiteitscontrole", "the identity check"),
    "closed": ("het sluiten van het dossier", "the closing of the case"),
    "claim_closed": ("het sluiten van de incassozaak", "the closing of the collection case"),
    "withdrawal": ("het intrekken of vervallen", "the withdrawal or lapse"),
    "employment_end": ("het einde van het dienstverband", "the end of employment"),
}

RETENTION: dict[str, Retention] = {}


def retention(key: str, anchor: str, *, years=0, months=0, days=0, restricted=False, nl="", en=""):
    rule = Retention(key, anchor, years, months, days, restricted, nl, en)
    RETENTION[key] = rule
    return rule


WHILE_CUSTOMER = retention(
    "while_customer",
    "relationship_end",
    nl="Zolang u klant bent; bij het einde van de overeenkomst gewist (vergeetverzoek).",
    en="As long as you are a customer; erased when the contract ends (erasure request).",
)
FISCAL_7Y = retention(
    "fiscal_7y",
    "fiscal_year_end",
    years=7,
    restricted=True,
    nl=(
        "Fiscale bewaarplicht: tot en met 31 december van het factuurjaar plus 7 jaar, afgeschermd; "
        "op 1 januari daarna gewist."
    ),
    en=(
        "Fiscal retention: up to and including 31 December of the invoice year plus 7 years, locked away; "
        "erased on the 1 January after that."
    ),
)
# The record of a claim (a contest and the decision on it, the file handed to a bailiff) is kept
# to establish or defend the claim (art. 17(3)(e) GDPR) until it is time-barred: 5 years (art.
# 3:307 BW), counted from the day the collection case closed. Not a fiscal record.
LEGAL_CLAIM_5Y = retention(
    "legal_claim_5y",
    "claim_closed",
    years=5,
    restricted=True,
    nl=(
        "Bewijs bij een rechtsvordering (art. 17 lid 3 sub e AVG): tot en met 5 jaar na het sluiten van "
        "de incassozaak (verjaring, art. 3:307 BW), afgeschermd; de dag daarna gewist."
    ),
    en=(
        "Evidence for a legal claim (GDPR art. 17(3)(e)): up to and including 5 years after the collection "
        "case closed (limitation, art. 3:307 Dutch Civil Code), locked away; erased the day after."
    ),
)
ASSIGNMENT_7Y = retention(
    "assignment_7y",
    "relationship_end",
    years=7,
    restricted=True,
    nl="Na het einde van de opdracht 7 jaar bewaard, afgeschermd voor medewerkers.",
    en="Kept 7 years after the assignment ends, locked away from staff.",
)
LOGIN_6M = retention(
    "login_6m",
    "event",
    months=6,
    nl="6 maanden na de inlogpoging.",
    en="6 months after the login attempt.",
)
SESSION_2W = retention(
    "session_2w",
    "event",
    days=14,
    nl="Tot de sessie verloopt, uiterlijk 14 dagen.",
    en="Until the session expires, at most 14 days.",
)
APPLICATION_4W = retention(
    "application_4w",
    "procedure_end",
    days=28,
    nl="4 weken na de procedure; met uw toestemming 1 jaar.",
    en="4 weeks after the procedure; 1 year with your consent.",
)
ID_CHECK = retention(
    "id_check",
    "verification",
    days=0,
    nl="Vernietigd zodra uw identiteit is vastgesteld (uiterlijk 7 dagen).",
    en="Destroyed once your identity is verified (at most 7 days).",
)
CORRESPONDENCE_2Y = retention(
    "correspondence_2y",
    "closed",
    years=2,
    nl="2 jaar na het sluiten van het ticket, en niet langer dan u klant bent.",
    en="2 years after the ticket is closed, and not longer than you are a customer.",
)
COMPLAINT_2Y = retention(
    "complaint_2y",
    "closed",
    years=2,
    nl="2 jaar na afhandeling van de klacht.",
    en="2 years after the complaint was handled.",
)
CONSENT_PROOF_1Y = retention(
    "consent_proof_1y",
    "withdrawal",
    years=1,
    nl="Zolang de toestemming geldt, daarna 1 jaar als bewijs.",
    en="While the consent is in use, then 1 year as proof.",
)
ANALYTICS_13M = retention(
    "analytics_13m",
    "event",
    months=13,
    nl="13 maanden na het paginabezoek.",
    en="13 months after the page visit.",
)
CORRECTION_3M = retention(
    "correction_3m",
    "event",
    months=3,
    nl="3 maanden na de correctie, om misbruik van uw account te kunnen herstellen.",
    en="3 months after the correction, so that abuse of your account can be undone.",
)
ADMIN_LOG_1Y = retention(
    "admin_log_1y",
    "event",
    years=1,
    nl="1 jaar na de beheerhandeling.",
    en="1 year after the administrative action.",
)
STAFF = retention(
    "staff",
    "employment_end",
    days=0,
    nl="Zolang de medewerker in dienst is.",
    en="While the employee is employed.",
)


# --- Declarations ------------------------------------------------------------------------

Label = tuple[str, str]  # (Dutch, English)
NO_LABEL: Label = ("", "")
DEFAULT_GROUPS = ("customers",)


@dataclass(frozen=True)
class PD:
    """One personal field: what it is, why we have it, how long, how it goes."""

    category: str
    key: str  # fideslang-style data category, e.g. user.contact.email
    purposes: tuple[str, ...]
    basis: str
    retention: Retention
    erasure: str
    portability: str
    recipients: tuple[str, ...] = ()
    identifier: str | None = None
    source: str = "subject"  # where it came from (art. 14/15(1)(g)): subject, staff, system, third_party
    label: Label = NO_LABEL  # what the value is, as a person reads it: ("Telefoonnummer", "Phone number")

    def labelled(self, label: Label) -> PD:
        """The same declaration for another field, under that field's label."""
        return replace(self, label=label)


@dataclass(frozen=True)
class SubjectRef:
    """How the audit trail names the subject a row is about: `kind:pk` of the row `path` leads to.

    `path` is an ORM path of foreign keys from the row to the subject's row ("" is the row
    itself). When one act is about several subjects (an export that found a customer and its
    contact person), the lowest `rank` names it.
    """

    kind: str  # "customer" -> "customer:12"
    path: str = ""
    rank: int = 0


@dataclass(frozen=True)
class Link:
    """From a row to a subject row it is about.

    `path` is an ORM lookup from this model to the target model's primary key. A row reached
    from its target (down) belongs to that subject. `up` says whether a row *found* makes its
    target a subject too; `up_when` limits that (a contact person is the customer only when the
    customer is a natural person).
    """

    path: str
    target: str  # app_label.ModelName
    rule: str
    up: bool = True
    up_when: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Variant:
    """Rows that meet `when` are declared otherwise: other purposes, basis, retention or erasure
    for some of the same fields (a ticket about an invoice's amount is part of the fiscal record;
    a dunning decision on a contest is the record of a legal claim).

    `when` holds ORM lookups on the row (e.g. {"fiscal_invoice__isnull": False}); `fields` the
    declarations that replace the entry's own for those rows. The first variant a row meets wins.
    """

    when: dict[str, Any]
    fields: dict[str, PD]
    why: str = ""


@dataclass
class Entry:
    model: type[models.Model]
    subject: str
    fields: dict[str, PD]
    not_personal: frozenset[str]
    links: tuple[Link, ...] = ()
    anchor: bool = False  # rows of this model stand for a person or a contracting party
    dates: dict[str, str] = field(default_factory=dict)  # retention anchor -> ORM path to its date
    variants: tuple[Variant, ...] = ()
    record_label: Label = NO_LABEL  # what one row is: ("Factuur", "Invoice")
    context: dict[str, Label] = field(default_factory=dict)  # not-personal fields shown beside the values
    subject_ref: SubjectRef | None = None
    groups: tuple[str, ...] = DEFAULT_GROUPS  # who the rows are about (SUBJECT_GROUPS), for the register

    @property
    def label(self) -> str:
        return self.model._meta.label

    def field_label(self, name: str) -> Label:
        """The declared label of a personal field (NO_LABEL for a field not declared)."""
        declared = self.fields.get(name)
        return declared.label if declared is not None else NO_LABEL

    def identifier_fields(self, kind: str) -> list[str]:
        return [name for name, pd in self.fields.items() if pd.identifier == kind]

    def variant_fields(self, variant: Variant) -> dict[str, PD]:
        """Every field's declaration for the rows of `variant`."""
        return {**self.fields, **variant.fields}

    def declarations(self) -> list[tuple[str, PD]]:
        """(field, declaration) of the entry and of each of its variants (a field can appear twice)."""
        out = list(self.fields.items())
        for variant in self.variants:
            out += list(variant.fields.items())
        return out

    def partitions(self) -> list[tuple[Q, dict[str, PD]]]:
        """The rows split by the declarations that hold for them: (condition, fields) per variant,
        then the rows no variant takes with the entry's own fields."""
        out = []
        taken = Q()
        for variant in self.variants:
            when = Q(**variant.when)
            out.append((when & ~taken if taken else when, self.variant_fields(variant)))
            taken |= when
        out.append((~taken if taken else Q(), self.fields))
        return out

    def fields_by_pk(self, pks) -> dict[Any, dict[str, PD]]:
        """{pk: the declarations that hold for that row} for these rows (one query per variant)."""
        pks = list(pks)
        out: dict[Any, dict[str, PD]] = {pk: self.fields for pk in pks}
        if not self.variants or not pks:
            return out
        manager = self.model._default_manager
        for variant in reversed(self.variants):  # the first variant a row meets wins
            fields = self.variant_fields(variant)
            for start in range(0, len(pks), 500):
                chunk = pks[start : start + 500]
                for pk in manager.filter(pk__in=chunk, **variant.when).values_list("pk", flat=True):
                    out[pk] = fields
        return out


_REGISTRY: dict[str, Entry] = {}
EXEMPT: dict[str, str] = {}  # model label -> why it holds no personal data at all


def declare(
    model: type[models.Model],
    *,
    subject: str,
    fields: dict[str, PD],
    not_personal: tuple[str, ...] | list[str] = (),
    links: tuple[Link, ...] | list[Link] = (),
    anchor: bool = False,
    dates: dict[str, str] | None = None,
    variants: tuple[Variant, ...] | list[Variant] = (),
    label: Label = NO_LABEL,
    context: tuple[str, ...] | list[str] | dict[str, Label] = (),
    subject_ref: SubjectRef | None = None,
    groups: tuple[str, ...] = DEFAULT_GROUPS,
) -> Entry:
    """Declare a model's personal fields.

    `dates` maps each retention anchor its fields use to the ORM path of that date on the row
    (e.g. {"fiscal_year_end": "issue_date"}); the sweep and the access report read the term from
    it, and the system check demands it. `variants` declare some fields otherwise for the rows
    that meet a condition (`Variant`); a variant's field without a label takes the entry's.
    `label` names one row ("Factuur", "Invoice"). `context` is the allow-list of not-personal
    fields a package may show beside the values (an invoice's number and dates): names, labelled
    from `CONTEXT_LABELS`, or a dict of names and their own labels. No other field of the row
    ever reaches a package. `subject_ref` says how the audit trail names the subject; `groups`
    which groups of data subjects (SUBJECT_GROUPS) the rows are about.
    """
    if not isinstance(context, dict):
        context = {name: CONTEXT_LABELS.get(name, NO_LABEL) for name in context}
    variants = tuple(
        replace(
            v,
            fields={
                name: p if p.label != NO_LABEL or name not in fields else p.labelled(fields[name].label)
                for name, p in v.fields.items()
            },
        )
        for v in variants
    )
    entry = Entry(
        model,
        subject,
        dict(fields),
        frozenset(not_personal),
        tuple(links),
        anchor,
        dict(dates or {}),
        variants,
        tuple(label),
        dict(context),
        subject_ref,
        tuple(groups),
    )
    _REGISTRY[model._meta.label] = entry
    return entry


def exempt(label: str, *, why: str) -> None:
    EXEMPT[label] = why


def entries() -> list[Entry]:
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def entry_for(label: str) -> Entry | None:
    return _REGISTRY.get(label)


def registry() -> dict[str, Entry]:
    return _REGISTRY


def pd(
    category: str,
    key: str,
    purposes: str,
    basis: str,
    retention: Retention,
    erasure: str,
    portability: str,
    *,
    recipients: str = "",
    identifier: str | None = None,
    source: str = "subject",
    label: Label = NO_LABEL,
) -> PD:
    """Short form: purposes and recipients as space-separated ids; `label` as (Dutch, English)."""
    return PD(
        category=category,
        key=key,
        purposes=tuple(purposes.split()),
        basis=basis,
        retention=retention,
        erasure=erasure,
        portability=portability,
        recipients=tuple(recipients.split()),
        identifier=identifier,
        source=source,
        label=tuple(label),
    )
