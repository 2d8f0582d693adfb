"""Dates and amounts in a customer's words (Dutch or English), and the values of an error message
that put themselves into words (`words(lang, plain)`, see waarborg.core.messages): plainly as
given for the CLI and the API's `msg`, per language for screens and mails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from waarborg.core.datamap import CATEGORIES

CENT = Decimal("0.01")

MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "en": "January February March April May June July August September October November December".split(),
}


def format_date(day, lang: str) -> str:
    if day is None:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    month = MONTHS["nl" if lang == "nl" else "en"][day.month - 1]
    return f"{day.day} {month} {day.year}"


def format_money(amount, currency: str, lang: str) -> str:
    value = Decimal(str(amount)).quantize(CENT)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = f"{int(whole):,}"
    if lang == "nl":
        text = f"{groups.replace(',', '.')},{cents}"
        return f"{sign}€ {text}" if currency == "EUR" else f"{sign}{currency} {text}"
    text = f"{groups}.{cents}"
    return f"{sign}€{text}" if currency == "EUR" else f"{sign}{currency} {text}"


def dutch(lang: str | None) -> bool:
    return (lang or "nl").startswith("nl")


class Money:
    """An amount in an error: "1619800.00" plainly, "€ 1.619.800,00" in Dutch, "€1,619,800.00" in English."""

    def __init__(self, amount, currency: str = "EUR"):
        self.amount, self.currency = amount, currency

    def words(self, lang: str, plain: bool) -> str:
        if plain:
            return str(self.amount)
        return format_money(self.amount, self.currency, "nl" if dutch(lang) else "en")

    def __str__(self) -> str:
        return self.words("en", True)


class Day:
    """A date in an error: "2026-03-03" plainly, "3 maart 2026" in Dutch, "3 March 2026" in English."""

    def __init__(self, day: dt.date):
        self.day = day

    def words(self, lang: str, plain: bool) -> str:
        if plain:
            return self.day.isoformat()
        return format_date(self.day, "nl" if dutch(lang) else "en")

    def __str__(self) -> str:
        return self.words("en", True)


class Categories:
    """Data categories in a message: their codes on the command line, their names on a screen."""

    def __init__(self, codes):
        self.codes = list(codes)

    def words(self, lang: str, plain: bool) -> str:
        if plain:
            return ", ".join(self.codes)
        index = 0 if dutch(lang) else 1
        return "; ".join(f"{code} ({CATEGORIES[code][index]})" if code in CATEGORIES else code for code in self.codes)

    def __str__(self) -> str:
        return self.words("en", True)
