"""Support or finance end a customer's contract for a customer who asked by phone, mail or
letter (R2): the services end and the erasure case opens; other roles change nothing."""

import datetime as dt

import pytest

from waarborg.auth_web import testing
from waarborg.backoffice import termination
from waarborg.catalogue.models import Subscription
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.customers.models import Customer
from waarborg.erasure.models import ErasureCase
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db


def _url(customer) -> str:
    return f"/backoffice/klanten/{customer.pk}/opzeggen/"


@pytest.mark.promise("R2", "B4")
@pytest.mark.parametrize("who", ["carol", "dave"])
def test_it_ends_a_contract_the_customer_asked_to_end(client, personas, who):
    customer = personas.bob_customer
    f.SubscriptionFactory(customer=customer, start_date=dt.date(2025, 1, 1))
    testing.sign_in(client, getattr(personas, who))
    assert 'data-form="terminate"' in client.get(_url(customer)).content.decode()
    end = clock.today() + dt.timedelta(days=14)
    data = {"end_date": end.isoformat(), "reason": "costs", "channel": "phone", "confirm": "on"}
    assert client.post(_url(customer), data).status_code == 302
    customer.refresh_from_db()
    assert customer.status == Customer.Status.TERMINATING
    assert ErasureCase.objects.filter(source="termination", subject_ref=f"customers.Customer:{customer.pk}").exists()
    assert set(Subscription.objects.filter(customer=customer).values_list("end_date", flat=True)) == {end}
    assert "data-ending" in client.get(_url(customer)).content.decode()


@pytest.mark.promise("R2", "B2")
def test_it_refuses_bad_input_and_other_roles_and_changes_nothing(client, personas):
    customer = personas.bob_customer
    f.SubscriptionFactory(customer=customer, start_date=dt.date(2025, 1, 1))
    testing.sign_in(client, personas.carol)
    with unchanged():
        response = client.post(_url(customer), {"end_date": "2020-01-01", "reason": "costs", "channel": "phone"})
    assert response.status_code == 400 and {"end_date", "confirm"} <= set(response.context["form"].errors)
    for who in ("erin", "frank"):
        client.logout()
        testing.sign_in(client, getattr(personas, who))
        data = {"end_date": clock.today().isoformat(), "reason": "costs", "channel": "phone", "confirm": "on"}
        with unchanged():
            assert client.post(_url(customer), data).status_code == 403
            assert client.get("/backoffice/klanten/999999/opzeggen/").status_code in (403, 404)


@pytest.mark.promise("R2")
@pytest.mark.parametrize(
    ("language", "error"),
    [("nl", "De einddatum ligt vóór de begindatum"), ("en", "The end date lies before the start date")],
)
def test_a_refusal_of_the_service_reads_in_the_staff_members_language(
    client, personas, settings, monkeypatch, language, error
):
    def refuse(**kwargs):
        raise ValidationError("catalogue.end_before_start", field="end_date")

    monkeypatch.setattr(termination, "customer_terminate", refuse)
    customer = personas.bob_customer
    f.SubscriptionFactory(customer=customer, start_date=dt.date(2025, 1, 1))
    testing.sign_in(client, personas.carol)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = database_snapshot()
    data = {"end_date": clock.today().isoformat(), "reason": "costs", "channel": "phone", "confirm": "on"}
    response = client.post(_url(customer), data)
    assert response.status_code == 400 and response.context["form"].non_field_errors() == [error]
    assert_nothing_changed(before)
