"""Postcodes of the EU/EEA countries our customers live in, each by its own rule, and the
countries themselves (the choice on every address form, ISO 3166 codes).

`postcode_normal(value, country)` gives the one written form a postcode is stored and searched
in (so equality in an index finds it): the Dutch form stays "1234 AB" exactly — the finder's
indexes and the erasure ledger's keyed hashes depend on it. A country without a rule here takes
any short code of letters, digits, spaces and dashes, in upper case.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# country -> (pattern on the value in upper case without spaces or dashes, normal form, example)
_RULES: dict[str, tuple[str, str, str]] = {
    "NL": (r"([1-9][0-9]{3})([A-Z]{2})", "{0} {1}", "1234 AB"),
    "BE": (r"([1-9][0-9]{3})", "{0}", "1000"),
    "DE": (r"([0-9]{5})", "{0}", "10115"),
    "FR": (r"([0-9]{5})", "{0}", "75001"),
    "LU": (r"(?:L)?([0-9]{4})", "L-{0}", "L-1234"),
    "AT": (r"([1-9][0-9]{3})", "{0}", "1010"),
    "BG": (r"([1-9][0-9]{3})", "{0}", "1000"),
    "CY": (r"([1-9][0-9]{3})", "{0}", "1010"),
    "CZ": (r"([1-7][0-9]{2})([0-9]{2})", "{0} {1}", "110 00"),
    "DK": (r"([1-9][0-9]{3})", "{0}", "1050"),
    "EE": (r"([0-9]{5})", "{0}", "10111"),
    "ES": (r"((?:0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3})", "{0}", "28001"),
    "FI": (r"([0-9]{5})", "{0}", "00100"),
    "GR": (r"([1-8][0-9]{2})([0-9]{2})", "{0} {1}", "105 57"),
    "HR": (r"([1-5][0-9]{4})", "{0}", "10000"),
    "HU": (r"([1-9][0-9]{3})", "{0}", "1011"),
    "IE": (r"([AC-FHKNPRTV-Y][0-9]{2}|D6W)([0-9AC-FHKNPRTV-Y]{4})", "{0} {1}", "D02 X285"),
    "IT": (r"([0-9]{5})", "{0}", "00118"),
    "LT": (r"(?:LT)?([0-9]{5})", "LT-{0}", "LT-01100"),
    "LV": (r"(?:LV)?([0-9]{4})", "LV-{0}", "LV-1050"),
    "MT": (r"([A-Z]{3})([0-9]{4})", "{0} {1}", "VLT 1117"),
    "PL": (r"([0-9]{2})([0-9]{3})", "{0}-{1}", "00-950"),
    "PT": (r"([1-9][0-9]{3})([0-9]{3})", "{0}-{1}", "1000-001"),
    "RO": (r"([0-9]{6})", "{0}", "010011"),
    "SE": (r"([1-9][0-9]{2})([0-9]{2})", "{0} {1}", "114 55"),
    "SI": (r"(?:SI)?([1-9][0-9]{3})", "{0}", "1000"),
    "SK": (r"([089][0-9]{2})([0-9]{2})", "{0} {1}", "811 01"),
    "IS": (r"([1-9][0-9]{2})", "{0}", "101"),
    "LI": (r"(94[89][0-9])", "{0}", "9490"),
    "NO": (r"([0-9]{4})", "{0}", "0150"),
}
_COMPILED = {
    country: (re.compile(rf"^{pattern}$"), form, example) for country, (pattern, form, example) in _RULES.items()
}
_OTHER = re.compile(r"^[A-Z0-9][A-Z0-9 -]{0,11}$")

# The countries of the EU and the EEA, by name as a person reads it.
COUNTRIES = {
    "NL": _("Netherlands"),
    "BE": _("Belgium"),
    "DE": _("Germany"),
    "FR": _("France"),
    "LU": _("Luxembourg"),
    "AT": _("Austria"),
    "BG": _("Bulgaria"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "GR": _("Greece"),
    "HR": _("Croatia"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LT": _("Lithuania"),
    "LV": _("Latvia"),
    "MT": _("Malta"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SE": _("Sweden"),
    "SI": _("Slovenia"),
    "SK": _("Slovakia"),
    "IS": _("Iceland"),
    "LI": _("Liechtenstein"),
    "NO": _("Norway"),
}


def country_choices() -> list[tuple[str, str]]:
    """The countries for an address form: the Netherlands first, then by name."""
    rest = sorted(((code, str(name)) for code, name in COUNTRIES.items() if code != "NL"), key=lambda c: c[1])
    return [("NL", str(COUNTRIES["NL"])), *rest]


def postcode_example(country: str) -> str:
    rule = _COMPILED.get(country)
    return rule[2] if rule else ""


def postcode_normal(value: str, country: str) -> str | None:
    """The normal form of `value` as a postcode of `country`, or None when it does not fit."""
    raw = " ".join((value or "").upper().split())
    rule = _COMPILED.get(country)
    if rule is None:
        return raw if _OTHER.match(raw) else None
    pattern, form, _example = rule
    match = pattern.match(re.sub(r"[\s-]", "", raw))
    return form.format(*match.groups()) if match else None


class CountryName:
    """A country in a message: its code on the command line, its name on a screen."""

    def __init__(self, code: str):
        self.code = code

    def words(self, lang: str, plain: bool) -> str:
        name = COUNTRIES.get(self.code)
        return self.code if plain or name is None else str(name)
