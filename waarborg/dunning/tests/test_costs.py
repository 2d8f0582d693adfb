"""Collection costs: a consumer is never charged more than the statutory scale (art. 6:96 BW and the
Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2), computed once over the
principal of the invoices claimed together; business ladders keep their own rule (A1, A5).

The expected amounts come from `statute`, an oracle written here from the text of the Besluit,
and from figures worked out by hand; never from the code under test."""

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest

from waarborg.billing.services import payment_record
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.dunning import ladders as L
from waarborg.dunning.models import Decision, Ladder, LadderVersion, Notice
from waarborg.dunning.notices import explain
from waarborg.testing.checks import assert_nothing_changed, database_snapshot

from .conftest import DUE, D, run_days

# --- The oracle: art. 2(1) of the Besluit -------------------------------------------------------
# 15% over the first EUR 2,500 (at least EUR 40), 10% over the next 2,500, 5% over the next 5,000,
# 1% over the next 190,000, 0.5% over the rest; at most EUR 6,775; over the principal, excl. VAT.
BESLUIT_BRACKETS = [
    (Fraction(2500), Fraction(15, 100)),
    (Fraction(2500), Fraction(10, 100)),
    (Fraction(5000), Fraction(5, 100)),
    (Fraction(190000), Fraction(1, 100)),
    (None, Fraction(5, 1000)),
]
BESLUIT_MINIMUM, BESLUIT_MAXIMUM = Fraction(40), Fraction(6775)


def statute(principal: str) -> Decimal:
    """The most a consumer may be charged on `principal`, in euros, rounded half up to a cent."""
    rest, total = Fraction(Decimal(principal)), Fraction(0)
    for width, rate in BESLUIT_BRACKETS:
        part = rest if width is None else min(rest, width)
        total += part * rate
        rest -= part
    total = min(max(total, BESLUIT_MINIMUM), BESLUIT_MAXIMUM)
    cents = floor(total * 100 + Fraction(1, 2))
    return Decimal(cents).scaleb(-2)  # in cents: "300.00", not "300"


STATUTE_RULE = {
    "kind": "wik_scale",
    "brackets": [["2500.00", "15"], ["2500.00", "10"], ["5000.00", "5"], ["190000.00", "1"], [None, "0.5"]],
    "minimum": "40.00",
    "maximum": "6775.00",
}
# Lower than the statute on every principal.
LOWER_RULE = {
    "kind": "wik_scale",
    "brackets": [["2500.00", "10"], ["2500.00", "7.5"], ["5000.00", "2.5"], ["190000.00", "0.5"], [None, "0.25"]],
    "minimum": "25.00",
    "maximum": "5000.00",
}


def consumer_settings(**changes):
    return {**L.DEFAULT_LADDERS["consumer"]["settings"], **changes}


def consumer_costs(principal: str, invoices: int = 1, settings=None) -> tuple[Decimal, Decimal]:
    settings = settings or L.clean_settings({}, market="b2c")
    return L.collection_costs(Decimal(principal), invoices, settings, market="b2c")


# --- The statutory scale, against the oracle ----------------------------------------------------


@pytest.mark.promise("A1")
@pytest.mark.parametrize(
    ("principal", "by_hand"),
    [
        ("13.98", "40.00"),  # 15% is 2.10: the minimum of EUR 40
        ("99.69", "40.00"),  # 14.95: the minimum
        ("2500.00", "375.00"),  # 15% of 2,500
        ("2500.01", "375.00"),  # 375 + 10% of 0.01 = 375.001
        ("5000.00", "625.00"),  # 375 + 250
        ("12345.67", "898.46"),  # 375 + 250 + 250 + 1% of 2,345.67 = 898.4567
        ("300000.00", "3275.00"),  # 875 + 1,900 + 0.5% of 100,000
        ("1000000.00", "6775.00"),  # 2,775 + 0.5% of 800,000 = 6,775: just the maximum
        ("1500000.00", "6775.00"),  # 2,775 + 6,500 = 9,275: the maximum
    ],
)
def test_the_consumer_costs_are_the_statutory_scale(principal, by_hand):
    assert statute(principal) == Decimal(by_hand)  # the oracle agrees with the hand
    assert consumer_costs(principal) == (Decimal(by_hand), Decimal("0.00"))


