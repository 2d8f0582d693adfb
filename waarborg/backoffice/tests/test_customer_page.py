"""A customer's record: a purpose first, the sections the role may read, every opening recorded."""

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.testing.checks import assert_clean_event, last_event, unchanged


def _url(customer, purpose=None):
    pk = getattr(customer, "pk", customer)
    return f"/backoffice/klanten/{pk}/" + (f"?doel={purpose}" if purpose else "")


# What each role's record shows: the sections (scopes) and values that prove them.
SECTIONS = {
    "carol": {"contacts", "subscriptions", "tickets", "consents", "login_events"},
    "dave": {"contacts", "subscriptions", "invoices", "payments", "payment_methods"},
    "erin": {"contacts", "consents", "login_events"},
}
PURPOSE = {"carol": "U5", "dave": "U3", "erin": "U15"}


def _values(record) -> dict[str, list[str]]:
    return {
        "contacts": [record.contact.email, record.contact.phone, record.contact.street],
        "subscriptions": [record.subscription.label],
        "invoices": [record.invoice.number],
        "payments": [record.payment.reference],
        "payment_methods": [record.method.mandate_reference, f"•••• {record.method.iban[-4:]}"],
        "tickets": [record.ticket.subject, record.message.body],
        "consents": ["Nieuwsbrief en aanbiedingen per e-mail", record.consent.policy_version],
        "login_events": [record.login.ip_address],
    }


@pytest.mark.django_db
@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["carol", "dave", "erin"])
def test_it_shows_only_the_sections_the_role_may_read(office, personas, record, who):
    client = office(getattr(personas, who))
    response = client.get(_url(record.customer, PURPOSE[who]))
    assert response.status_code == 200
    assert set(response.context["shown"]) == SECTIONS[who]
    body = response.content.decode()
    assert record.customer.name in body and record.customer.number in body
    for scope, values in _values(record).items():
        assert (f'data-section="{scope}"' in body) is (scope in SECTIONS[who]), scope
        for value in values:
            assert (value in body) is (scope in SECTIONS[who]), f"{who}: {scope} {value}"
    # never the full bank account number, never another customer's rows
    assert record.method.iban not in body
    assert "Factuur klopt niet" not in body and "bakkerijjansen.example" not in body


@pytest.mark.django_db
@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["frank", "alice", "bob"])
def test_it_is_closed_to_roles_without_customers(office, personas, record, who):
    client = office(getattr(personas, who))
    with unchanged():
        assert client.get(_url(record.customer, "U5")).status_code == 403


@pytest.mark.django_db
@pytest.mark.promise("B4")
def test_it_asks_for_the_purpose_first_and_shows_nothing_before(office, personas, record):
    client = office(personas.carol)
    response = client.get(_url(record.customer))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form method="get"' in body and '<option value="U5" selected>' in body
    for value in record.personal_values:
        assert value not in body
    assert "shown" not in response.context
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.promise("B4")
@pytest.mark.parametrize("purpose", ["U99", "U13", "", "u5"])
def test_it_refuses_a_purpose_the_role_may_not_give(office, personas, record, purpose):
    client = office(personas.carol)
    with unchanged():
        response = client.get(f"{_url(record.customer)}?doel={purpose}")
    assert response.status_code == 200
    assert "doel" in response.context["form"].errors
    body = response.content.decode()
    assert 'id="id_doel_error"' in body
    for value in record.personal_values:
        assert value not in body


@pytest.mark.django_db
@pytest.mark.promise("B4")
@pytest.mark.parametrize("who", ["carol", "dave", "erin"])
def test_it_records_every_opening_with_its_purpose_and_no_personal_value(office, personas, record, who):
    viewer = getattr(personas, who)
    client = office(viewer)
    for n in (1, 2):
        response = client.get(_url(record.customer, PURPOSE[who]))
        assert response.status_code == 200
        assert AuditEvent.objects.filter(action="customer.view").count() == n
    event = last_event()
    assert_clean_event(event, action="customer.view", values=record.personal_values)
    assert event.actor == f"account:{viewer.pk}"
    assert event.purpose == PURPOSE[who]
    assert event.object_type == "customers.customer"
    assert event.object_ids == [str(record.customer.pk)]
    assert event.subject_ref == f"customer:{record.customer.pk}"
    assert sorted(event.data["sections"]) == sorted(SECTIONS[who])


@pytest.mark.django_db
@pytest.mark.promise("B4")
def test_it_opens_for_another_purpose_the_role_may_give(office, personas, record):
    client = office(personas.dave)
    body = client.get(_url(record.customer, "U4")).content.decode()
    assert 'data-purpose="U4"' in body and "Betalingen controleren" in body
    assert last_event().purpose == "U4"
    assert f'href="{_url(record.customer)}"' in body  # "another purpose" goes back to the question


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", ["U5", None])
def test_it_answers_404_for_an_unknown_customer_and_records_nothing(office, personas, purpose):
    client = office(personas.carol)
    with unchanged():
        response = client.get(_url(999999, purpose))
        assert response.status_code == 404
        assert client.get("/backoffice/klanten/abc/?doel=U5").status_code == 404


@pytest.mark.django_db
def test_it_is_not_cached_and_has_table_headers_and_landmarks(office, personas, record):
    client = office(personas.carol)
    response = client.get(_url(record.customer, "U5"))
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert '<th scope="col">' in body and '<th scope="row">' in body
    assert 'aria-labelledby="h-contacts"' in body and '<nav class="breadcrumbs"' in body
    assert "Contactpersonen" in body and "Correspondentie" in body


@pytest.mark.django_db
def test_it_shows_an_empty_record_without_failing(office, personas):
    client = office(personas.dave)
    body = client.get(_url(personas.bob_customer, "U3")).content.decode()
    assert "Geen facturen." in body and "Geen betaalwijzen." in body


@pytest.mark.django_db
def test_it_refuses_other_methods(office, personas, record):
    client = office(personas.carol)
    with unchanged():
        assert client.post(_url(record.customer, "U5")).status_code == 405
