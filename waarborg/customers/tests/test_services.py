import re

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.core import datamap
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.customers.models import Contact, ContactHistory, Customer
from waarborg.customers.services import contact_create, contact_update, customer_create
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db


# --- customer_create ------------------------------------------------------------------------


@pytest.mark.promise("D5", "B4")
def test_it_creates_customers_with_consecutive_numbers(carol):
    first = customer_create(actor=carol, kind="private", name="Henk Visser")
    second = customer_create(actor=carol, kind="organisation", name="Visser Media B.V.", kvk_number="1234 5678")
    assert re.fullmatch(r"K[0-9]{6}", first.number)
    assert int(second.number[1:]) == int(first.number[1:]) + 1
    assert second.kvk_number == "12345678"
    assert_clean_event(last_event(), action="customer.create", values=["Visser Media", "12345678"])
    assert last_event().data["fields"] == ["number", "kind", "market", "name", "kvk_number"]
    assert last_event().subject_ref == f"customer:{second.pk}"


@pytest.mark.promise("D1")
@pytest.mark.parametrize(
    ("kind", "kvk", "vat", "market"),
    [
        ("organisation", "12345678", "", "b2b"),
        ("sole_trader", "", "NL123456789B01", "b2b"),
        ("organisation", "", "", "b2c"),
        ("private", "", "", "b2c"),
    ],
)
def test_it_makes_a_customer_business_only_with_evidence(carol, kind, kvk, vat, market):
    customer = customer_create(actor=carol, kind=kind, name="Testnaam", kvk_number=kvk, vat_number=vat)
    assert customer.market == market


@pytest.mark.promise("D1", "B4")
@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "organisation", "market": "b2b"},  # business without evidence
        {"kind": "organisation", "kvk_number": "1234567"},  # 7 digits
        {"kind": "organisation", "vat_number": "BE0123456789"},  # not the Dutch format
        {"kind": "organisation", "vat_number": "NL12345678B01"},
        {"kind": "private", "kvk_number": "12345678"},  # a private person has none
        {"kind": "club"},
        {"kind": "organisation", "name": "   "},
    ],
)
def test_it_refuses_a_customer_without_valid_evidence_and_stores_nothing(carol, kwargs):
    kwargs = {"name": "Testnaam", **kwargs}
    before = database_snapshot()
    with pytest.raises(ValidationError):
        customer_create(actor=carol, **kwargs)
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["alice", "frank"])
def test_it_lets_neither_customers_nor_administrators_create_customers(personas, who):
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        customer_create(actor=getattr(personas, who), kind="private", name="Iemand")
    assert_nothing_changed(before)


# --- contact_create -------------------------------------------------------------------------


@pytest.mark.promise("D4", "D3", "D2", "B4")
def test_it_stores_a_new_contact_in_normal_forms(carol, personas):
    contact = contact_create(
        actor=carol,
        customer=personas.bob_customer,
        role="billing",
        first_name=" Karin ",
        last_name="Mulder",
        email="Karin.Mulder@Example.NL ",
        phone="06-87654321",
        street="Kerkstraat 1",
        postcode="9711ab",
        town="Groningen",
    )
    contact.refresh_from_db()
    assert contact.phone == "+31687654321"
    assert contact.postcode == "9711 AB"
    assert contact.email == "karin.mulder@example.nl"
    assert contact.first_name == "Karin"
    assert_clean_event(
        last_event(),
        action="contact.create",
        values=["Karin", "Mulder", "karin.mulder@example.nl", "+31687654321", "0687654321", "9711 AB", "Kerkstraat"],
    )


@pytest.mark.promise("B2")
def test_it_lets_a_customer_add_a_contact_only_to_their_own_customer(alice, personas):
    contact = contact_create(
        actor=alice, customer=personas.alice_customer, first_name="Piet", last_name="de Vries", email="piet@example.nl"
    )
    assert contact.customer_id == personas.alice_customer.pk
    before = database_snapshot()
    with pytest.raises(NotFound):
        contact_create(
            actor=alice, customer=personas.bob_customer, first_name="Piet", last_name="X", email="p@example.nl"
        )
    assert_nothing_changed(before)


# --- contact_update -------------------------------------------------------------------------


