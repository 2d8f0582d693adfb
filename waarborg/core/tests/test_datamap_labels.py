"""Every declared field, record and context field is named in Dutch and English by the map
itself (E010), and a record's context is an allow-list of not-personal fields (E003)."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from waarborg.core import datamap, datamap_output
from waarborg.core.checks import check_personal_data_map
from waarborg.core.datamap import WHILE_CUSTOMER, declare, pd

pytestmark = pytest.mark.promise("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D11")


@pytest.fixture
def registry_snapshot():
    saved = dict(datamap.registry())
    yield
    datamap.registry().clear()
    datamap.registry().update(saved)


def _email(**more):
    return pd("D3", "user.contact.email", "U6", "consent", WHILE_CUSTOMER, "delete", "provided", **more)


def _errors(model, wanted):
    return [e for e in check_personal_data_map(models=[model]) if e.id == wanted]


def test_every_declaration_of_the_project_has_its_labels():
    for entry in datamap.entries():
        if entry.fields:
            assert all(t.strip() for t in entry.record_label), entry.label
        for name, p in entry.declarations():
            assert len(p.label) == 2 and all(t.strip() for t in p.label), f"{entry.label}.{name}"
        for name, label in entry.context.items():
            assert all(t.strip() for t in label), f"{entry.label} context {name}"


@isolate_apps("waarborg.core")
def test_a_field_without_a_label_fails_the_check(registry_snapshot):
    class Lead(models.Model):
        email = models.EmailField(db_index=True)
        phone = models.CharField(max_length=20, db_index=True)

        class Meta:
            app_label = "core"

    fields = {
        "email": _email(identifier="email", label=("E-mailadres", "E-mail address")),
        "phone": pd("D4", "user.contact.phone_number", "U6", "consent", WHILE_CUSTOMER, "delete", "provided"),
    }
    declare(Lead, subject="a sales lead", anchor=True, fields=fields, label=("Lead", "Lead"))
    errors = _errors(Lead, "waarborg.E010")
    assert [e.msg for e in errors] == ["core.Lead.phone has no label"]

    # Half a label (Dutch only) is no label either; with both, the check passes.
    fields["phone"] = fields["phone"].labelled(("Telefoonnummer", ""))
    declare(Lead, subject="a sales lead", anchor=True, fields=fields, label=("Lead", "Lead"))
    assert [e.msg for e in _errors(Lead, "waarborg.E010")] == ["core.Lead.phone has no label"]
    fields["phone"] = fields["phone"].labelled(("Telefoonnummer", "Phone number"))
    declare(Lead, subject="a sales lead", anchor=True, fields=fields, label=("Lead", "Lead"))
    assert _errors(Lead, "waarborg.E010") == []


@isolate_apps("waarborg.core")
def test_a_record_without_a_label_fails_the_check(registry_snapshot):
    class Lead(models.Model):
        email = models.EmailField(db_index=True)

        class Meta:
            app_label = "core"

    declare(Lead, subject="a sales lead", anchor=True, fields={"email": _email(label=("E-mail", "E-mail"))})
    assert [e.msg for e in _errors(Lead, "waarborg.E010")] == ["core.Lead has no record label"]


@isolate_apps("waarborg.core")
def test_context_is_an_allow_list_of_labelled_not_personal_fields(registry_snapshot):
    class Lead(models.Model):
        email = models.EmailField(db_index=True)
        number = models.CharField(max_length=10)
        stage = models.CharField(max_length=10)
        internal_note = models.TextField()

        class Meta:
            app_label = "core"

    named = {"subject": "a sales lead", "anchor": True, "label": ("Lead", "Lead")}
    fields = {"email": _email(label=("E-mailadres", "E-mail address"))}
    not_personal = ("number", "stage", "internal_note")
    # A name from the map's vocabulary takes its label from there; another needs its own.
    declare(Lead, **named, fields=fields, not_personal=not_personal, context=("number", "stage"))
    assert datamap.entry_for("core.Lead").context["number"] == ("Nummer", "Number")
    assert [e.msg for e in _errors(Lead, "waarborg.E010")] == ["core.Lead: the context field 'stage' has no label"]

    declare(Lead, **named, fields=fields, not_personal=not_personal, context={"stage": ("Fase", "Stage")})
    assert _errors(Lead, "waarborg.E010") == [] and _errors(Lead, "waarborg.E003") == []

    # A personal field, or one the model lacks, is never context.
    declare(Lead, **named, fields=fields, not_personal=not_personal, context={"email": ("E", "E"), "x": ("X", "X")})
    assert sorted(e.msg for e in _errors(Lead, "waarborg.E003")) == [
        "core.Lead: the context field 'email' must be listed under not_personal",
        "core.Lead: the context names 'x', which the model lacks",
    ]


def test_the_map_prints_labels_context_and_subject_refs():
    data = datamap_output.as_dict()
    contact = next(m for m in data["models"] if m["model"] == "customers.Contact")
    assert contact["label"] == {"nl": "Contactpersoon", "en": "Contact person"}
    phone = next(f for f in contact["fields"] if f["field"] == "phone")
    assert phone["label"] == {"nl": "Telefoonnummer", "en": "Phone number"}
    assert contact["subject_ref"] == {"kind": "contact", "path": "", "rank": 1}
    invoice = next(m for m in data["models"] if m["model"] == "billing.Invoice")
    assert "number" in invoice["context"] and "billing_contact" not in invoice["context"]
    assert "| customers.Contact | phone | D4 |" in datamap_output.as_markdown()
    assert "Telefoonnummer / Phone number |" in datamap_output.as_markdown()


def test_who_the_rows_are_about_is_declared_with_the_model():
    groups = {entry.label: entry.groups for entry in datamap.entries()}
    assert groups["careers.JobApplication"] == ("applicants",)
    assert groups["privacy.PrivacyRequest"] == ("requesters",)
    assert groups["billing.Invoice"] == ("customers",)
    assert {g for gs in groups.values() for g in gs} == set(datamap.SUBJECT_GROUPS)


@isolate_apps("waarborg.core")
def test_an_unknown_group_of_subjects_fails_the_check(registry_snapshot):
    class Lead(models.Model):
        email = models.EmailField(db_index=True)

        class Meta:
            app_label = "core"

    fields = {"email": _email(label=("E-mailadres", "E-mail address"))}
    declare(Lead, subject="a lead", anchor=True, label=("Lead", "Lead"), fields=fields, groups=("prospects",))
    assert [e.msg for e in _errors(Lead, "waarborg.E004")] == ["core.Lead: unknown group of data subjects 'prospects'"]