@pytest.mark.promise("A1")
def test_invoices_claimed_together_are_charged_one_scale_over_their_sum_not_a_minimum_each():
    amounts = ["1000.00", "2000.00", "2345.67"]
    total = str(sum(Decimal(a) for a in amounts))
    # 375 + 250 + 5% of 345.67 = 642.2835; charged one by one it would be 150 + 300 + 351.85
    assert statute(total) == Decimal("642.28")
    assert consumer_costs(total, invoices=3) == (Decimal("642.28"), Decimal("0.00"))
    small = ["121.00", "121.00", "121.00"]
    # 15% of 363 = 54.45, not three minimums of 40
    assert consumer_costs(str(sum(Decimal(a) for a in small)), invoices=3)[0] == statute("363.00") == Decimal("54.45")


@pytest.mark.django_db
@pytest.mark.promise("A1", "A5")
def test_the_fourteen_day_letter_states_one_scale_over_all_invoices_of_the_case(consumer):
    for subscription in (consumer.hosting, consumer.mail, consumer.hosting):
        consumer.invoice(amount="121.00", subscription=subscription)
    run_days(DUE, DUE + dt.timedelta(days=14))  # reminder, then the letter
    letter = Decision.objects.get(customer=consumer.customer, kind="wik_letter")
    assert letter.outcome_data["principal"] == "363.00" and len(letter.outcome_data["invoices"]) == 3
    assert letter.outcome_data["costs"] == str(statute("363.00")) == "54.45"
    assert letter.outcome_data["costs_vat"] == "0.00"
    assert Notice.objects.get(customer=consumer.customer, kind="wik_letter").costs_amount == Decimal("54.45")


@pytest.mark.django_db
@pytest.mark.promise("A1", "A5")
def test_a_partial_payment_within_the_term_leaves_costs_on_the_remainder_only(consumer, personas):
    invoice = consumer.invoice(amount="3000.00")
    run_days(DUE, D(2026, 1, 19))  # the letter goes out on day 14
    notice = Notice.objects.get(customer=consumer.customer, kind="wik_letter")
    assert notice.costs_amount == statute("3000.00") == Decimal("425.00")
    with clock.as_of(D(2026, 1, 22)):  # within the fourteen days
        payment_record(actor=personas.dave, invoice=invoice, amount="1000.00")
    case = consumer.case()
    assert case.costs_from is not None and case.costs_from > D(2026, 1, 22)
    run_days(D(2026, 1, 22), D(2026, 2, 9))  # the final notice on day 35
    final = Decision.objects.get(customer=consumer.customer, kind="final_notice")
    assert final.facts["costs"]["amount"] == str(statute("2000.00")) == "300.00"  # not 425.00
    assert final.facts["costs"]["vat"] == "0.00" and final.facts["costs"]["due"] is True


# --- Defence in depth: a harsher rule stored before the check is never charged -------------------

HARSH_RULE = {
    "kind": "wik_scale",
    "brackets": [["2500.00", "20"], ["2500.00", "10"], ["5000.00", "5"], ["190000.00", "1"], [None, "0.5"]],
    "minimum": "60.00",
    "maximum": "9999.00",
}


@pytest.mark.promise("A1")
@pytest.mark.parametrize("principal", ["13.98", "300.00", "2500.00", "3000.00", "12345.67", "2000000.00"])
def test_a_harsher_consumer_rule_already_stored_is_charged_no_more_than_the_statute(principal):
    settings = consumer_settings(cost_rule=HARSH_RULE, cost_vat_rate="21")
    assert consumer_costs(principal, settings=settings) == (statute(principal), Decimal("0.00"))
    fixed = consumer_settings(cost_rule={"kind": "fixed_per_invoice", "amount": "100.00"}, cost_vat_rate="21")
    assert consumer_costs(principal, invoices=3, settings=fixed) == (min(Decimal("300.00"), statute(principal)), 0)


@pytest.mark.promise("A1")
def test_a_lower_consumer_rule_is_charged_as_it_is():
    settings = L.clean_settings({"cost_rule": LOWER_RULE}, market="b2c")
    assert consumer_costs("3000.00", settings=settings) == (Decimal("287.50"), Decimal("0.00"))  # 250 + 7.5% of 500
    assert consumer_costs("100.00", settings=settings) == (Decimal("25.00"), Decimal("0.00"))  # its own minimum
    assert consumer_costs("5000000.00", settings=settings) == (Decimal("5000.00"), Decimal("0.00"))  # its maximum


