"""Ladders as data: their validation, the collection-cost rules, and the default ladders.

A ladder is a list of steps with a day offset from the due date of the oldest unpaid invoice,
plus settings. The order is fixed by the promises: reminders (and, for consumers, the WIK
"14-dagenbrief"), a final notice that names the block date, the block, the bailiff hand-off,
the cancellation. A ladder that breaks the order, puts two steps on one day or leaves too little
time between a notice and the step it announces is refused with an error naming the steps.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from waarborg.core.errors import ValidationError
from waarborg.dunning.words import Money, dutch

CENT = Decimal("0.01")

REMINDER, WIK_LETTER, FINAL_NOTICE, BLOCK, BAILIFF, CANCEL = (
    "reminder",
    "wik_letter",
    "final_notice",
    "block",
    "bailiff",
    "cancel",
)

# kind -> (rank in the ladder, Dutch name, English name)
STEP_KINDS: dict[str, tuple[int, str, str]] = {
    REMINDER: (0, "betalingsherinnering", "payment reminder"),
    WIK_LETTER: (0, "veertiendagenbrief (aanmaning)", "fourteen-day letter (formal demand)"),
    FINAL_NOTICE: (1, "laatste aanmaning met blokkeerdatum", "final notice with the block date"),
    BLOCK: (2, "blokkeren van diensten", "blocking of services"),
    BAILIFF: (3, "overdracht aan de deurwaarder", "hand-off to a bailiff"),
    CANCEL: (4, "opzeggen van diensten", "cancellation of services"),
}
NOTICE_KINDS = (REMINDER, WIK_LETTER, FINAL_NOTICE, BLOCK, CANCEL)  # steps that send an e-mail themselves
SINGLE_KINDS = (WIK_LETTER, FINAL_NOTICE, BLOCK, BAILIFF, CANCEL)

WIK_TERM_DAYS = 14  # art. 6:96(6) BW
WIK_MIN_GAP_DAYS = 21  # the term, plus the days a letter may take to count as received
MAX_DAY = 730
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

# The statutory scale (Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2), as data:
# the most a consumer may be charged (art. 6:96(5) BW: no deviation to the consumer's detriment).
WIK_SCALE = {
    "kind": "wik_scale",
    "brackets": [["2500.00", "15"], ["2500.00", "10"], ["5000.00", "5"], ["190000.00", "1"], [None, "0.5"]],
    "minimum": "40.00",
    "maximum": "6775.00",
}
# Business customers: at least EUR 40 per invoice paid late (art. 6:96(4) BW).
B2B_FIXED = {"kind": "fixed_per_invoice", "amount": "40.00"}
# No collection costs at all (any market).
NO_COSTS = {"kind": "none"}
MAX_BRACKETS = 20
_TOO_LARGE = Decimal("1e12")  # above any amount a claim or a rule can sensibly hold

DEFAULT_SETTINGS = {
    "block_scope": "invoice",  # block only the services the unpaid invoices are for; or "all"
    "block_notice_days": 7,  # at least this many days between the final notice and the block
    "cancel_silence_days": 14,  # no response this long after a notice with the contest link
    "cost_rule": WIK_SCALE,
    "cost_vat_rate": "0",  # 21 only when the provider charges VAT on collection costs
}

DEFAULT_LADDERS = {
    "business": {
        "market": "b2b",
        "name_nl": "Zakelijke klanten",
        "name_en": "Business customers",
        "steps": [
            {"key": "reminder-1", "kind": REMINDER, "day": 7},
            {"key": "reminder-2", "kind": REMINDER, "day": 14},
            {"key": "final-notice", "kind": FINAL_NOTICE, "day": 21},
            {"key": "block", "kind": BLOCK, "day": 28},
            {"key": "bailiff", "kind": BAILIFF, "day": 56},
            {"key": "cancel", "kind": CANCEL, "day": 84},
        ],
        "settings": {**DEFAULT_SETTINGS, "cost_rule": B2B_FIXED},
    },
    "consumer": {
        "market": "b2c",
        "name_nl": "Consumenten",
        "name_en": "Consumers",
        "steps": [
            {"key": "reminder-1", "kind": REMINDER, "day": 7},
            {"key": "wik-letter", "kind": WIK_LETTER, "day": 14},
            {"key": "final-notice", "kind": FINAL_NOTICE, "day": 35},
            {"key": "block", "kind": BLOCK, "day": 42},
            {"key": "bailiff", "kind": BAILIFF, "day": 70},
            {"key": "cancel", "kind": CANCEL, "day": 100},
        ],
        "settings": dict(DEFAULT_SETTINGS),
    },
}


def kind_name(kind: str, lang: str = "nl") -> str:
    entry = STEP_KINDS.get(kind)
    if entry is None:
        return kind
    return entry[1] if lang == "nl" else entry[2]


# --- A ladder's parts in an error's words (waarborg.core.messages: `words(lang, plain)`) ------


class Step:
    """A step in an error: "step 2 (reminder, day 14)" plainly, "stap 2 (betalingsherinnering,
    dag 14)" in Dutch, "step 2 (payment reminder, day 14)" in English."""

    def __init__(self, index: int, step: dict):
        self.n, self.kind, self.day = index + 1, step["kind"], step["day"]

    def words(self, lang: str, plain: bool) -> str:
        if plain:
            return f"step {self.n} ({self.kind}, day {self.day})"
        if dutch(lang):
            return f"stap {self.n} ({kind_name(self.kind, 'nl')}, dag {self.day})"
        return f"step {self.n} ({kind_name(self.kind, 'en')}, day {self.day})"


