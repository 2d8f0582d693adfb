"""Ending the contract in the portal (R2): the services end, and an erasure case opens that runs
by itself once the last service has ended and nothing is owed."""

import datetime as dt

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.auth_web.testing import sign_in
from waarborg.catalogue.models import Subscription
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Contact, Customer
from waarborg.erasure.models import ErasureCase
from waarborg.portal import termination
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db
URL = "/portaal/diensten/opzeggen/"


@pytest.mark.promise("R2")
def test_it_ends_the_contract_and_opens_the_erasure_case(as_alice, personas):
    customer = personas.alice_customer
    f.SubscriptionFactory(customer=customer, start_date=dt.date(2025, 1, 1))
    page = as_alice.get(URL).content.decode()
    assert 'data-form="terminate"' in page and "wissen wij ze uit onszelf" in page
    end = clock.today() + dt.timedelta(days=30)
    response = as_alice.post(URL, {"end_date": end.isoformat(), "reason": "other_provider", "confirm": "on"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.status == Customer.Status.TERMINATING
    assert set(Subscription.objects.filter(customer=customer).values_list("end_date", flat=True)) == {end}
    case = ErasureCase.objects.get(source="termination")
    assert case.subject_ref == f"customers.Customer:{customer.pk}"
    event = AuditEvent.objects.get(action="customer.terminate")
    assert "alice" not in str(event.data).lower() and "other_provider" in event.reason
    assert "data-ending" in as_alice.get(URL).content.decode()


@pytest.mark.promise("R2", "B2")
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"end_date": "2020-01-01", "reason": "costs", "confirm": "on"}, "end_date"),
        ({"end_date": "2099-01-01", "reason": "costs", "confirm": "on"}, "end_date"),
        ({"end_date": "", "reason": "costs", "confirm": "on"}, "end_date"),
        ({"end_date": "TODAY", "reason": "costs"}, "confirm"),
        ({"end_date": "TODAY", "reason": "my name is Alice", "confirm": "on"}, "reason"),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(as_alice, personas, data, field):
    f.SubscriptionFactory(customer=personas.alice_customer, start_date=dt.date(2025, 1, 1))
    data = {k: (clock.today().isoformat() if v == "TODAY" else v) for k, v in data.items()}
    before = database_snapshot()
    response = as_alice.post(URL, data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert_nothing_changed(before)


@pytest.mark.promise("R2")
@pytest.mark.parametrize(
    ("language", "error"),
    [("nl", "De einddatum ligt vóór de begindatum"), ("en", "The end date lies before the start date")],
)
def test_a_refusal_of_the_service_reads_in_the_customers_language(
    as_alice, personas, settings, monkeypatch, language, error
):
    def refuse(**kwargs):
        raise ValidationError("catalogue.end_before_start", field="end_date")

    monkeypatch.setattr(termination, "customer_terminate", refuse)
    as_alice.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = database_snapshot()
    data = {"end_date": clock.today().isoformat(), "reason": "costs", "confirm": "on"}
    response = as_alice.post(URL, data)
    assert response.status_code == 400 and response.context["form"].non_field_errors() == [error]
    assert_nothing_changed(before)


@pytest.mark.promise("R2", "B2")
def test_only_the_primary_contact_ends_the_contract_and_staff_do_not_use_the_page(client, personas):
    billing = f.ContactFactory(customer=personas.bob_customer, role=Contact.Role.BILLING)
    account = f.AccountFactory(contact=billing, email=billing.email)
    sign_in(client, account)
    page = client.get(URL).content.decode()
    assert "data-not-allowed" in page and "Alleen de hoofdcontactpersoon" in page
    data = {"end_date": clock.today().isoformat(), "reason": "costs", "confirm": "on"}
    with unchanged():
        assert client.post(URL, data).status_code == 403
    for who in (personas.carol, personas.dave):
        client.logout()
        sign_in(client, who)
        with unchanged():
            assert client.post(URL, data).status_code == 403