@pytest.mark.django_db
@pytest.mark.promise("A1", "A5")
def test_a_stored_harsher_consumer_ladder_states_and_charges_only_the_statute(consumer):
    ladder = Ladder.objects.get(key="consumer")
    current = ladder.current()
    LadderVersion.objects.create(  # as if saved before consumer rules were checked
        ladder=ladder,
        version=current.version + 1,
        steps=current.steps,
        settings={**current.settings, "cost_rule": HARSH_RULE, "cost_vat_rate": "21"},
        created_at=clock.now(),
    )
    consumer.invoice(amount="3000.00")
    run_days(DUE, D(2026, 2, 9))  # through the letter and the final notice
    letter = Decision.objects.get(customer=consumer.customer, kind="wik_letter")
    assert letter.ladder_version.settings["cost_rule"] == HARSH_RULE  # 550.00 plus VAT by that rule
    assert (letter.outcome_data["costs"], letter.outcome_data["costs_vat"]) == (str(statute("3000.00")), "0.00")
    assert Notice.objects.get(customer=consumer.customer, kind="wik_letter").costs_amount == Decimal("425.00")
    final = Decision.objects.get(customer=consumer.customer, kind="final_notice")
    assert (final.facts["costs"]["amount"], final.facts["costs"]["vat"]) == ("425.00", "0.00")


# --- Business ladders keep their choice ---------------------------------------------------------


@pytest.mark.promise("A1")
def test_a_business_ladder_keeps_the_fixed_forty_euros_per_invoice_and_vat():
    settings = L.clean_settings({"cost_rule": L.B2B_FIXED, "cost_vat_rate": "21"}, market="b2b")
    assert L.collection_costs(Decimal("3000.00"), 2, settings, market="b2b") == (Decimal("80.00"), Decimal("16.80"))
    agreed = L.clean_settings({"cost_rule": HARSH_RULE, "cost_vat_rate": "21"}, market="b2b")
    # an agreed scale: 20% of 2,500 + 10% of 500 = 550.00, VAT 115.50
    assert L.collection_costs(Decimal("3000.00"), 1, agreed, market="b2b") == (Decimal("550.00"), Decimal("115.50"))


# --- Saving a consumer ladder: the service refuses a harsher rule -------------------------------


def _statute_with(**changes):
    rule = {**STATUTE_RULE, "brackets": [list(b) for b in STATUTE_RULE["brackets"]]}
    for key, value in changes.items():
        if key.startswith("rate"):
            rule["brackets"][int(key[4:])][1] = value
        else:
            rule[key] = value
    return rule


REFUSED = {
    "20% over the first bracket": (_statute_with(rate0="20"), ("2500.00", "500.00", "375.00")),
    "11% over the second": (_statute_with(rate1="11"), ("5000.00", "650.00", "625.00")),
    "6% over the third": (_statute_with(rate2="6"), ("10000.00", "925.00", "875.00")),
    "1.1% over the fourth": (_statute_with(rate3="1.1"), ("200000.00", "2965.00", "2775.00")),
    "0.6% over the rest": (_statute_with(rate4="0.6"), ("866666.67", "6775.00", "6108.33")),
    "a minimum of 60": (_statute_with(minimum="60"), ("0.01", "60.00", "40.00")),
    "a minimum of 40.01": (_statute_with(minimum="40.01"), ("0.01", "40.01", "40.00")),
    "a maximum of 9999": (_statute_with(maximum="9999"), ("1644800.00", "9999.00", "6775.00")),
    "a first bracket of 3000 at 15%": (
        {
            **STATUTE_RULE,
            "brackets": [["3000", "15"], ["2000", "10"], ["5000", "5"], ["190000", "1"], [None, "0.5"]],
        },
        ("3000.00", "450.00", "425.00"),
    ),
    "lower on most principals, higher between 2,500 and 2,700": (
        {
            **STATUTE_RULE,
            "brackets": [["2400", "14"], ["200", "30"], ["2400", "5"], ["5000", "5"], ["190000", "1"], [None, "0.5"]],
        },
        ("2600.00", "396.00", "385.00"),
    ),
    "higher just where the statutory minimum stops": (
        # 16% up to 250 (= 40, as the statute), then 14% up to 2,500 and the statute's rates after it:
        # 20 lower from 2,500 on, but at 266.67, where the statute's minimum stops, it is 42.33
        {
            **STATUTE_RULE,
            "brackets": [["250", "16"], ["2250", "14"], ["2500", "10"], ["5000", "5"], ["190000", "1"], [None, "0.5"]],
            "minimum": "0.00",
        },
        ("266.67", "42.33", "40.00"),
    ),
    "one flat 10% (lower up to 5,000, higher beyond)": (
        {**STATUTE_RULE, "brackets": [[None, "10"]]},
        ("67750.00", "6775.00", "1452.50"),
    ),
}


