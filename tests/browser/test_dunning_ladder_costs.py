"""Finance opens the consumer ladder in the editor, tries to save collection costs above the
statutory scale and is refused with a form error, then saves a lower scale."""

import json
import re
from importlib import import_module

import pytest
from django.apps import apps

from waarborg.auth_web import testing
from waarborg.dunning.models import Ladder, LadderVersion
from waarborg.testing.personas import make_personas

from .staff import PASSWORD, sign_in

HARSHER = {
    "kind": "wik_scale",
    "brackets": [["2500", "20"], ["2500", "10"], ["5000", "5"], ["190000", "1"], [None, "0.5"]],
    "minimum": "40",
    "maximum": "6775",
}
LOWER = {
    "kind": "wik_scale",
    "brackets": [["2500.00", "10"], ["2500.00", "5"], ["5000.00", "2.5"], ["190000.00", "0.5"], [None, "0.25"]],
    "minimum": "25.00",
    "maximum": "2500.00",
}


@pytest.mark.promise("A1")
def test_finance_cannot_save_consumer_costs_above_the_statute_but_can_save_a_lower_scale(page, screenshot):
    from playwright.sync_api import expect

    # The default ladders come with a migration; a live-server test before this one may have
    # emptied the tables, so they are put back the way the migration does it.
    import_module("waarborg.dunning.migrations.0002_default_ladders").create(apps, None)
    personas = make_personas()
    dave = personas.dave
    dave.set_password(PASSWORD)
    dave.save(update_fields=["password"])
    device = testing.confirmed_device(dave)
    ladder = Ladder.objects.get(key="consumer")
    first = ladder.current()

    sign_in(page, dave, device)

    page.goto(page.base_url + "/backoffice/incasso/ladders/")
    page.get_by_role("link", name="Consumenten", exact=True).click()
    expect(page).to_have_url(re.compile(r"/backoffice/incasso/ladders/consumer/$"))
    rule = page.get_by_label("Regel voor incassokosten (JSON)")
    assert json.loads(rule.input_value()) == first.settings["cost_rule"]  # the statute, to start from
    screenshot(page, "1-editor")

    rule.fill(json.dumps(HARSHER))
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Er is niets gewijzigd")
    expect(alert).to_contain_text(
        "De kostenregel voor consumenten rekent meer dan de wettelijke staffel: over een hoofdsom van € 2.500,00 "
        "rekent hij € 500,00, terwijl de wettelijke staffel ten hoogste € 375,00 toestaat"
    )
    expect(alert.get_by_role("link", name="Regel voor incassokosten (JSON)")).to_be_visible()
    expect(page.locator("tr[data-version]")).to_have_count(1)
    screenshot(page, "2-refused")
    assert list(LadderVersion.objects.filter(ladder=ladder).values_list("version", flat=True)) == [first.version]
    assert ladder.current().settings["cost_rule"] == first.settings["cost_rule"]

    rule = page.get_by_label("Regel voor incassokosten (JSON)")
    assert json.loads(rule.input_value()) == HARSHER  # what was typed stays, to correct
    rule.fill(json.dumps(LOWER))
    page.get_by_label("Wat er verandert, en waarom").fill("Lagere incassokosten voor consumenten")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page).to_have_url(re.compile(r"/backoffice/incasso/ladders/consumer/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Versie {first.version + 1} van de ladder geldt")
    expect(page.locator(f'tr[data-version="{first.version + 1}"]')).to_contain_text("Lagere incassokosten")
    screenshot(page, "3-saved")

    made = ladder.current()
    assert made.version == first.version + 1 and made.created_by == dave
    assert made.settings["cost_rule"] == LOWER and made.settings["cost_vat_rate"] == "0"