@pytest.mark.promise("G2", "D4", "B4")
def test_it_lets_a_customer_correct_their_own_details(alice):
    old_phone = alice.contact.phone
    contact = contact_update(
        actor=alice,
        contact=alice.contact,
        data={"phone": "030 234 5678", "street": "Eikenlaan 9", "postcode": "3581cd"},
    )
    stored = Contact.objects.get(pk=contact.pk)
    assert stored.phone == "+31302345678"
    assert stored.postcode == "3581 CD"
    assert stored.street == "Eikenlaan 9"
    event = last_event()
    assert_clean_event(
        event,
        action="contact.update",
        values=["+31302345678", "302345678", "Eikenlaan", "3581 CD", "alice", "de Vries"],
    )
    assert sorted(event.data["fields"]) == ["phone", "postcode", "street"]
    assert event.purpose == "U1"
    assert event.actor == f"account:{alice.pk}"
    # The old values are kept (briefly, per the map) to undo an abuse, and no longer than that.
    history = {h.field: h for h in ContactHistory.objects.filter(contact=contact)}
    assert sorted(history) == ["phone", "postcode", "street"]
    assert history["phone"].old_value == old_phone and history["phone"].changed_by_id == alice.pk
    assert datamap.entry_for("customers.ContactHistory").fields["old_value"].retention.months == 3


def test_it_records_nothing_when_a_correction_changes_nothing(alice):
    before = database_snapshot()
    contact_update(actor=alice, contact=alice.contact, data={"email": "ALICE.DEVRIES@example.nl"})
    assert_nothing_changed(before)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("phone", "12345", marks=pytest.mark.promise("D4")),
        pytest.param("phone", "+31 6 1234", marks=pytest.mark.promise("D4")),
        pytest.param("postcode", "ABCD 12", marks=pytest.mark.promise("D2")),
        pytest.param("postcode", "0123 AB", marks=pytest.mark.promise("D2")),
        pytest.param("email", "not-an-email", marks=pytest.mark.promise("D3")),
        pytest.param("email", "", marks=pytest.mark.promise("D3")),
        pytest.param("first_name", "", marks=pytest.mark.promise("D2")),
        pytest.param("country", "Netherlands", marks=pytest.mark.promise("D2")),
        pytest.param("role", "boss", marks=pytest.mark.promise("D2")),
    ],
)
def test_it_refuses_an_invalid_correction_and_changes_nothing(alice, field, value):
    stored = {f: getattr(alice.contact, f) for f in ("phone", "postcode", "email", "street")}
    before = database_snapshot()
    with pytest.raises(ValidationError) as exc:
        contact_update(actor=alice, contact=alice.contact, data={"street": "Nieuwe straat 1", field: value})
    assert exc.value.field == field
    if value:
        assert value not in str(exc.value)
    assert_nothing_changed(before)
    fresh = Contact.objects.get(pk=alice.contact.pk)
    assert {f: getattr(fresh, f) for f in stored} == stored


def test_it_refuses_fields_that_are_not_contact_details(alice):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        contact_update(actor=alice, contact=alice.contact, data={"customer_id": 1})
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_answers_not_found_when_a_customer_corrects_another_customers_contact(alice, bob):
    before = database_snapshot()
    with pytest.raises(NotFound):
        contact_update(actor=alice, contact=bob.contact, data={"phone": "0612345670"})
    assert_nothing_changed(before)
    assert Contact.objects.get(pk=bob.contact.pk).phone == "+31503123456"


@pytest.mark.promise("B2", "G2")
def test_it_lets_the_privacy_officer_correct_but_not_the_administrator(erin, frank, bob):
    contact_update(actor=erin, contact=bob.contact, data={"town": "Haren"})
    assert Contact.objects.get(pk=bob.contact.pk).town == "Haren"
    with unchanged(), pytest.raises(PermissionDenied):
        contact_update(actor=frank, contact=bob.contact, data={"town": "Assen"})
    assert AuditEvent.objects.filter(action="contact.update").count() == 1


def test_it_lets_the_system_create_and_correct(db):
    customer = customer_create(actor=SYSTEM, kind="private", name="Zelf Aanmelder")
    contact = contact_create(
        actor=SYSTEM, customer=customer, first_name="Zelf", last_name="Aanmelder", email="z@example.nl"
    )
    contact_update(actor=SYSTEM, contact=contact, data={"town": "Delft"})
    assert Customer.objects.get(pk=customer.pk).status == Customer.Status.ACTIVE
    assert last_event().actor == "system"


@pytest.mark.promise("D5")
def test_it_ignores_numbers_outside_the_series(db):
    f.CustomerFactory(number="K9999999")  # seven digits: not of the K + 6 digits series
    f.CustomerFactory(number="K000041")
    customer = customer_create(actor=SYSTEM, kind="private", name="Nieuwe Klant")
    assert customer.number == "K000042"
