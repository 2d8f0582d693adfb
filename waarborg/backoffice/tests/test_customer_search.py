"""The customer search: POST only, scoped per role, recorded without what was searched for."""

import re

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.auth_web import testing
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

URL = "/backoffice/klanten/"


def _search(client, **fields):
    return client.post(URL, {"purpose": fields.pop("purpose", ""), **fields})


def _found(response) -> list[int]:
    result = response.context["result"]
    return [customer.pk for customer in result.customers] if result is not None else []


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "purpose"), [("carol", "U5"), ("dave", "U3"), ("erin", "U15")])
def test_it_preselects_the_usual_purpose_of_the_role(office, personas, who, purpose):
    client = office(getattr(personas, who))
    body = client.get(URL).content.decode()
    assert re.search(rf'<option value="{purpose}" selected>', body)
    assert '<form method="post" action="/backoffice/klanten/"' in body
    assert 'name="csrfmiddlewaretoken"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("email", "  Alice.DeVries@Example.NL "),
        ("phone", "06 1234 5678"),
        ("phone", "+31 (0)6-12345678"),
        ("name", "de vries"),
        ("name", "ALICE"),
        ("domain", "DeVries-Fotografie.nl."),
        ("domain", "devries-fotografie.nl"),
    ],
)
def test_it_finds_a_customer_by_a_normalised_identifier(office, personas, record, field, typed):
    client = office(personas.carol)
    response = _search(client, purpose="U5", **{field: typed})
    assert response.status_code == 200
    assert _found(response) == [record.customer.pk]


@pytest.mark.django_db
def test_it_finds_by_customer_number_and_by_the_customer_s_name(office, personas):
    client = office(personas.carol)
    bob = personas.bob_customer
    assert _found(_search(client, purpose="U5", customer_number=bob.number.lower())) == [bob.pk]
    assert _found(_search(client, purpose="U5", name="bakkerij jansen")) == [bob.pk]


@pytest.mark.django_db
def test_it_finds_a_service_s_subdomain_by_its_domain(office, personas):
    subscription = f.SubscriptionFactory(customer=personas.bob_customer, label="mail.bakkerijjansen.example")
    client = office(personas.dave)
    assert _found(_search(client, purpose="U3", domain="bakkerijjansen.example")) == [subscription.customer_id]
    assert _found(_search(client, purpose="U3", domain="jansen.example")) == []


@pytest.mark.django_db
def test_it_needs_every_criterion_given_to_match(office, personas, record):
    client = office(personas.carol)
    assert _found(_search(client, purpose="U5", email=record.contact.email, name="Alice")) == [record.customer.pk]
    assert _found(_search(client, purpose="U5", email=record.contact.email, name="Bakkerij")) == []


@pytest.mark.django_db
@pytest.mark.promise("B2")
def test_it_shows_the_results_with_a_link_that_carries_the_purpose(office, personas, record):
    client = office(personas.dave)
    response = _search(client, purpose="U4", email=record.contact.email)
    body = response.content.decode()
    assert f'href="/backoffice/klanten/{record.customer.pk}/?doel=U4"' in body
    assert record.customer.name in body and record.customer.number in body
    assert "1 klant gevonden" in body or "Eén klant gevonden" in body


@pytest.mark.django_db
@pytest.mark.promise("B2")
@pytest.mark.parametrize(("who", "offered"), [("carol", True), ("dave", True), ("erin", False)])
def test_it_offers_the_domain_search_only_to_roles_that_read_services(office, personas, record, who, offered):
    client = office(getattr(personas, who))
    body = client.get(URL).content.decode()
    assert ('<label for="id_domain">' in body) is offered
    for name in ("name", "customer_number", "email", "phone"):
        assert f'<label for="id_{name}">' in body


@pytest.mark.django_db
@pytest.mark.promise("B2")
def test_it_finds_nothing_by_domain_for_a_role_without_the_services_scope(office, personas, record):
    client = office(personas.erin)  # privacy officer: no "subscriptions"
    response = _search(client, purpose="U15", domain=record.subscription.label)
    assert response.status_code == 200
    assert _found(response) == []
    assert record.customer.name not in response.content.decode()
    event = last_event()
    assert event.action == "customer.search"
    assert event.data["refused_kinds"] == ["domain"] and event.data["results"] == 0
    # combined with a criterion the role may use, the search still finds nothing
    response = _search(client, purpose="U15", domain=record.subscription.label, name="Alice")
    assert _found(response) == []
    # without it, the privacy officer finds the customer by what the role may read
    assert _found(_search(client, purpose="U15", email=record.contact.email)) == [record.customer.pk]


@pytest.mark.django_db
@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["frank", "alice"])
def test_it_is_closed_to_roles_without_customers(office, personas, who):
    client = office(getattr(personas, who))
    with unchanged():
        assert client.get(URL).status_code == 403
        assert _search(client, purpose="U5", name="Alice").status_code == 403


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")