@pytest.mark.django_db
@pytest.mark.promise("A1")
@pytest.mark.parametrize("name", list(REFUSED))
def test_a_harsher_consumer_scale_is_refused_and_nothing_changes(finance_ladder_update, name):
    rule, (principal, charged, allowed) = REFUSED[name]
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        finance_ladder_update("consumer", settings={"cost_rule": rule})
    assert str(refused.value) == (
        f"the consumer cost rule charges more than the statutory scale: on a principal of {principal} "
        f"it charges {charged} where the statutory scale allows at most {allowed}"
    )
    assert refused.value.field == "cost_rule"  # the setting it is about, where a screen shows it
    # the example is real: the rule does charge that much there, the statute does not allow it
    assert statute(principal) <= Decimal(allowed) < Decimal(charged)
    assert_nothing_changed(before)


@pytest.mark.django_db
@pytest.mark.promise("A1")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cost_vat_rate": "21"}, "cost_vat_rate must be 0 for consumers"),
        ({"cost_rule": L.B2B_FIXED}, "consumers may be charged collection costs only on the statutory scale"),
        ({"cost_rule": {"kind": "fixed_per_invoice", "amount": "0.01"}}, "only on the statutory scale"),
    ],
)
def test_vat_or_a_fixed_sum_for_consumers_is_refused_and_nothing_changes(finance_ladder_update, changes, message):
    before = database_snapshot()
    with pytest.raises(ValidationError, match=message):
        finance_ladder_update("consumer", settings=changes)
    assert_nothing_changed(before)


@pytest.mark.promise("A1")
def test_the_check_is_in_the_rule_cleaning_whoever_calls_it():
    with pytest.raises(ValidationError, match="charges more than the statutory scale"):
        L.clean_cost_rule(_statute_with(rate0="16"), market="b2c")
    with pytest.raises(ValidationError, match="charges more than the statutory scale"):
        L.clean_settings({"cost_rule": _statute_with(maximum="6775.01")}, market="b2c")
    with pytest.raises(ValidationError, match="cost_vat_rate must be 0 for consumers"):
        L.clean_ladder(L.DEFAULT_LADDERS["consumer"]["steps"], {"cost_vat_rate": "21"}, market="b2c")
    # the same rules are a business's own choice
    assert L.clean_cost_rule(_statute_with(rate0="16"), market="b2b")["brackets"][0] == ["2500.00", "16"]
    assert L.clean_settings({"cost_vat_rate": "21"}, market="b2b")["cost_vat_rate"] == "21"


# --- What a consumer ladder may have ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.promise("A1")
@pytest.mark.parametrize(
    ("rule", "stored"),
    [
        (STATUTE_RULE, STATUTE_RULE),
        (LOWER_RULE, LOWER_RULE),
        ({"kind": "none"}, {"kind": "none"}),
        (  # zero rates: no costs either
            {"kind": "wik_scale", "brackets": [[None, "0"]], "minimum": "0", "maximum": "0"},
            {"kind": "wik_scale", "brackets": [[None, "0"]], "minimum": "0.00", "maximum": "0.00"},
        ),
        (  # the statute written differently: the same amounts everywhere
            {
                "kind": "wik_scale",
                "brackets": [
                    ["1000", "15"],
                    ["1500", "15"],
                    ["2500", "10"],
                    ["5000", "5"],
                    ["190000", "1"],
                    [None, "0.5"],
                ],
                "minimum": "40",
                "maximum": "6775",
            },
            None,
        ),
    ],
)
def test_the_statutory_scale_a_lower_one_or_none_is_saved_for_consumers(finance_ladder_update, rule, stored):
    versions = LadderVersion.objects.count()
    made = finance_ladder_update("consumer", settings={"cost_rule": rule, "cost_vat_rate": "0"})
    assert LadderVersion.objects.count() == versions + 1
    assert made.settings["cost_vat_rate"] == "0"
    if stored is not None:
        assert made.settings["cost_rule"] == stored
    assert Ladder.objects.get(key="consumer").current() == made


@pytest.mark.django_db
@pytest.mark.promise("A1")
@pytest.mark.parametrize(
    "rule", [L.B2B_FIXED, HARSH_RULE, {"kind": "none"}], ids=["fixed 40 per invoice", "agreed scale", "none"]
)
def test_a_business_ladder_keeps_its_choice_with_vat(finance_ladder_update, rule):
    made = finance_ladder_update("business", settings={"cost_rule": rule, "cost_vat_rate": "21"})
    assert made.settings["cost_rule"] == rule and made.settings["cost_vat_rate"] == "21"


