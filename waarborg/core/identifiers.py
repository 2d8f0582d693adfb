"""Normal forms of the identifiers a subject can be found by.

Stored values and search values go through the same function, so that equality in an index is
enough to find a subject. Errors name the kind of identifier, never the value.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

import phonenumbers

from waarborg.core.errors import ValidationError
from waarborg.core.postcodes import CountryName, postcode_example, postcode_normal

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CUSTOMER_NUMBER = re.compile(r"^K[0-9]{5,9}$")


def normalise_email(value: str) -> str:
    email = (value or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise ValidationError("identifiers.email_invalid", field="email")
    return email


def normalise_phone(value: str, region: str = "NL") -> str:
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError("identifiers.phone_invalid", field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("identifiers.phone_invalid", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_customer_number(value: str) -> str:
    number = (value or "").strip().upper()
    if not _CUSTOMER_NUMBER.match(number):
        raise ValidationError("identifiers.customer_number_invalid", field="customer")
    return number


def normalise_ip(value: str) -> str:
    try:
        return ipaddress.ip_address((value or "").strip()).compressed
    except ValueError:
        raise ValidationError("identifiers.ip_invalid", field="ip") from None


def normalise_postcode(value: str, country: str = "NL") -> str:
    """The postcode in its country's normal form (waarborg.core.postcodes); NL: "1234 AB"."""
    country = (country or "NL").strip().upper()
    normal = postcode_normal(value, country)
    if normal is None:
        if country == "NL":
            raise ValidationError("identifiers.postcode_nl_invalid", field="postcode")
        example = postcode_example(country)
        if example:
            raise ValidationError(
                "identifiers.postcode_country_invalid",
                {"country": CountryName(country), "example": example},
                field="postcode",
            )
        raise ValidationError("identifiers.postcode_invalid", field="postcode")
    return normal


def normalise_name(value: str) -> str:
    """Case, accents, punctuation and spacing do not distinguish two names."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = re.sub(r"[^\w\s]", " ", letters.casefold())
    name = " ".join(letters.split())
    if not name:
        raise ValidationError("identifiers.name_missing", field="name")
    return name


def normalise_iban(value: str) -> str:
    return "".join((value or "").split()).upper()


def normalise_domain(value: str) -> str:
    domain = (value or "").strip().lower().rstrip(".")
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError("identifiers.domain_invalid", field="domain") from None


NORMALISERS = {
    "email": normalise_email,
    "phone": normalise_phone,
    "customer_number": normalise_customer_number,
    "ip": normalise_ip,
    "postcode": normalise_postcode,
    "name": normalise_name,
    "iban": normalise_iban,
    "domain": normalise_domain,
}
