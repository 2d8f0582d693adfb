"""My data: everything held about the signed-in person, by category, from the map (G1)."""

import re

import pytest
from django.utils.html import escape

from waarborg.core import datamap
from waarborg.testing import factories as f
from waarborg.testing.checks import unchanged


def _section(body: str, category: str) -> str:
    match = re.search(rf'<section[^>]*data-category="{category}".*?</section>', body, re.S)
    assert match, f"no section for {category}"
    return match.group(0)


@pytest.mark.promise("G1")
def test_it_shows_the_persons_values_per_category_with_purposes_and_retention(as_alice, alice, personas):
    f.LoginEventFactory(account=alice, ip_address="203.0.113.7")
    f.ConsentRecordFactory(account=alice, kind="marketing_email")
    response = as_alice.get("/portaal/gegevens/")
    assert response.status_code == 200
    body = response.content.decode()
    shown = [category.id for category in response.context["categories"]]
    assert {"D1", "D2", "D3", "D4", "D5", "D6", "D9"} <= set(shown)

    d2 = _section(body, "D2")
    assert datamap.CATEGORIES["D2"][0] in d2
    for value in ("Alice", "de Vries", "Lindenlaan 7", "3521 AB", "Utrecht"):
        assert value in d2
    assert datamap.PURPOSES["U1"][0] in d2  # names from the map, in Dutch
    assert datamap.BASES["contract"][0] in d2 and datamap.BASES["contract"][2] in d2
    assert datamap.WHILE_CUSTOMER.nl in d2
    assert "alice.devries@example.nl" in _section(body, "D3")
    assert "+31 6 12345678" in _section(body, "D4")  # stored as E.164, shown readable
    d6 = _section(body, "D6")
    assert "203.0.113.7" in d6 and datamap.LOGIN_6M.nl in d6
    d9 = _section(body, "D9")
    assert "Nieuwsbrief en aanbiedingen per e-mail" in d9 and datamap.CONSENT_PROOF_1Y.nl in d9
    assert alice.password not in body  # excluded fields (the password hash) are never shown


@pytest.mark.promise("G1")
def test_it_is_generated_from_the_map_for_every_category_shown(as_alice, alice):
    """Each category's purposes, bases and retention are exactly those of its declared values."""
    response = as_alice.get("/portaal/gegevens/")
    for category in response.context["categories"]:
        assert category.rows, category.id
        assert category.purposes and category.bases and category.retention
        known = {name for name, _en in datamap.PURPOSES.values()}
        assert set(category.purposes) <= known


@pytest.mark.promise("G1", "B2")
def test_it_never_shows_another_customers_data(as_alice, alice, bob):
    f.InvoiceFactory(customer=bob.contact.customer, billing_contact=bob.contact, number="F-BOB-1")
    f.LoginEventFactory(account=bob, ip_address="198.51.100.99")
    body = as_alice.get("/portaal/gegevens/").content.decode()
    for value in ("Bob", "Jansen", "Bakkersweg", "9711 CD", "bob@bakkerijjansen.example", "+31 50", "F-BOB-1"):
        assert value not in body
    assert "198.51.100.99" not in body
    assert "Bakkerij Jansen" not in body


def test_it_shows_the_company_record_to_an_organisations_contact(as_bob, bob):
    response = as_bob.get("/portaal/gegevens/")
    body = response.content.decode()
    assert 'id="h-company"' in body
    company = bob.contact.customer
    for value in ("Bakkerij Jansen B.V.", company.number, "87654321"):
        assert value in body
    # bob's own details are there too, the company's are not mixed into his categories
    assert "bob@bakkerijjansen.example" in body


def test_it_shows_no_company_part_to_a_private_customer(as_alice):
    assert 'id="h-company"' not in as_alice.get("/portaal/gegevens/").content.decode()


def test_it_shows_the_page_in_english_after_the_switch(as_alice):
    as_alice.post("/i18n/setlang/", {"language": "en", "next": "/portaal/gegevens/"})
    body = as_alice.get("/portaal/gegevens/").content.decode()
    assert '<html lang="en">' in body
    assert escape(datamap.CATEGORIES["D2"][1]) in body and datamap.PURPOSES["U1"][1] in body
    assert datamap.WHILE_CUSTOMER.en in body


@pytest.mark.promise("G1")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_record_and_value_is_named_by_the_map(as_alice, alice, lang):
    f.LoginEventFactory(account=alice, ip_address="203.0.113.7")
    if lang == "en":
        as_alice.post("/i18n/setlang/", {"language": "en", "next": "/portaal/gegevens/"})
    response = as_alice.get("/portaal/gegevens/")
    i = 0 if lang == "nl" else 1
    rows = [row for category in response.context["categories"] for row in category.rows]
    assert rows
    names = {(e.record_label[i], p.label[i]) for e in datamap.entries() for _, p in e.declarations()}
    assert {(row.held_in, row.label) for row in rows} <= names
    contact = datamap.entry_for("customers.Contact")
    assert (contact.record_label[i], contact.field_label("phone")[i]) in {(r.held_in, r.label) for r in rows}
    d6 = _section(response.content.decode(), "D6")
    assert escape(datamap.entry_for("accounts.LoginEvent").field_label("ip_address")[i]) in d6


@pytest.mark.promise("B2")
def test_it_asks_an_anonymous_visitor_to_sign_in_and_refuses_staff(client, personas):
    from waarborg.auth_web import testing

    with unchanged():
        for path in ("/portaal/gegevens/", "/portaal/toestemmingen/", "/portaal/facturen/", "/portaal/diensten/"):
            response = client.get(path)
            assert response.status_code == 302 and response["Location"].startswith("/aanmelden/?next=")
    testing.sign_in(client, personas.dave)
    with unchanged():
        assert client.get("/portaal/gegevens/").status_code == 403


def test_it_keeps_personal_pages_out_of_caches(as_alice):
    response = as_alice.get("/portaal/gegevens/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
