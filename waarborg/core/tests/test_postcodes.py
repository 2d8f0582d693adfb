"""Addresses and phone numbers of the EU/EEA by their own rules (G2): each country's postcode in
its normal form, the Dutch form byte-identical to what the finder's indexes and the erasure
ledger's keyed hashes were built on; a postcode that does not fit its country is refused."""

import pytest

from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_phone, normalise_postcode


@pytest.mark.promise("G2")
@pytest.mark.parametrize(
    "value, country, normal",
    [
        ("1234ab", "NL", "1234 AB"),
        (" 1234  AB ", "NL", "1234 AB"),
        ("1000", "BE", "1000"),
        ("10115", "DE", "10115"),
        ("75001", "FR", "75001"),
        ("l-1234", "LU", "L-1234"),
        ("1234", "LU", "L-1234"),
        ("00950", "PL", "00-950"),
        ("1000001", "PT", "1000-001"),
        ("11455", "SE", "114 55"),
        ("d02x285", "IE", "D02 X285"),
    ],
)
def test_each_country_has_its_normal_form(value, country, normal):
    assert normalise_postcode(value, country) == normal


@pytest.mark.parametrize(
    "value, country",
    [
        ("12345", "NL"),
        ("0123 AB", "NL"),
        ("10115", "BE"),
        ("1000", "DE"),
        ("7500", "FR"),
        ("12345", "LU"),
        ("ABC", "FR"),
    ],
)
def test_a_postcode_that_does_not_fit_its_country_is_refused_clearly(value, country):
    with pytest.raises(ValidationError) as caught:
        normalise_postcode(value, country)
    error = caught.value
    assert error.field == "postcode"
    if country != "NL":
        assert error.code == "identifiers.postcode_country_invalid"
        assert str(error).startswith(f"this is not a postcode of {country}, which look like ")
        assert "Frankrijk" in error.text("nl") if country == "FR" else True


@pytest.mark.parametrize(
    "value, country, e164",
    [
        ("0470 12 34 56", "BE", "+32470123456"),
        ("030 1234567", "DE", "+49301234567"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("621 123 456", "LU", "+352621123456"),
        ("06 12345678", "NL", "+31612345678"),
        ("+32 470 12 34 56", "NL", "+32470123456"),  # an international number fits whatever the country
    ],
)
def test_phone_numbers_follow_their_countrys_plan(value, country, e164):
    assert normalise_phone(value, country) == e164
