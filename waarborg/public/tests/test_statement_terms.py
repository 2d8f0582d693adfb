"""The statement at /privacy/ says what the map keeps and for how long: the record of a claim, the
fiscal correspondence, and that a term counts up to and including its last day."""

import re

import pytest
from django.utils.html import escape

from waarborg.core import datamap


def _section(response, name: str) -> str:
    body = response.content.decode()
    return re.search(rf'<section id="{name}".*?</section>', body, re.S).group(0)


def _category(response, cid: str) -> str:
    body = response.content.decode()
    return re.search(rf'<section class="data-category" data-category="{cid}".*?</section>', body, re.S).group(0)


@pytest.mark.django_db
@pytest.mark.promise("R3", "R4", "U15", "K2")
def test_the_dutch_statement_names_the_claim_records_and_the_fiscal_correspondence(client):
    response = client.get("/privacy/")
    d7, d11 = _category(response, "D7"), _category(response, "D11")
    claim = datamap.RETENTION["legal_claim_5y"]
    fiscal = datamap.RETENTION["fiscal_7y"]
    assert escape(claim.nl) in d7 and escape(claim.nl) in d11  # case files; contests
    assert escape(fiscal.nl) in d11  # correspondence about an invoice's amount or VAT
    assert "tot en met 5 jaar na het sluiten van de incassozaak (verjaring, art. 3:307 BW)" in claim.nl
    assert "tot en met 31 december van het factuurjaar plus 7 jaar" in fiscal.nl
    legal_claim = "Gerechtvaardigd belang: een rechtsvordering instellen, uitoefenen of verdedigen"
    assert f"{legal_claim} (AVG art. 6(1)(f), art. 17(3)(e))" in d11
    retention = _section(response, "retention")
    assert escape(claim.nl) in retention and escape(fiscal.nl) in retention
    assert "onze correspondentie over het bedrag of de btw van een factuur" in retention
    assert "tot en met 31 december van het zevende jaar na het factuurjaar" in retention
    assert "op 1 januari daarna worden ze gewist" in retention
    assert "geen fiscale administratie" in retention and "artikel 17 lid 3 sub e AVG" in retention
    assert "tot en met 5 jaar na het sluiten van de incassozaak" in retention and "3:307" in retention
    assert "Een termijn telt altijd tot en met de laatste dag; de gegevens worden de dag daarna gewist." in retention


@pytest.mark.django_db
@pytest.mark.promise("R3", "R4", "U15", "K2")
def test_the_english_statement_says_the_same(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/privacy/"})
    response = client.get("/privacy/")
    d7, d11 = _category(response, "D7"), _category(response, "D11")
    claim, fiscal = datamap.RETENTION["legal_claim_5y"], datamap.RETENTION["fiscal_7y"]
    assert escape(claim.en) in d7 and escape(claim.en) in d11 and escape(fiscal.en) in d11
    assert "Legitimate interest: establishing, exercising or defending a legal claim (GDPR art. 6(1)(f)" in d11
    retention = _section(response, "retention")
    assert "our correspondence about an invoice's amount or VAT" in retention
    assert "up to and including 31 December of the seventh year after the invoice year" in retention
    assert "is not a fiscal record" in retention and "GDPR art. 17(3)(e)" in retention
    assert "up to and including 5 years after the collection case closed" in retention
    assert "A term always counts up to and including its last day; the data is erased the day after." in retention
