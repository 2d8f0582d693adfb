"""As their processor we tell customers of a breach in their own data (X7, GDPR art. 33(2)):
each by e-mail, within 24 hours of becoming aware, once; all or nothing."""

import pytest

from waarborg.auth_web.testing import sign_in
from waarborg.core import clock
from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.incidents.handling import incident_assess
from waarborg.incidents.models import CustomerNotice
from waarborg.incidents.notifications import incident_tell_customers
from waarborg.incidents.tests.conftest import at
from waarborg.register.services import processor_agreement_accept
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db
SECRET = "Laptop met klantexport gestolen uit de auto"


@pytest.fixture
def breach(registered, erin):
    incident = registered(aware=at(2026, 3, 2, 9), description=SECRET)
    with clock.as_of(at(2026, 3, 2, 11)):
        return incident_assess(
            actor=erin,
            incident=incident,
            is_breach=True,
            risk="risk",
            categories=["D3"],
            subjects_count=40,
            consequences="Adressen in mailboxen konden gelezen worden.",
            measures="Server geïsoleerd en wachtwoorden vervangen.",
            reasons="Onbevoegde toegang tot een mailserver.",
        )


@pytest.mark.promise("X7", "X6")
def test_it_tells_each_customer_once_with_what_they_need_for_their_own_notice(personas, erin, breach, mail):
    processor_agreement_accept(actor=personas.bob)
    alice, bob = personas.alice_customer, personas.bob_customer
    with clock.as_of(at(2026, 3, 2, 15)):
        told = incident_tell_customers(actor=erin, incident=breach, customer_numbers=[bob.number, alice.number.lower()])
    assert {n.customer for n in told} == {alice, bob} and all(n.in_time for n in told)
    messages = mail.wait_for(2)
    assert sorted(m["To"] for m in messages) == sorted([personas.bob.email, personas.alice_contact.email])
    body = mail.body(messages[0])
    assert breach.number in body and "D3" in body and "72 uur" in body and "Server geïsoleerd" in body
    assert SECRET not in body  # the reporter's words stay in the register
    assert_clean_event(last_event(), action="incidents.incident.tell_customers", values=[bob.number, alice.number])
    with unchanged(), pytest.raises(ValidationError) as again:
        incident_tell_customers(actor=erin, incident=breach, customer_numbers=[bob.number])
    assert again.value.code == "incidents.customers_told_already"
    assert again.value.text("nl") == "Deze klanten zijn al geïnformeerd"


@pytest.mark.promise("X7")
def test_it_marks_a_notice_later_than_24_hours(personas, erin, breach, client):
    with clock.as_of(at(2026, 3, 3, 10)):
        (late,) = incident_tell_customers(actor=erin, incident=breach, customer_numbers=[personas.bob_customer.number])
    assert not late.in_time
    sign_in(client, erin)
    page = client.get(f"/backoffice/incidenten/{breach.pk}/").content.decode()
    assert f'data-customer="{personas.bob_customer.number}"' in page and "later dan 24 uur" in page


@pytest.mark.promise("X7", "B2")
def test_it_refuses_bad_input_and_other_roles_and_changes_nothing(personas, erin, registered, breach, mail):
    not_a_breach = registered(aware=at(2026, 3, 2, 9))
    before = database_snapshot()
    cases = [
        ([], "incidents.customers_required", "Noem de klanten"),
        (["12345"], "incidents.customer_number_form", "K100001"),
        (
            [personas.bob_customer.number, "K999999"],
            "incidents.customers_unknown",
            "1 van deze klantnummers zijn onbekend",
        ),
    ]
    for numbers, code, words in cases:
        with pytest.raises(ValidationError) as refused:
            incident_tell_customers(actor=erin, incident=breach, customer_numbers=numbers)
        assert refused.value.code == code and words in refused.value.text("nl")
        assert "K999999" not in str(refused.value) + refused.value.text("nl")
    with pytest.raises(ValidationError) as refused:
        incident_tell_customers(actor=erin, incident=not_a_breach, customer_numbers=[personas.bob_customer.number])
    assert "eerst als datalek" in refused.value.text("nl")
    for who in (personas.carol, personas.dave, personas.bob):
        with pytest.raises(PermissionDenied):
            incident_tell_customers(actor=who, incident=breach, customer_numbers=[personas.bob_customer.number])
    assert_nothing_changed(before)
    assert not CustomerNotice.objects.exists() and mail.settle() == []


@pytest.mark.promise("X7")
def test_the_privacy_officer_tells_customers_from_the_incident_page(client, personas, erin, breach, mail):
    sign_in(client, erin)
    url = f"/backoffice/incidenten/{breach.pk}/klanten-informeren/"
    refused = client.post(url, {"klanten_informeren-customer_numbers": "K999999"})
    assert refused.status_code == 200 and "klanten_informeren" in refused.content.decode()
    assert not CustomerNotice.objects.exists()
    response = client.post(url, {"klanten_informeren-customer_numbers": f"{personas.bob_customer.number}\n"})
    assert response.status_code == 302 and CustomerNotice.objects.count() == 1
    assert len(mail.wait_for(1)) == 1
