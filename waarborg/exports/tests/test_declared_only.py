"""The packages show what the map declares and nothing else: the declared fields, with the map's
labels, and the context fields the map allows. A column nobody declared never reaches a package."""

import datetime as dt

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from waarborg.audit.models import AuditEvent
from waarborg.core import datamap
from waarborg.core.actors import System
from waarborg.core.datamap import WHILE_CUSTOMER, SubjectRef, declare, pd
from waarborg.exports.access import access_package_build, access_package_content
from waarborg.exports.portability import portability_package_build
from waarborg.exports.services import access_export, portability_export, subject_ref_of
from waarborg.subjects.finder import Hit, Query, subject_find
from waarborg.testing import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.promise("G1", "G6")]

PLANTED = "INTERNE-NOTITIE-7731 klant is lastig"
VISIBLE = "lead-7731@example.nl"


@pytest.fixture
def registry_snapshot():
    saved = dict(datamap.registry())
    yield
    datamap.registry().clear()
    datamap.registry().update(saved)


@pytest.fixture
def lead_model(registry_snapshot):
    """A model declared in the map with one personal field, a context field, and a planted column
    (`internal_note`) that is listed as not personal but that no context names; its table lives
    only in the test's transaction."""
    with isolate_apps("waarborg.exports"):

        class Lead(models.Model):
            email = models.EmailField(db_index=True)
            number = models.CharField(max_length=10)
            internal_note = models.TextField()

            class Meta:
                app_label = "exports"

        declare(
            Lead,
            subject="a sales lead",
            anchor=True,
            label=("Lead", "Lead"),
            fields={
                "email": pd(
                    "D3",
                    "user.contact.email",
                    "U6",
                    "contract",
                    WHILE_CUSTOMER,
                    "delete",
                    "provided",
                    identifier="email",
                    label=("E-mailadres", "E-mail address"),
                )
            },
            not_personal=("number", "internal_note"),
            context=("number",),
            subject_ref=SubjectRef("lead"),
        )
        sql, params = connection.schema_editor().table_sql(Lead)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        yield Lead


def test_a_planted_column_reaches_neither_package(lead_model, opened):
    lead = lead_model._default_manager.create(email=VISIBLE, number="L-1", internal_note=PLANTED)
    hits = [Hit(model="exports.Lead", pk=lead.pk, field="email", rule="email matches")]

    access = opened(access_package_build(hits=hits))
    portability = opened(portability_package_build(hits=hits))

    # The row itself reached both packages, with its declared value ...
    for package in (access, portability):
        assert VISIBLE.encode() in package.everything()
        assert b"INTERNE-NOTITIE" not in package.everything()
        assert b"internal_note" not in package.everything()
    # ... and the access package shows the allowed context, labelled by the map.
    record = access.json()["categories"][0]["records"][0]
    assert record["kind"] == {"nl": "Lead", "en": "Lead"}
    assert record["context"] == {"number": {"label": {"nl": "Nummer", "en": "Number"}, "value": "L-1"}}
    assert record["values"][0]["label"] == {"nl": "E-mailadres", "en": "E-mail address"}
    assert portability.json()["tables"]["exports.Lead"]["columns"] == ["id", "email"]


def test_every_value_and_context_field_of_a_package_is_declared_in_the_map(world):
    package = access_package_content(hits=subject_find(Query(email=world["alice"].email)))
    registry = datamap.registry()
    seen = 0
    for category in package.data["categories"]:
        for record in category["records"]:
            entry = registry[record["model"]]
            assert set(record["context"]) <= set(entry.context), record["model"]
            assert record["kind"] == {"nl": entry.record_label[0], "en": entry.record_label[1]}
            for value in record["values"] + record["held"] + record["withheld"]:
                assert value["field"] in entry.fields, (record["model"], value["field"])
                nl, en = entry.fields[value["field"]].label
                assert value["label"] == {"nl": nl, "en": en}
                seen += 1
    assert seen > 20  # the world holds a bit of everything


def test_the_subject_of_an_export_is_named_as_the_map_declares(world, lead_model):
    customer, contact, alice = world["customer"], world["contact"], world["alice"]
    hits = subject_find(Query(email=alice.email))
    # The customer's rank goes before the contact person's; an account names its contact person
    # through its declared path; a row no entry names a subject for names none.
    assert subject_ref_of(hits) == f"customer:{customer.pk}"
    assert subject_ref_of([h for h in hits if h.model != "customers.Customer"]) == f"contact:{contact.pk}"
    assert subject_ref_of([Hit("accounts.Account", alice.pk, "email", "")]) == f"contact:{contact.pk}"
    assert subject_ref_of([Hit("accounts.LoginEvent", 1, "ip_address", "")]) == ""

    # A model declared with its own subject reference is named by it, in the audit trail too.
    lead = lead_model._default_manager.create(email=VISIBLE, number="L-2", internal_note=PLANTED)
    lead_hits = [Hit(model="exports.Lead", pk=lead.pk, field="email", rule="email matches")]
    access_export(actor=System("cli"), hits=lead_hits)
    portability_export(actor=System("cli"), hits=lead_hits)
    events = AuditEvent.objects.filter(action__in=("export.access", "export.portability"))
    assert sorted(events.values_list("subject_ref", flat=True)) == [f"lead:{lead.pk}"] * 2


def test_the_erase_date_follows_an_extension_the_owning_app_declared(db):
    # Careers declares that a consent to keep an application extends its 4 weeks: the access
    # package's last day is the later of the two terms.
    closed = dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC)
    consent = dt.datetime(2025, 1, 10, 12, tzinfo=dt.UTC)
    kept = f.JobApplicationFactory(procedure_closed_at=closed, keep_consent_at=consent)
    plain = f.JobApplicationFactory(procedure_closed_at=closed)

    def erase_on(application):
        data = access_package_content(hits=[Hit("careers.JobApplication", application.pk, "email", "")]).data
        record = data["categories"][0]["records"][0]
        return {r["rule"]: r["erase_on"] for r in record["retention"]}

    assert erase_on(plain) == {"application_4w": "2025-01-30"}
    assert erase_on(kept) == {"application_4w": "2026-01-11"}
