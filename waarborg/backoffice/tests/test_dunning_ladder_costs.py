"""The ladder editor and collection-cost rules: a consumer ladder that would charge more than the
statutory scale, VAT on top, or a malformed rule is refused with a clear error in the visitor's
language, and nothing changes; the statute, a lower scale or no costs are saved (A1)."""

import html
import json

import pytest

from waarborg.dunning.models import Ladder
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db
LADDERS = "/backoffice/incasso/ladders/"

HARSHER = {
    "kind": "wik_scale",
    "brackets": [["2500", "20"], ["2500", "10"], ["5000", "5"], ["190000", "1"], [None, "0.5"]],
    "minimum": "60",
    "maximum": "9999",
}
LOWER = {
    "kind": "wik_scale",
    "brackets": [["2500.00", "10"], ["2500.00", "5"], ["5000.00", "2.5"], ["190000.00", "0.5"], [None, "0.25"]],
    "minimum": "25.00",
    "maximum": "2500.00",
}


def form_data(version, **changes):
    """The ladder form as the editor fills it from `version`, with `changes`."""
    settings = version.settings
    data = {
        "block_scope": settings["block_scope"],
        "block_notice_days": settings["block_notice_days"],
        "cancel_silence_days": settings["cancel_silence_days"],
        "cost_vat_rate": settings["cost_vat_rate"],
        "cost_rule": json.dumps(settings["cost_rule"]),
        "note": "Kosten",
    }
    for n, step in enumerate(version.steps):
        data |= {f"step_{n}_kind": step["kind"], f"step_{n}_day": step["day"], f"step_{n}_key": step["key"]}
    return data | changes


def refused(client, key: str, **changes) -> str:
    """Post the form; it must come back with the errors, and nothing may have changed."""
    current = Ladder.objects.get(key=key).current()
    before = database_snapshot()
    response = client.post(f"{LADDERS}{key}/", form_data(current, **changes))
    assert response.status_code == 200
    assert_nothing_changed(before)
    body = html.unescape(response.content.decode())
    assert "Er is niets gewijzigd" in body or "Nothing has been changed" in body
    return body


@pytest.mark.promise("A1")
def test_it_refuses_a_harsher_consumer_scale_with_a_dutch_error_at_the_cost_rule(office, personas):
    client = office(personas.dave)
    body = refused(client, "consumer", cost_rule=json.dumps(HARSHER))
    # the example is where the rule is furthest above the statute: 20% of 2,500 makes it 2,900 at
    # 200,000; + 0.5% reaches its maximum of 9,999 at 1,619,800, where the statute stays at 6,775
    message = (
        "De kostenregel voor consumenten rekent meer dan de wettelijke staffel: over een hoofdsom van € 1.619.800,00 "
        "rekent hij € 9.999,00, terwijl de wettelijke staffel ten hoogste € 6.775,00 toestaat"
    )
    assert message in body
    # shown with the field it is about
    assert 'href="#id_cost_rule">Regel voor incassokosten (JSON)</a>: De kostenregel voor consumenten' in body
    only_rate = {**HARSHER, "minimum": "40", "maximum": "6775"}
    body = refused(client, "consumer", cost_rule=json.dumps(only_rate))
    assert "over een hoofdsom van € 2.500,00 rekent hij € 500,00" in body
    assert "ten hoogste € 375,00 toestaat" in body
    only_minimum = {**HARSHER, "brackets": [[None, "0"]], "maximum": "60"}
    body = refused(client, "consumer", cost_rule=json.dumps(only_minimum))
    assert "over een hoofdsom van € 0,01 rekent hij € 60,00, terwijl de wettelijke staffel ten hoogste € 40,00" in body


@pytest.mark.promise("A1")
def test_it_refuses_vat_on_a_consumers_collection_costs_at_the_vat_field(office, personas):
    client = office(personas.dave)
    body = refused(client, "consumer", cost_vat_rate="21")
    assert (
        'href="#id_cost_vat_rate">Btw over incassokosten</a>: Btw over incassokosten moet voor consumenten 0 zijn: '
        "bovenop de wettelijke staffel wordt geen btw berekend" in body
    )


@pytest.mark.promise("A1")
def test_it_refuses_a_fixed_sum_for_consumers(office, personas):
    body = refused(office(personas.dave), "consumer", cost_rule='{"kind": "fixed_per_invoice", "amount": "40"}')
    assert "Aan consumenten mogen incassokosten alleen volgens de wettelijke staffel of een lagere" in body


def _scale(**changes):
    return json.dumps({**LOWER, **changes})