class StepKind:
    """What a step does, in an error: "block" plainly, "blokkeren van diensten" in Dutch."""

    def __init__(self, kind: str):
        self.kind = kind

    def words(self, lang: str, plain: bool) -> str:
        return self.kind if plain else f'"{kind_name(self.kind, "nl" if dutch(lang) else "en")}"'


# A number in the cost rule, in an error: (plainly, in English, in Dutch); {n} is a bracket's number.
_PARTS = {
    "width": (
        "cost bracket {n} width",
        "the width of cost bracket {n}",
        "de breedte van schijf {n} van de kostenregel",
    ),
    "percent": (
        "cost bracket {n} percent",
        "the percentage of cost bracket {n}",
        "het percentage van schijf {n} van de kostenregel",
    ),
    "minimum": ("the minimum cost", "the minimum of the cost rule", "het minimum van de kostenregel"),
    "maximum": ("the maximum cost", "the maximum of the cost rule", "het maximum van de kostenregel"),
    "amount": ("the fixed cost", "the fixed amount of the cost rule", "het vaste bedrag van de kostenregel"),
}


class CostPart:
    def __init__(self, part: str, n: int | None = None):
        self.part, self.n = part, n

    def words(self, lang: str, plain: bool) -> str:
        as_given, english, in_dutch = _PARTS[self.part]
        return (as_given if plain else in_dutch if dutch(lang) else english).format(n=self.n)


