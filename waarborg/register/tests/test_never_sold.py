"""Personal data is never sold (T1): no purpose, no recipient category and no registration allows it."""

import pytest

from waarborg.core import datamap
from waarborg.core.errors import ValidationError
from waarborg.register.services import recipient_register
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db

# Recipients of personal data exist only to perform the agreement or meet a legal obligation (T2).
ALLOWED = {
    "datacenter",
    "registry",
    "certificate_authority",
    "payment_provider",
    "mail_provider",
    "accountant",
    "tax_authority",
    "bailiff",
}


@pytest.mark.promise("T1", "T2")
def test_it_knows_no_recipient_or_purpose_that_buys_data():
    assert set(datamap.RECIPIENT_CATEGORIES) == ALLOWED
    used = {r for e in datamap.entries() for pd in e.fields.values() for r in pd.recipients}
    assert used <= ALLOWED
    words = " ".join(n for pair in datamap.PURPOSES.values() for n in pair).lower()
    assert not any(w in words for w in ("verkoop", "verkopen", "sale", "sell", "broker", "advertis"))


@pytest.mark.promise("T1", "T3")
@pytest.mark.parametrize("category", ["data_broker", "advertiser", "marketing_partner"])
def test_it_refuses_to_register_a_buyer_of_data_and_writes_nothing(personas, category):
    with unchanged(), pytest.raises(ValidationError) as refused:
        recipient_register(
            actor=personas.erin,
            key="koper",
            name="Adressenhandel B.V.",
            kind="third_party",
            category=category,
            purpose="Koopt klantbestanden",
            data_categories=["D2", "D3"],
        )
    assert refused.value.field == "category"