@pytest.mark.promise("A1")
@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("15% tot 2500", "Dit is geen geldige JSON."),
        ("[1, 2]", "De kostenregel is een object"),
        ('{"kind": "staffel"}', "De soort kostenregel (kind) moet wik_scale, fixed_per_invoice of none zijn"),
        ('{"kind": "wik_scale"}', "De kostenregel heeft schijven nodig"),
        (_scale(brackets=[["2500", "10", "x"], [None, "1"]]), "Schijf 1 van de kostenregel moet [breedte, percentage]"),
        (_scale(brackets=[[None, "10"], ["2500", "1"]]), "Alleen de laatste schijf van de kostenregel is onbegrensd"),
        (_scale(brackets=[["0", "10"], [None, "1"]]), "Schijf 1 van de kostenregel moet breder zijn dan nul"),
        (_scale(brackets=[["veel", "10"], [None, "1"]]), "De breedte van schijf 1 van de kostenregel is geen getal"),
        (
            _scale(brackets=[["2500", "tien"], [None, "1"]]),
            "Het percentage van schijf 1 van de kostenregel is geen getal",
        ),
        (_scale(brackets=[["2500", "10"], [None, "-1"]]), "Schijf 2 van de kostenregel: een percentage ligt tussen"),
        (_scale(minimum="veertig"), "Het minimum van de kostenregel is geen getal"),
        (_scale(maximum="NaN"), "Het maximum van de kostenregel is geen getal"),
        (_scale(minimum="30", maximum="20"), "Voor het minimum en het maximum van de kostenregel moet gelden: 0 <="),
        (_scale(maximum="1e30"), "Het maximum van de kostenregel is te groot"),
        (_scale(brackets=[["10", "1"]] * 20 + [[None, "1"]]), "Een kostenregel heeft ten hoogste 20 schijven"),
    ],
)
def test_it_refuses_a_malformed_cost_rule_with_a_clear_error_and_changes_nothing(office, personas, rule, message):
    body = refused(office(personas.dave), "consumer", cost_rule=rule)
    assert message in body, body[body.find("form-errors") :][:800]
    assert f'href="#id_cost_rule">Regel voor incassokosten (JSON)</a>: {message}' in body  # at its field


@pytest.mark.promise("A1")
@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('{"kind": "fixed_per_invoice", "amount": "veertig"}', "Het vaste bedrag van de kostenregel is geen getal"),
        ('{"kind": "fixed_per_invoice", "amount": "-40"}', "Het vaste bedrag kan niet negatief zijn"),
    ],
)
def test_it_refuses_a_malformed_fixed_sum_for_a_business_ladder(office, personas, rule, message):
    body = refused(office(personas.dave), "business", cost_rule=rule)
    assert message in body


@pytest.mark.promise("A1")
def test_it_shows_the_refusal_in_english_after_the_language_switch(office, personas):
    client = office(personas.dave)
    client.post("/i18n/setlang/", {"language": "en", "next": LADDERS})
    body = refused(client, "consumer", cost_rule=json.dumps({**HARSHER, "minimum": "40", "maximum": "6775"}))
    assert (
        'href="#id_cost_rule">Collection-cost rule (JSON)</a>: The consumer cost rule charges more than the statutory '
        "scale: on a principal of €2,500.00 it charges €500.00 where the statutory scale allows at most €375.00" in body
    )


@pytest.mark.promise("A1")
@pytest.mark.parametrize(
    ("rule", "stored"),
    [
        (LOWER, LOWER),
        ({"kind": "none"}, {"kind": "none"}),
        (
            {"kind": "wik_scale", "brackets": [[None, "0"]], "minimum": "0", "maximum": "0"},
            {"kind": "wik_scale", "brackets": [[None, "0"]], "minimum": "0.00", "maximum": "0.00"},
        ),
    ],
    ids=["a lower scale", "none", "zero rates"],
)
def test_it_saves_a_lower_scale_or_no_costs_for_consumers(office, personas, rule, stored):
    client = office(personas.dave)
    ladder = Ladder.objects.get(key="consumer")
    current = ladder.current()
    response = client.post(f"{LADDERS}consumer/", form_data(current, cost_rule=json.dumps(rule)))
    assert response.status_code == 302
    made = ladder.current()
    assert made.version == current.version + 1
    assert made.settings["cost_rule"] == stored and made.settings["cost_vat_rate"] == "0"
    page = client.get(f"{LADDERS}consumer/")
    assert json.loads(page.context["form"]["cost_rule"].value()) == stored  # the editor starts from it


@pytest.mark.promise("A1")
def test_a_business_ladder_keeps_forty_euros_per_invoice_with_vat(office, personas):
    client = office(personas.dave)
    ladder = Ladder.objects.get(key="business")
    current = ladder.current()
    assert current.settings["cost_rule"] == {"kind": "fixed_per_invoice", "amount": "40.00"}
    response = client.post(f"{LADDERS}business/", form_data(current, cost_vat_rate="21"))
    assert response.status_code == 302
    made = ladder.current()
    assert made.version == current.version + 1
    assert made.settings["cost_rule"] == {"kind": "fixed_per_invoice", "amount": "40.00"}
    assert made.settings["cost_vat_rate"] == "21"
