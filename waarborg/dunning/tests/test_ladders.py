"""Ladders as data: validation, versions, and the collection-cost rules (A1–A5)."""

import copy
import datetime as dt
from decimal import Decimal

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.dunning import ladders as L
from waarborg.dunning.ladder_versions import ladder_update
from waarborg.dunning.models import Ladder, LadderVersion
from waarborg.testing.checks import unchanged

from .conftest import DUE, run

CONSUMER = L.DEFAULT_LADDERS["consumer"]
BUSINESS = L.DEFAULT_LADDERS["business"]


def steps(*spec):
    return [{"key": f"s{n}", "kind": kind, "day": day} for n, (kind, day) in enumerate(spec)]


def clean(step_list, market="b2b", settings=None):
    return L.clean_ladder(step_list, settings if settings is not None else {}, market=market)


def test_it_accepts_the_default_ladders():
    for spec in L.DEFAULT_LADDERS.values():
        s, st = L.clean_ladder(spec["steps"], spec["settings"], market=spec["market"])
        assert s == spec["steps"]
        assert st["cost_rule"] == spec["settings"]["cost_rule"]


@pytest.mark.promise("A5")
def test_it_refuses_steps_out_of_order_with_a_clear_error():
    with pytest.raises(ValidationError) as exc:
        clean(steps(("reminder", 7), ("final_notice", 28), ("block", 20)))
    assert str(exc.value) == (
        "step 3 (block, day 20) comes before step 2 (final_notice, day 28): steps must be in the order of their day"
    )
    assert exc.value.field == "steps"
    # a screen names the steps in the reader's words
    assert exc.value.text("nl") == (
        "Stap 3 (blokkeren van diensten, dag 20) komt vóór stap 2 (laatste aanmaning met blokkeerdatum, dag 28): "
        "de stappen moeten in de volgorde van hun dag staan"
    )
    assert exc.value.text("en").startswith("Step 3 (blocking of services, day 20) comes before step 2 (final notice")


@pytest.mark.promise("A1")
def test_a_settings_refusal_names_the_setting_it_is_about():
    with pytest.raises(ValidationError) as exc:
        clean(BUSINESS["steps"], settings={"block_notice_days": 2})
    assert str(exc.value) == "block_notice_days must be between 5 and 90"  # the CLI's line
    assert exc.value.field == "block_notice_days"
    assert exc.value.text("nl") == "Aantal dagen tussen de laatste aanmaning en de blokkade moet tussen 5 en 90 liggen"
    with pytest.raises(ValidationError) as exc:
        clean(
            BUSINESS["steps"], settings={"cost_rule": {"kind": "wik_scale", "brackets": [["veel", "1"], [None, "1"]]}}
        )
    assert str(exc.value) == "cost bracket 1 width is not a number"
    assert exc.value.field == "cost_rule"
    assert exc.value.text("nl") == "De breedte van schijf 1 van de kostenregel is geen getal"


@pytest.mark.promise("A5")
def test_it_refuses_overlapping_steps():
    with (
        pytest.raises(ValidationError, match=r"step 2 \(reminder, day 7\) overlaps step 1 \(reminder, day 7\)"),
    ):
        clean(steps(("reminder", 7), ("reminder", 7)))
    with pytest.raises(ValidationError, match="overlaps the notice period .* at least 7 days"):
        clean(steps(("reminder", 7), ("final_notice", 21), ("block", 24)))
    with pytest.raises(ValidationError, match="overlaps the fourteen-day term"):
        clean(
            steps(("reminder", 7), ("wik_letter", 14), ("final_notice", 21), ("block", 28), ("bailiff", 30)),
            market="b2c",
        )


@pytest.mark.promise("A2", "A3", "A4")
def test_it_keeps_the_order_reminders_notice_block_bailiff_cancellation():
    with pytest.raises(ValidationError, match="cannot follow .* the order is reminders"):
        clean(steps(("reminder", 7), ("final_notice", 14), ("block", 21), ("reminder", 30)))
    with pytest.raises(ValidationError, match="a block must be announced"):
        clean(steps(("reminder", 7), ("block", 21)))
    with pytest.raises(ValidationError, match="a block must be announced"):
        clean(steps(("reminder", 7), ("final_notice", 14), ("bailiff", 30)))
    with pytest.raises(ValidationError, match="first step must be a reminder"):
        clean(steps(("bailiff", 7)))
    with pytest.raises(ValidationError, match="must block them first"):
        clean(steps(("reminder", 7), ("cancel", 40)))
    with pytest.raises(ValidationError, match="at most one block"):
        clean(steps(("reminder", 7), ("final_notice", 14), ("block", 21), ("block", 30)))


