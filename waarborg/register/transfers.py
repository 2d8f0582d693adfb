"""Transfers outside the EEA (chapter V GDPR): which recipients' countries are third countries,
and the sentence both the record of processing and the access package use for them."""

from __future__ import annotations

# The member states of the European Economic Area: the EU plus Iceland, Liechtenstein and Norway.
EEA = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split())

OUTSIDE_EEA = (
    "buiten de EER: vraag ons naar de waarborgen (artikel 46 AVG)",
    "outside the EEA: ask us for the safeguards (Article 46 GDPR)",
)


def outside_eea(country: str) -> bool:
    """Whether a recipient in `country` (ISO code) receives the data in a third country."""
    return country not in EEA
