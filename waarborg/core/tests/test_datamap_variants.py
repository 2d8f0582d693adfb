"""Variants of the map: rows that meet a condition are declared otherwise, and checked like the rest."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from waarborg.core import datamap, datamap_output
from waarborg.core.checks import check_personal_data_map
from waarborg.core.datamap import CORRESPONDENCE_2Y, FISCAL_7Y, Variant, declare, pd

pytestmark = pytest.mark.promise("D11", "R3")


@pytest.fixture
def registry_snapshot():
    saved = dict(datamap._REGISTRY)
    yield
    datamap._REGISTRY.clear()
    datamap._REGISTRY.update(saved)


def _note(retention, erasure="delete", basis="contract", **more):
    return pd("D11", "user.correspondence.body", "U5", basis, retention, erasure, "provided", **more)


@isolate_apps("waarborg.core")
def test_a_variant_is_checked_like_the_entry_itself(registry_snapshot):
    class Note(models.Model):
        text = models.TextField()
        about_invoice = models.BooleanField(default=False)
        closed_on = models.DateField(null=True)
        invoice_date = models.DateField(null=True)

        class Meta:
            app_label = "core"

    def declared(*, variant: Variant, dates=None):
        declare(
            Note,
            subject="the writer",
            anchor=True,
            label=("Notitie", "Note"),
            fields={"text": _note(CORRESPONDENCE_2Y, label=("Tekst", "Text"))},
            not_personal=("about_invoice", "closed_on", "invoice_date"),
            dates=dates or {"closed": "closed_on", "fiscal_year_end": "invoice_date"},
            variants=(variant,),
        )
        return [(e.id, e.msg) for e in check_personal_data_map(models=[Note])]

    fiscal = _note(FISCAL_7Y, "retain", "legal_obligation")
    assert declared(variant=Variant(when={"about_invoice": True}, fields={"text": fiscal})) == []
    # A variant's field takes the label of the entry's field.
    assert datamap.entry_for("core.Note").variants[0].fields["text"].label == ("Tekst", "Text")
    # the variant's anchor needs its date like any other
    errors = declared(
        variant=Variant(when={"about_invoice": True}, fields={"text": fiscal}), dates={"closed": "closed_on"}
    )
    assert [i for i, _ in errors] == ["waarborg.E009"] and "fiscal_year_end" in errors[0][1]
    # only fields the entry declares, a condition that resolves, a complete declaration
    errors = declared(variant=Variant(when={"about_invoice": True}, fields={"closed_on": fiscal}))
    assert ("waarborg.E003" in {i for i, _ in errors}) and "'closed_on'" in errors[0][1]
    errors = declared(variant=Variant(when={"no_such_field": True}, fields={"text": fiscal}))
    assert [i for i, _ in errors] == ["waarborg.E007"]
    bad = pd("D99", "user.correspondence.body", "U5", "contract", FISCAL_7Y, "retain", "provided")
    assert [i for i, _ in declared(variant=Variant(when={"about_invoice": True}, fields={"text": bad}))] == [
        "waarborg.E004"
    ]


def test_the_map_lists_the_variants_with_their_conditions():
    data = datamap_output.as_dict()
    ticket = next(m for m in data["models"] if m["model"] == "correspondence.Ticket")
    (variant,) = ticket["variants"]
    assert variant["when"] == "fiscal_invoice__isnull=False"
    assert {f["field"]: f["retention"] for f in variant["fields"]}["subject"] == "fiscal_7y"
    contest = next(m for m in data["models"] if m["model"] == "dunning.Contest")
    assert {f["retention"] for f in contest["fields"]} == {"legal_claim_5y"}
    assert {f["basis"] for f in contest["fields"]} == {"legal_claim"}
    assert "| correspondence.Ticket (fiscal_invoice__isnull=False) | subject | D11 |" in datamap_output.as_markdown()
