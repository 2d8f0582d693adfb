"""The record of processing activities (art. 30(1) GDPR, X1), generated from the personal-data map.

One activity per purpose (U1–U15). Everything in it comes from the same declarations the
engines read — the fields that serve the purpose give the data categories, the legal bases, the
retention terms and the recipient categories; the register of recipients gives the organisations
and their countries — so the record cannot drift from what the software does. Only the general
description of the security measures (art. 30(1)(g)) is written here, and each line of it names
the part of Waarborg that carries it out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

from django.conf import settings

from waarborg.core import datamap
from waarborg.register.models import Recipient
from waarborg.register.transfers import OUTSIDE_EEA, outside_eea

# Art. 30(1)(g): a general description of the technical and organisational measures.
SECURITY_MEASURES: tuple[tuple[str, str], ...] = (
    (
        "Toegang alleen op basis van noodzaak: elke rol ziet alleen de gegevens die zij voor haar taak nodig heeft",
        "Need-to-know access: every role sees only the data its task needs",
    ),
    (
        "Medewerkers melden zich aan met wachtwoord en tweede factor (TOTP); pogingen worden begrensd",
        "Staff sign in with a password and a second factor (TOTP); attempts are throttled",
    ),
    (
        "Rekeningnummers (IBAN) versleuteld opgeslagen en alleen gemaskeerd getoond",
        "Account numbers (IBAN) stored encrypted and shown masked only",
    ),
    (
        "Kopieën van identiteitsbewijzen versleuteld opgeslagen en vernietigd na de controle (uiterlijk na 7 dagen)",
        "Copies of identity documents stored encrypted and destroyed after the check (within 7 days)",
    ),
    (
        "Een audittrail met hash-keten, zonder persoonsgegevens, die wijzigingen aantoonbaar maakt",
        "A hash-chained audit trail without personal data that makes changes detectable",
    ),
    (
        "Fiscaal bewaarde gegevens afgeschermd: alleen het financieel archief leest ze, met reden, gemeld aan de "
        "privacy officer",
        "Data kept for the tax authorities locked away: only the finance archive reads it, with a reason, "
        "reported to the privacy officer",
    ),
    (
        "Bewaartermijnen dagelijks automatisch toegepast; wissen wordt met een restscan gecontroleerd",
        "Retention terms applied automatically every day; erasure is checked with a residual scan",
    ),
    (
        "Verwerkers en derden alleen met een geldige verwerkersovereenkomst in het register",
        "Processors and third parties only with a valid agreement in the register",
    ),
)


@dataclass
class Activity:
    purpose: str
    name: str
    bases: list[str]
    subjects: list[str]
    categories: list[str]
    recipients: list[str]
    third_countries: list[str]
    retention: list[str]
    models: list[str] = field(default_factory=list)


@dataclass
class ProcessingRecord:
    controller: dict
    language: str
    activities: list[Activity]
    security: list[str]
    policy_version: str


def _lang(lang: str) -> int:
    if lang not in ("nl", "en"):
        raise ValueError("the language is nl or en")
    return 0 if lang == "nl" else 1


def processing_record(lang: str = "nl") -> ProcessingRecord:
    """The record of processing activities, per purpose, in Dutch or English."""
    i = _lang(lang)
    per_purpose: dict[str, dict[str, set]] = {
        p: {
            "bases": set(),
            "subjects": set(),
            "categories": set(),
            "recipients": set(),
            "retention": set(),
            "models": set(),
        }
        for p in datamap.PURPOSES
    }
    retention_text: dict[str, str] = {}
    for entry in datamap.entries():
        groups = entry.groups  # who the rows are about, as the map declares it
        for _name, p in entry.declarations():  # the variants' declarations too
            for purpose in p.purposes:
                bucket = per_purpose[purpose]
                bucket["bases"].add(p.basis)
                bucket["subjects"].update(groups)
                bucket["categories"].add(p.category)
                bucket["recipients"].update(p.recipients)
                bucket["retention"].add(p.retention.key)
                bucket["models"].add(entry.label)
                retention_text[p.retention.key] = p.retention.describe(lang).rstrip(".")
    registered = list(Recipient.objects.order_by("category", "name"))
    activities = []
    for purpose, bucket in per_purpose.items():
        if not bucket["categories"]:
            continue
        recipients = []
        foreign = []
        for cat in sorted(bucket["recipients"]):
            names = [r for r in registered if r.category == cat and set(r.data_categories) & bucket["categories"]]
            label = datamap.RECIPIENT_CATEGORIES[cat][i]
            recipients.append(f"{label}: {', '.join(r.name for r in names)}" if names else label)
            foreign += [f"{r.name} ({r.country}) — {OUTSIDE_EEA[i]}" for r in names if outside_eea(r.country)]
        activities.append(
            Activity(
                purpose=purpose,
                name=datamap.PURPOSES[purpose][i],
                bases=[f"{datamap.BASES[b][i]} ({datamap.BASES[b][2]})" for b in sorted(bucket["bases"])],
                subjects=[datamap.SUBJECT_GROUPS[g][i] for g in sorted(bucket["subjects"])],
                categories=[f"{c} {datamap.CATEGORIES[c][i]}" for c in sorted(bucket["categories"], key=_d_order)],
                recipients=recipients,
                third_countries=sorted(set(foreign)),
                retention=sorted({retention_text[k] for k in bucket["retention"]}),
                models=sorted(bucket["models"]),
            )
        )
    controller = dict(settings.WAARBORG_CONTROLLER)
    return ProcessingRecord(
        controller=controller,
        language=lang,
        activities=activities,
        security=[m[i] for m in SECURITY_MEASURES],
        policy_version=settings.WAARBORG_POLICY_VERSION,
    )


def _d_order(category: str) -> int:
    return int(category[1:])


_HEAD = {
    "nl": {
        "title": "Register van verwerkingsactiviteiten (artikel 30 AVG)",
        "controller": "Verwerkingsverantwoordelijke",
        "version": "Privacyverklaring, versie",
        "bases": "Grondslag",
        "subjects": "Betrokkenen",
        "categories": "Persoonsgegevens",
        "recipients": "Ontvangers",
        "third_countries": "Doorgifte buiten de EER",
        "retention": "Bewaartermijn",
        "none": "geen",
        "security": "Beveiligingsmaatregelen (algemene beschrijving)",
    },
    "en": {
        "title": "Record of processing activities (Article 30 GDPR)",
        "controller": "Controller",
        "version": "Privacy statement, version",
        "bases": "Legal basis",
        "subjects": "Data subjects",
        "categories": "Personal data",
        "recipients": "Recipients",
        "third_countries": "Transfers outside the EEA",
        "retention": "Retention",
        "none": "none",
        "security": "Security measures (general description)",
    },
}
_LISTS = ("bases", "subjects", "categories", "recipients", "third_countries", "retention")


def as_markdown(record: ProcessingRecord) -> str:
    h = _HEAD[record.language]
    c = record.controller
    lines = [
        f"# {h['title']}",
        "",
        f"{h['controller']}: {c['name']}, {c['street']}, {c['postcode']} {c['town']} (KvK {c['kvk']}), "
        f"{c['email']}, {c['phone']}",
        f"{h['version']} {record.policy_version}",
        "",
    ]
    for a in record.activities:
        lines += [f"## {a.purpose} {a.name}", ""]
        for key in _LISTS:
            values = getattr(a, key)
            lines.append(f"- **{h[key]}**: {'; '.join(values) if values else h['none']}")
        lines.append("")
    lines += [f"## {h['security']}", ""] + [f"- {m}" for m in record.security] + [""]
    return "\n".join(lines)


def as_json(record: ProcessingRecord) -> dict:
    return asdict(record)


def as_csv(record: ProcessingRecord) -> str:
    """One row per activity; list cells joined with '; ' (for a spreadsheet)."""
    h = _HEAD[record.language]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "purpose", *(h[k] for k in _LISTS)])
    for a in record.activities:
        writer.writerow([a.purpose, a.name, *("; ".join(getattr(a, k)) for k in _LISTS)])
    return out.getvalue()