@pytest.mark.django_db
@pytest.mark.promise("A1", "A5")
def test_a_consumer_ladder_without_costs_charges_nothing_end_to_end(consumer, finance_ladder_update):
    finance_ladder_update("consumer", settings={"cost_rule": {"kind": "none"}})
    consumer.invoice(amount="3000.00")
    run_days(DUE, D(2026, 2, 9))  # through the letter and the final notice
    letter = Decision.objects.get(customer=consumer.customer, kind="wik_letter")
    assert letter.ladder_version.settings["cost_rule"] == {"kind": "none"}
    assert (letter.outcome_data["costs"], letter.outcome_data["costs_total"]) == ("0.00", "0.00")
    notice = Notice.objects.get(customer=consumer.customer, kind="wik_letter")
    assert notice.costs_amount == Decimal("0.00")
    for lang, says in (("nl", "Wij brengen geen incassokosten in rekening."), ("en", "We charge no collection costs.")):
        text = explain(letter, lang, notice=notice)
        assert says in text
        assert "incassokosten in rekening van" not in text and "charge collection costs of" not in text
    final = Decision.objects.get(customer=consumer.customer, kind="final_notice")
    assert "costs" not in final.facts
    assert final.facts["totals"] == {"EUR": "3000.00"}


# --- Many rules at random: what is saved never exceeds the statute; what is refused does ---------


def _charged_by(rule: dict, principal: Fraction) -> Fraction:
    """What a scale rule charges on `principal`, unrounded (written here, as the oracle is)."""
    rest, total = principal, Fraction(0)
    for width, percent in rule["brackets"]:
        part = rest if width is None else min(rest, Fraction(Decimal(width)))
        total += part * Fraction(Decimal(percent)) / 100
        rest -= part
    return min(max(total, Fraction(Decimal(rule["minimum"]))), Fraction(Decimal(rule["maximum"])))


def _besluit(principal: Fraction) -> Fraction:
    rest, total = principal, Fraction(0)
    for width, rate in BESLUIT_BRACKETS:
        part = rest if width is None else min(rest, width)
        total += part * rate
        rest -= part
    return min(max(total, BESLUIT_MINIMUM), BESLUIT_MAXIMUM)


@pytest.mark.promise("A1")
def test_random_rules_saved_for_consumers_never_charge_more_than_the_statute_and_refused_ones_would():
    import random

    rng = random.Random(20260105)
    saved = refused_count = 0
    for _ in range(300):
        count = rng.randint(1, 6)
        brackets = [
            [f"{rng.choice([250, 1000, 2500, 2600, 5000, 190000]) * rng.uniform(0.5, 1.5):.2f}", None]
            for _ in range(count - 1)
        ] + [[None, None]]
        for bracket in brackets:
            bracket[1] = f"{rng.choice([15, 10, 5, 1, 0.5, 0]) * rng.uniform(0.8, 1.1):.3f}"
        minimum = f"{rng.uniform(0, 45):.2f}"
        rule = {
            "kind": "wik_scale",
            "brackets": brackets,
            "minimum": minimum,
            "maximum": f"{max(float(minimum), rng.uniform(0, 8000)):.2f}",
        }
        try:
            clean = L.clean_cost_rule(rule, market="b2c")
        except ValidationError as error:
            refused_count += 1
            found = re.search(r"on a principal of ([0-9.]+) it charges ([0-9.]+)", str(error))
            principal = Fraction(Decimal(found.group(1)))
            assert _charged_by(rule, principal) > _besluit(principal), (rule, str(error))
            continue
        saved += 1
        probes = {Fraction(1, 100), Fraction(26667, 100), Fraction(10**8)}
        edge = Fraction(0)
        for width, _percent in clean["brackets"][:-1]:
            edge += Fraction(Decimal(width))
            probes |= {edge - Fraction(1, 100), edge, edge + Fraction(1, 100)}
        for law_edge in (2500, 5000, 10000, 200000, 1000000):
            probes |= {Fraction(law_edge) + Fraction(d, 100) for d in (-1, 0, 1)}
        probes |= {Fraction(round(10 ** rng.uniform(-2, 7.3), 2)).limit_denominator(100) for _ in range(300)}
        for principal in probes:
            assert _charged_by(clean, principal) <= _besluit(principal), (rule, principal)
    assert saved > 20 and refused_count > 20  # both sides were really tried