@pytest.mark.django_db
@pytest.mark.promise("B4")
def test_it_records_the_search_with_purpose_and_counts_but_never_the_query(office, personas, record):
    client = office(personas.carol)
    before = AuditEvent.objects.count()
    _search(client, purpose="U11", email=record.contact.email.upper(), phone="06 12345678")
    assert AuditEvent.objects.count() == before + 1
    event = last_event()
    assert_clean_event(
        event,
        action="customer.search",
        values=[record.contact.email, record.contact.phone, "0612345678", "06 12345678", record.customer.name],
    )
    assert event.actor == f"account:{personas.carol.pk}"
    assert event.purpose == "U11"
    assert event.object_type == "customers.customer"
    assert event.object_ids == [str(record.customer.pk)]
    assert event.data == {"kinds": ["email", "phone"], "refused_kinds": [], "results": 1, "shown": 1}


@pytest.mark.django_db
@pytest.mark.promise("B1")
def test_it_never_searches_from_the_address(office, personas, record):
    client = office(personas.carol)
    with unchanged():
        response = client.get(URL, {"email": record.contact.email, "purpose": "U5"})
        assert response.status_code == 302 and response["Location"] == URL
        body = client.get(URL).content.decode()
    assert record.contact.email not in body and record.customer.name not in body


@pytest.mark.django_db
@pytest.mark.promise("B1")
def test_it_keeps_identifiers_out_of_every_url_on_the_page(office, personas, record):
    client = office(personas.carol)
    response = _search(client, purpose="U5", email=record.contact.email)
    body = response.content.decode()
    urls = [url for url in re.findall(r'(?:href|action|src)="([^"]*)"', body) if not url.startswith("mailto:")]
    assert f"/backoffice/klanten/{record.customer.pk}/?doel=U5" in urls
    for url in urls:
        assert "@" not in url and "%40" not in url and "devries" not in url.lower() and "612345678" not in url
    # the inputs tell the browser not to remember what was typed
    assert re.search(r'<input type="email" name="email"[^>]*autocomplete="off"', body)
    assert response["Cache-Control"].count("no-store") == 1


@pytest.mark.django_db
def test_it_rerenders_a_wrong_identifier_with_its_field_error(office, personas, record):
    client = office(personas.carol)
    with unchanged():
        response = _search(client, purpose="U5", email="alice.devries-at-example", phone="12")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"email", "phone"}
    body = response.content.decode()
    assert 'id="id_email_error"' in body and 'id="id_phone_error"' in body
    assert 'aria-invalid="true"' in body
    assert "Vul een geldig e-mailadres in" in body
    assert response.context["result"] is None


@pytest.mark.django_db
def test_it_asks_for_at_least_one_criterion_and_a_purpose_the_role_may_give(office, personas):
    client = office(personas.carol)
    before = database_snapshot()
    response = _search(client, purpose="U5")
    assert response.context["form"].non_field_errors()
    assert 'class="form-errors" role="alert"' in response.content.decode()
    response = _search(client, purpose="U13", name="Alice")  # job applications: not support's
    assert "purpose" in response.context["form"].errors
    response = _search(client, name="Alice")
    assert "purpose" in response.context["form"].errors
    assert_nothing_changed(before)


@pytest.mark.django_db
def test_it_refuses_a_search_without_the_csrf_token(personas, record):
    client = Client(enforce_csrf_checks=True)
    testing.sign_in(client, personas.carol)
    with unchanged():
        response = client.post(URL, {"purpose": "U5", "email": record.contact.email})
    assert response.status_code == 403
    page = client.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(URL, {"purpose": "U5", "email": record.contact.email, "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and _found(response) == [record.customer.pk]


@pytest.mark.django_db
def test_it_limits_the_results_shown(office, personas):
    for n in range(3):
        f.CustomerFactory(name=f"Zeilmakerij {n} B.V.")
    client = office(personas.carol)
    from waarborg.backoffice import selectors

    result = selectors.customer_search_for(viewer=personas.carol, criteria={"name": "zeilmakerij"}, limit=2)
    assert result.total == 3 and len(result.customers) == 2 and result.truncated
    response = _search(client, purpose="U5", name="Zeilmakerij")
    assert len(_found(response)) == 3


@pytest.mark.django_db
@pytest.mark.promise("B2")
def test_the_back_office_links_the_sections_of_this_app(office, personas):
    support = office(personas.carol).get("/backoffice/").content.decode()
    assert 'href="/backoffice/klanten/"' in support and 'href="/backoffice/audit/"' not in support
    privacy = office(personas.erin).get("/backoffice/").content.decode()
    assert 'href="/backoffice/klanten/"' in privacy and 'href="/backoffice/audit/"' in privacy


@pytest.mark.django_db
def test_it_speaks_dutch_first_and_english_on_request(office, personas):
    client = office(personas.carol)
    body = client.get(URL).content.decode()
    assert '<html lang="nl">' in body and "Klant zoeken" in body and "Zoeken" in body
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    body = client.get(URL).content.decode()
    assert '<html lang="en">' in body and "Find a customer" in body and "U5 — Support" in body