@pytest.mark.promise("A1")
def test_a_consumer_ladder_must_send_the_wik_letter_and_charge_only_the_statutory_scale():
    with pytest.raises(ValidationError, match="must send the fourteen-day letter"):
        clean(steps(("reminder", 7), ("final_notice", 14), ("block", 21)), market="b2c")
    with pytest.raises(ValidationError, match="only on the statutory scale"):
        clean(CONSUMER["steps"], market="b2c", settings={"cost_rule": L.B2B_FIXED})


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([], "at least one step"),
        ([{"kind": "reminder", "day": 0}], "day must be a whole number"),
        ([{"kind": "reminder", "day": "7"}], "day must be a whole number"),
        ([{"kind": "phone_call", "day": 7}], "unknown kind"),
        ([{"kind": "reminder", "day": 7, "when": "x"}], "only key, kind and day"),
        ([{"key": "A B", "kind": "reminder", "day": 7}], "a key is lower-case"),
        (
            [{"key": "x", "kind": "reminder", "day": 7}, {"key": "x", "kind": "reminder", "day": 9}],
            "used twice",
        ),
    ],
)
def test_it_refuses_malformed_steps(bad, message):
    with pytest.raises(ValidationError, match=message):
        clean(bad)


@pytest.mark.parametrize(
    ("bad_settings", "message"),
    [
        ({"block_scope": "some"}, "block_scope must be invoice or all"),
        ({"cost_vat_rate": "9"}, "cost_vat_rate must be 0 or 21"),
        ({"cancel_silence_days": 2}, "cancel_silence_days must be between 7 and 180"),
        ({"colour": "red"}, "unknown ladder settings: colour"),
        (
            {"cost_rule": {"kind": "wik_scale", "brackets": [["100", "15"]], "minimum": "0", "maximum": "9"}},
            "open-ended",
        ),
        (
            {"cost_rule": {"kind": "wik_scale", "brackets": [[None, "150"]], "minimum": "0", "maximum": "9"}},
            "between 0 and 100",
        ),
        ({"cost_rule": {"kind": "wik_scale", "brackets": [[None, "1"]], "minimum": "50", "maximum": "9"}}, "minimum"),
        ({"cost_rule": {"kind": "guess"}}, "wik_scale, fixed_per_invoice or none"),
    ],
)
def test_it_refuses_bad_settings(bad_settings, message):
    with pytest.raises(ValidationError, match=message):
        clean(BUSINESS["steps"], settings=bad_settings)


@pytest.mark.parametrize(
    ("principal", "costs"),
    [
        ("121.00", "40.00"),  # 15% is 18.15: the minimum applies
        ("266.67", "40.00"),
        ("300.00", "45.00"),
        ("2500.00", "375.00"),
        ("3000.00", "425.00"),  # 375 + 10% of 500
        ("5000.00", "625.00"),
        ("10000.00", "875.00"),  # + 5% of 5000
        ("200000.00", "2775.00"),  # + 1% of 190000
        ("1000000.00", "6775.00"),  # 2775 + 0.5% of 800000 = 6775: the maximum
        ("5000000.00", "6775.00"),
        ("1234.56", "185.18"),  # 185.184, rounded half up
    ],
)
@pytest.mark.promise("A1")
def test_it_computes_the_wik_costs_exactly(principal, costs):
    assert L.scale_costs(Decimal(principal), L.WIK_SCALE) == Decimal(costs)


def test_it_adds_vat_on_costs_only_when_the_ladder_says_so():
    settings = L.clean_settings({}, market="b2c")
    assert L.collection_costs(Decimal("3000.00"), 2, settings) == (Decimal("425.00"), Decimal("0.00"))
    b2b_scale = L.clean_settings({"cost_rule": L.WIK_SCALE, "cost_vat_rate": "21"}, market="b2b")
    assert L.collection_costs(Decimal("3000.00"), 2, b2b_scale, market="b2b") == (Decimal("425.00"), Decimal("89.25"))
    b2b = L.clean_settings({}, market="b2b")
    assert L.collection_costs(Decimal("3000.00"), 3, b2b, market="b2b") == (Decimal("120.00"), Decimal("0.00"))
    assert L.collection_costs(Decimal("0"), 0, b2b, market="b2b") == (Decimal("0.00"), Decimal("0.00"))


@pytest.mark.django_db
@pytest.mark.promise("A5", "B4")
def test_every_edit_by_finance_makes_a_new_version_and_cases_keep_theirs(personas, consumer):
    ladder = Ladder.objects.get(key="consumer")
    consumer.invoice()
    run(DUE + dt.timedelta(days=7))
    case = consumer.case()
    assert case.ladder_version.version == 1
    new_steps = copy.deepcopy(CONSUMER["steps"])
    new_steps[0]["day"] = 3
    version = ladder_update(actor=personas.dave, ladder=ladder, steps=new_steps, settings=None, note="earlier reminder")
    assert (version.version, version.steps[0]["day"], version.created_by) == (2, 3, personas.dave)
    assert LadderVersion.objects.filter(ladder=ladder).count() == 2
    assert ladder.current() == version
    case.refresh_from_db()
    assert case.ladder_version.version == 1  # the case keeps the version it started with
    event = AuditEvent.objects.filter(action="dunning.ladder.update").last()
    assert event.data["version"] == 2 and event.actor == f"account:{personas.dave.pk}"
    for other in (personas.carol, personas.erin, personas.frank, personas.alice):
        with unchanged(), pytest.raises(PermissionDenied):
            ladder_update(actor=other, ladder=ladder, steps=new_steps)
    with unchanged(), pytest.raises(ValidationError):
        ladder_update(actor=personas.dave, ladder=ladder, steps=list(reversed(new_steps)))
    assert LadderVersion.objects.filter(ladder=ladder).count() == 2