def _decimal(value, *, field, at: str) -> Decimal:
    """A number of the settings; `field` names it in an error (a setting, or a CostPart), `at` is
    the setting the error is shown at."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError("dunning.not_a_number", {"field": field}, field=at) from None
    if not number.is_finite():
        raise ValidationError("dunning.not_a_number", {"field": field}, field=at)
    if abs(number) >= _TOO_LARGE:
        raise ValidationError("dunning.too_large", {"field": field}, field=at)
    return number


def _int(value, *, field: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("dunning.whole_number", {"field": field}, field=field)
    if not minimum <= value <= maximum:
        raise ValidationError("dunning.between", {"field": field, "minimum": minimum, "maximum": maximum}, field=field)
    return value


def clean_cost_rule(rule, *, market: str) -> dict:
    """The cost rule in its normal form, or ValidationError.

    Kinds: "wik_scale" (brackets with a minimum and a maximum), "fixed_per_invoice" (business
    customers only) and "none" (no collection costs). A consumer's rule may never charge more
    than the statutory scale on any principal (`statute_excess`)."""
    if not isinstance(rule, dict):
        raise ValidationError("dunning.cost_rule_object", field="cost_rule")
    kind = rule.get("kind")
    if kind == "none":
        return dict(NO_COSTS)
    if kind == "wik_scale":
        brackets = rule.get("brackets")
        if not isinstance(brackets, list) or not brackets:
            raise ValidationError("dunning.cost_brackets_missing", field="cost_rule")
        if len(brackets) > MAX_BRACKETS:
            raise ValidationError("dunning.cost_brackets_too_many", {"max": MAX_BRACKETS}, field="cost_rule")
        clean = []
        for n, bracket in enumerate(brackets):
            if not isinstance(bracket, (list, tuple)) or len(bracket) != 2:
                raise ValidationError("dunning.cost_bracket_shape", {"n": n + 1}, field="cost_rule")
            width, rate = bracket
            last = n == len(brackets) - 1
            if last != (width is None):
                raise ValidationError("dunning.cost_bracket_open", field="cost_rule")
            if width is not None:
                w = _decimal(width, field=CostPart("width", n + 1), at="cost_rule")
                if w.quantize(CENT) <= 0:
                    raise ValidationError("dunning.cost_bracket_width", {"n": n + 1}, field="cost_rule")
                width = str(w.quantize(CENT))
            r = _decimal(rate, field=CostPart("percent", n + 1), at="cost_rule")
            if not Decimal(0) <= r <= Decimal(100):
                raise ValidationError("dunning.cost_bracket_percent", {"n": n + 1}, field="cost_rule")
            clean.append([width, str(r)])
        minimum = _decimal(rule.get("minimum", "0"), field=CostPart("minimum"), at="cost_rule")
        maximum = _decimal(rule.get("maximum", "0"), field=CostPart("maximum"), at="cost_rule")
        if minimum < 0 or maximum < 0 or minimum > maximum:
            raise ValidationError("dunning.cost_minimum_maximum", field="cost_rule")
        clean_rule = {
            "kind": kind,
            "brackets": clean,
            "minimum": str(minimum.quantize(CENT)),
            "maximum": str(maximum.quantize(CENT)),
        }
        if market != "b2b":
            excess = statute_excess(clean_rule)
            if excess is not None:
                principal, charged, allowed = excess
                raise ValidationError(
                    "dunning.cost_above_statute",
                    {"principal": Money(principal), "charged": Money(charged), "allowed": Money(allowed)},
                    field="cost_rule",
                )
        return clean_rule
    if kind == "fixed_per_invoice":
        if market != "b2b":
            raise ValidationError("dunning.cost_fixed_consumer", field="cost_rule")
        amount = _decimal(rule.get("amount"), field=CostPart("amount"), at="cost_rule")
        if amount < 0:
            raise ValidationError("dunning.cost_fixed_negative", field="cost_rule")
        return {"kind": kind, "amount": str(amount.quantize(CENT))}
    raise ValidationError("dunning.cost_rule_kind", field="cost_rule")


def clean_settings(settings, *, market: str) -> dict:
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise ValidationError("dunning.settings_object", field="settings")
    unknown = sorted(set(settings) - set(DEFAULT_SETTINGS))
    if unknown:
        raise ValidationError("dunning.settings_unknown", {"names": ", ".join(unknown)}, field="settings")
    merged = {**DEFAULT_SETTINGS, **({"cost_rule": B2B_FIXED} if market == "b2b" else {}), **settings}
    scope = merged["block_scope"]
    if scope not in ("invoice", "all"):
        raise ValidationError("dunning.block_scope", {"field": "block_scope"}, field="block_scope")
    vat = _decimal(merged["cost_vat_rate"], field="cost_vat_rate", at="cost_vat_rate")
    if vat not in (Decimal(0), Decimal(21)):
        raise ValidationError("dunning.cost_vat_rate", {"field": "cost_vat_rate"}, field="cost_vat_rate")
    if vat and market != "b2b":
        # The scale is the most a consumer pays; a provider that deducts VAT adds none on top.
        raise ValidationError("dunning.cost_vat_consumer", {"field": "cost_vat_rate"}, field="cost_vat_rate")
    return {
        "block_scope": scope,
        "block_notice_days": _int(merged["block_notice_days"], field="block_notice_days", minimum=5, maximum=90),
        "cancel_silence_days": _int(merged["cancel_silence_days"], field="cancel_silence_days", minimum=7, maximum=180),
        "cost_rule": clean_cost_rule(merged["cost_rule"], market=market),
        "cost_vat_rate": str(vat.normalize()),
    }


def _pair(n: int, step: dict, m: int, other: dict) -> dict:
    return {"step": Step(n, step), "other": Step(m, other)}


def clean_steps(steps, *, market: str, settings: dict) -> list[dict]:
    """The steps in their normal form, or ValidationError naming the step that is wrong."""
    if not isinstance(steps, list) or not steps:
        raise ValidationError("dunning.ladder_no_steps", field="steps")
    clean: list[dict] = []
    keys: set[str] = set()
    for n, raw in enumerate(steps):
        if not isinstance(raw, dict) or set(raw) - {"key", "kind", "day"}:
            raise ValidationError("dunning.step_keys", {"n": n + 1}, field="steps")
        kind = raw.get("kind")
        if kind not in STEP_KINDS:
            raise ValidationError(
                "dunning.step_kind", {"n": n + 1, "kind": repr(kind), "kinds": ", ".join(STEP_KINDS)}, field="steps"
            )
        day = raw.get("day")
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= MAX_DAY:
            raise ValidationError("dunning.step_day", {"n": n + 1, "max": MAX_DAY}, field="steps")
        key = str(raw.get("key") or f"{kind.replace('_', '-')}-{n + 1}").strip().lower()
        if not _KEY.match(key):
            raise ValidationError("dunning.step_key", {"n": n + 1}, field="steps")
        if key in keys:
            raise ValidationError("dunning.step_key_twice", {"n": n + 1, "key": repr(key)}, field="steps")
        keys.add(key)
        clean.append({"key": key, "kind": kind, "day": day})

    for n in range(1, len(clean)):
        before, step = clean[n - 1], clean[n]
        if step["day"] == before["day"]:
            raise ValidationError("dunning.steps_same_day", _pair(n, step, n - 1, before), field="steps")
        if step["day"] < before["day"]:
            raise ValidationError("dunning.steps_day_order", _pair(n, step, n - 1, before), field="steps")
        if STEP_KINDS[step["kind"]][0] < STEP_KINDS[before["kind"]][0]:
            raise ValidationError("dunning.steps_kind_order", _pair(n, step, n - 1, before), field="steps")
    if clean[0]["kind"] not in (REMINDER, WIK_LETTER):
        raise ValidationError("dunning.first_step", field="steps")
    kinds = [s["kind"] for s in clean]
    for kind in SINGLE_KINDS:
        if kinds.count(kind) > 1:
            raise ValidationError("dunning.step_once", {"kind": StepKind(kind)}, field="steps")
    if BLOCK in kinds or FINAL_NOTICE in kinds:
        if BLOCK not in kinds or FINAL_NOTICE not in kinds:
            raise ValidationError("dunning.block_unannounced", field="steps")
        b = kinds.index(BLOCK)
        if kinds[b - 1] != FINAL_NOTICE:
            raise ValidationError("dunning.block_after_notice", {"step": Step(b, clean[b])}, field="steps")
        gap = clean[b]["day"] - clean[b - 1]["day"]
        if gap < settings["block_notice_days"]:
            raise ValidationError(
                "dunning.block_notice_period",
                _pair(b, clean[b], b - 1, clean[b - 1]) | {"days": settings["block_notice_days"]},
                field="steps",
            )
    if CANCEL in kinds and BLOCK not in kinds:
        raise ValidationError("dunning.cancel_without_block", field="steps")
    if market == "b2c":
        if WIK_LETTER not in kinds:
            raise ValidationError("dunning.consumer_without_wik", field="steps")
        w = kinds.index(WIK_LETTER)
        for n in range(w + 1, len(clean)):
            if clean[n]["kind"] == BAILIFF and clean[n]["day"] - clean[w]["day"] < WIK_MIN_GAP_DAYS:
                raise ValidationError(
                    "dunning.wik_term", _pair(n, clean[n], w, clean[w]) | {"days": WIK_MIN_GAP_DAYS}, field="steps"
                )
        if BAILIFF in kinds and kinds.index(BAILIFF) < w:
            raise ValidationError("dunning.wik_before_bailiff", field="steps")
    return clean


def clean_ladder(steps, settings, *, market: str) -> tuple[list[dict], dict]:
    clean_set = clean_settings(settings, market=market)
    return clean_steps(steps, market=market, settings=clean_set), clean_set


# --- Collection costs ---------------------------------------------------------------------


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def scale_costs(principal: Decimal, rule: dict) -> Decimal:
    """A scale rule over `principal`: per bracket, then minimum and maximum; excl. VAT."""
    principal = Decimal(principal)
    if principal <= 0:
        return Decimal("0.00")
    rest, total = principal, Decimal(0)
    for width, percent in rule["brackets"]:
        part = rest if width is None else min(rest, Decimal(width))
        total += part * Decimal(percent) / 100
        rest -= part
        if rest <= 0:
            break
    total = max(total, Decimal(rule["minimum"]))
    total = min(total, Decimal(rule["maximum"]))
    return _round(total)


def collection_costs(
    principal: Decimal, invoices: int, settings: dict, *, market: str = "b2c"
) -> tuple[Decimal, Decimal]:
    """(costs excl. VAT, VAT on them) for an unpaid `principal` over `invoices` invoices, claimed
    together: a scale is applied once, over their sum.

    Unless the ladder is a business ladder (in doubt: consumer), the costs are never more than the
    statutory scale, and no VAT is added, whatever the stored rule says."""
    rule = settings["cost_rule"]
    principal = Decimal(principal)
    if principal <= 0 or invoices <= 0 or rule.get("kind") == "none":
        return Decimal("0.00"), Decimal("0.00")
    if rule["kind"] == "fixed_per_invoice":
        costs = _round(Decimal(rule["amount"]) * invoices)
    else:
        costs = scale_costs(principal, rule)
    if market != "b2b":
        return min(costs, scale_costs(principal, WIK_SCALE)), Decimal("0.00")
    vat = _round(costs * Decimal(settings["cost_vat_rate"]) / 100)
    return costs, vat


# --- A consumer's rule against the statutory scale ----------------------------------------
#
# A scale rule is c(P) = min(max(f(P), minimum), maximum), with f the sum over the brackets: a
# continuous, non-decreasing function, linear between the bracket boundaries. So the difference
# between a rule and the statute is linear between these points: the boundaries of both scales,
# the principals where either f first reaches its minimum or its maximum, and 0 (the limit just
# above zero). Beyond the last of them both are constant (each has reached its maximum or has a
# last rate of 0). The largest difference is therefore at one of these points, computed here
# exactly, with fractions.


def _segments(rule: dict) -> list[tuple[Fraction, Fraction, Fraction | None, Fraction]]:
    """[(start, f(start), end or None, rate per euro)] of a scale rule."""
    out, start, base = [], Fraction(0), Fraction(0)
    for width, percent in rule["brackets"]:
        rate = Fraction(Decimal(str(percent))) / 100
        end = None if width is None else start + Fraction(Decimal(str(width)))
        out.append((start, base, end, rate))
        if end is None:
            break
        base += (end - start) * rate
        start = end
    return out


def _raw(segments, principal: Fraction) -> Fraction:
    for start, base, end, rate in segments:
        if end is None or principal <= end:
            return base + (principal - start) * rate
    start, base, end, rate = segments[-1]
    return base + (end - start) * rate  # past a closed last bracket nothing more is added


def _charged(rule: dict, segments, principal: Fraction) -> Fraction:
    total = max(_raw(segments, principal), Fraction(Decimal(str(rule["minimum"]))))
    return min(total, Fraction(Decimal(str(rule["maximum"]))))


def _reaches(segments, level: Fraction) -> Fraction | None:
    """The smallest principal where f reaches `level`; None when it never does."""
    if level <= 0:
        return Fraction(0)
    for start, base, end, rate in segments:
        top = None if end is None else base + (end - start) * rate
        if rate and (top is None or top >= level):
            return start + (level - base) / rate
    return None


def _critical_points(rule: dict, segments) -> set[Fraction]:
    points = {Fraction(0)}
    points.update(end for _s, _b, end, _r in segments if end is not None)
    for level in (rule["minimum"], rule["maximum"]):
        reach = _reaches(segments, Fraction(Decimal(str(level))))
        if reach is not None:
            points.add(reach)
    return points


def _money_text(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP))


def statute_excess(rule: dict) -> tuple[str, str, str] | None:
    """Where a (clean) scale rule charges more than the statutory scale: (principal, what the rule
    charges, what the statute allows), at the principal where the difference is largest; None
    when it charges no more on any principal."""
    mine, law = _segments(rule), _segments(WIK_SCALE)
    points = _critical_points(rule, mine) | _critical_points(WIK_SCALE, law)
    worst, worst_at = Fraction(0), None
    for point in sorted(points):
        over = _charged(rule, mine, point) - _charged(WIK_SCALE, law, point)
        if over > worst:
            worst, worst_at = over, point
    if worst_at is None:
        return None
    shown = max(worst_at, Fraction(1, 100))  # "0": the limit just above zero; shown as one cent
    return (
        _money_text(shown),
        _money_text(_charged(rule, mine, worst_at)),
        _money_text(_charged(WIK_SCALE, law, worst_at)),
    )
