"""Correcting one's own contact details (G2): stored in normal form, audited, old value kept."""

import pytest
from django.conf import settings
from django.test import Client

from waarborg.auth_web import testing
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Contact, ContactHistory
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

URL = "/portaal/gegevens/wijzigen/"


def _form(contact: Contact, /, **changes) -> dict:
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "street": contact.street,
        "postcode": contact.postcode,
        "town": contact.town,
        "email": contact.email,
        "phone": contact.phone,
    }
    data.update(changes)
    return data


def test_it_shows_the_current_details_with_labels(as_alice, alice):
    body = as_alice.get(URL).content.decode()
    for name in ("first_name", "last_name", "street", "postcode", "town", "email", "phone"):
        assert f'<label for="id_{name}">' in body
    assert 'value="Lindenlaan 7"' in body and 'value="+31 6 12345678"' in body
    assert 'autocomplete="postal-code"' in body and 'type="tel"' in body


@pytest.mark.promise("G2", "D4")
def test_it_corrects_the_details_in_normal_form_and_keeps_the_old_value(as_alice, alice):
    contact = alice.contact
    response = as_alice.post(URL, _form(contact, phone="06-87654321", postcode="3521ab", street="Lindenlaan 9"))
    assert response.status_code == 302 and response["Location"] == "/portaal/gegevens/"
    contact.refresh_from_db()
    assert contact.phone == "+31687654321" and contact.postcode == "3521 AB" and contact.street == "Lindenlaan 9"
    old = dict(ContactHistory.objects.filter(contact=contact).values_list("field", "old_value"))
    assert old == {"phone": "+31612345678", "street": "Lindenlaan 7"}
    assert_clean_event(last_event(), action="contact.update", values=["+31687654321", "Lindenlaan", "3521 AB"])
    assert last_event().actor == f"account:{alice.pk}"
    body = as_alice.get("/portaal/gegevens/").content.decode()
    assert "Uw gegevens zijn gecorrigeerd." in body and "+31 6 87654321" in body


def test_it_changes_nothing_when_nothing_differs(as_alice, alice):
    before = database_snapshot()
    response = as_alice.post(URL, _form(alice.contact, phone="06 12345678"), follow=True)
    assert_nothing_changed(before)
    assert "Er is niets gewijzigd" in response.content.decode()


@pytest.mark.promise("G2", "D4")
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "12345", "Een Nederlandse postcode bestaat uit vier cijfers en twee letters"),
        ("postcode", "0123 AB", "Een Nederlandse postcode bestaat uit vier cijfers en twee letters"),
        ("phone", "12", "Dit is geen geldig telefoonnummer"),
        ("phone", "06-1234", "Dit is geen geldig telefoonnummer"),
        ("email", "alice.at.example.nl", "Dit is geen geldig e-mailadres"),
        ("email", "", "Dit veld is verplicht"),
        ("first_name", "", "Dit veld is verplicht"),
    ],
)
def test_it_refuses_bad_input_at_its_field_and_changes_nothing(as_alice, alice, field, value, message):
    contact = alice.contact
    before = database_snapshot()
    # a valid change alongside the bad one is not stored either
    response = as_alice.post(URL, _form(contact, street="Ergens Anders 1", **{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    body = response.content.decode()
    assert message in body and f'id="id_{field}_error"' in body
    assert 'role="alert"' in body and 'aria-invalid="true"' in body
    assert 'value="Ergens Anders 1"' in body  # what was typed stays, to correct
    assert_nothing_changed(before)


@pytest.mark.promise("G2")
@pytest.mark.parametrize(
    ("language", "words"), [("nl", "Dit is geen geldig telefoonnummer"), ("en", "Not a valid phone number")]
)
def test_it_shows_a_refusal_of_the_service_at_its_field_in_the_visitors_language(
    as_alice, alice, monkeypatch, language, words
):
    def refuse(**kwargs):
        raise ValidationError("identifiers.phone_invalid", field="phone")

    monkeypatch.setattr("waarborg.portal.views.contact_update", refuse)
    before = database_snapshot()
    as_alice.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the language switch sets
    response = as_alice.post(URL, _form(alice.contact, phone="06 12345678"))
    assert response.status_code == 200 and response.context["form"].errors == {"phone": [words]}
    assert words in response.content.decode() and 'id="id_phone_error"' in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_cannot_reach_another_persons_contact(as_alice, alice, bob):
    """The form has no contact id: it always corrects the signed-in person's own details."""
    before = database_snapshot()["customers.Contact"][bob.contact.pk]
    as_alice.post(URL, _form(alice.contact, contact=bob.contact.pk, id=bob.contact.pk, town="Zwolle"))
    assert database_snapshot()["customers.Contact"][bob.contact.pk] == before
    assert Contact.objects.get(pk=alice.contact.pk).town == "Zwolle"


def test_it_refuses_a_post_without_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    testing.sign_in(client, alice)
    before = database_snapshot()
    response = client.post(URL, _form(alice.contact, town="Zwolle"))
    assert response.status_code == 403
    assert_nothing_changed(before)


@pytest.mark.promise("G2")
def test_a_customer_moving_abroad_gives_the_country_and_its_postcode_and_phone_fit_it(as_alice, alice):
    contact = alice.contact
    body = as_alice.get(URL).content.decode()
    assert '<select name="country"' in body and '<option value="BE">België</option>' in body
    answer = as_alice.post(
        URL, _form(contact, street="Rue Neuve 1", postcode="1000", town="Brussel", country="BE", phone="0470 12 34 56")
    )
    assert answer.status_code == 302
    contact.refresh_from_db()
    assert (contact.country, contact.postcode, contact.phone) == ("BE", "1000", "+32470123456")


@pytest.mark.promise("G2")
def test_a_foreign_postcode_that_does_not_fit_its_country_is_refused_and_nothing_changes(as_alice, alice):
    contact = alice.contact
    before = database_snapshot()
    answer = as_alice.post(URL, _form(contact, postcode="1234 AB", country="DE"))
    assert answer.status_code == 200
    assert "Dit is geen postcode van Duitsland; die ziet eruit als 10115" in answer.content.decode()
    assert_nothing_changed(before)
