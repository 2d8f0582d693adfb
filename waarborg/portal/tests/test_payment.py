"""Payment details in the portal: IBAN checked with schwifty, stored encrypted, shown masked."""

import pytest
from django.db import connection

from waarborg.billing import services
from waarborg.billing.models import PaymentMethod
from waarborg.portal import payment
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db
URL = "/portaal/betaalgegevens/"


@pytest.mark.promise("D7")
def test_it_adds_a_mandate_and_shows_the_iban_only_masked(as_alice, alice):
    response = as_alice.post(URL, {"holder_name": "A. de Vries", "iban": "nl20 ingb 0001 2345 67", "agree": "on"})
    assert response.status_code == 302
    method = PaymentMethod.objects.get(customer=alice.contact.customer, iban_last4="4567")
    assert method.iban == "NL20INGB0001234567"
    with connection.cursor() as cur:
        cur.execute("SELECT iban FROM billing_paymentmethod WHERE id = %s", [method.pk])
        assert "NL20INGB" not in cur.fetchone()[0]
    page = as_alice.get(URL).content.decode()
    assert "4567" in page and "NL20INGB0001234567" not in page and "0001 2345" not in page


@pytest.mark.promise("D7", "B1")
@pytest.mark.parametrize("iban", ["NL91ABNA0417164301", "NL91 ABNA", "XX00 1234", ""])
def test_it_refuses_a_bad_iban_with_a_field_error_and_changes_nothing(as_alice, iban):
    before = database_snapshot()
    response = as_alice.post(URL, {"holder_name": "A. de Vries", "iban": iban, "agree": "on"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode() or "IBAN" in response.content.decode()
    if iban:
        assert iban not in response.content.decode().split("<form")[0]
    assert_nothing_changed(before)


def test_it_needs_a_signed_in_customer_and_csrf(client, alice):
    from django.test import Client

    from waarborg.auth_web import testing

    with unchanged():
        assert client.get(URL).status_code == 302  # to the sign-in page
    strict = Client(enforce_csrf_checks=True)
    testing.sign_in(strict, alice)
    with unchanged():
        assert strict.post(URL, {"holder_name": "A", "iban": "NL91ABNA0417164300", "agree": "on"}).status_code == 403


@pytest.mark.promise("D7")
@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("nl", "Geen geldig IBAN (de controlecijfers kloppen niet)"),
        ("en", "Not a valid IBAN (check digits do not match)"),
    ],
)
def test_a_refusal_of_the_billing_service_shows_at_its_field_in_the_visitors_language(
    as_alice, monkeypatch, lang, message
):
    def refuse(**kwargs):
        services.iban_validate("NL91ABNA0417164301")  # the check digits do not match: refused

    monkeypatch.setattr(payment, "payment_method_add", refuse)  # the form's own check lets this one pass
    as_alice.post("/i18n/setlang/", {"language": lang, "next": URL})
    before = database_snapshot()
    response = as_alice.post(URL, {"holder_name": "A. de Vries", "iban": "NL91ABNA0417164300", "agree": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["iban"] == [message]
    assert_nothing_changed(before)
