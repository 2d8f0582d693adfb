"""The privacy statement and the contact page: public, filled from the map and the settings."""

import os
import re
import subprocess
import sys

import pytest
from django.utils.html import escape

from waarborg.core import datamap
from waarborg.public import statement


def _main(response) -> str:
    """The page's own content, without the footer every page has."""
    return re.search(r'<main id="main".*?</main>', response.content.decode(), re.S).group(0)


@pytest.mark.django_db
@pytest.mark.promise("K1", "K3")
@pytest.mark.parametrize("path", ["/privacy/", "/contact/"])
def test_it_shows_the_controller_and_the_regulator_without_sign_in(client, settings, path):
    settings.WAARBORG_CONTROLLER = {
        "name": "Voorbeeldhost B.V.",
        "street": "Stationsplein 1",
        "postcode": "3511 ED",
        "town": "Utrecht",
        "kvk": "87654321",
        "email": "privacy@voorbeeldhost.example",
        "phone": "030 765 4321",
    }
    response = client.get(path)
    assert response.status_code == 200
    main = _main(response)
    for value in settings.WAARBORG_CONTROLLER.values():
        assert value in main
    assert 'href="mailto:privacy@voorbeeldhost.example"' in main
    assert 'href="https://autoriteitpersoonsgegevens.nl/"' in main and "Autoriteit Persoonsgegevens" in main


@pytest.mark.django_db
def test_it_links_both_pages_from_every_page(client):
    body = client.get("/").content.decode()
    assert 'href="/privacy/"' in body and 'href="/contact/"' in body


@pytest.mark.django_db
def test_it_states_every_category_purpose_basis_and_retention_of_the_map(client):
    response = client.get("/privacy/")
    main = _main(response)
    used = {p.category for e in datamap.entries() for p in e.fields.values()}
    for cid in used:
        assert f'data-category="{cid}"' in main and datamap.CATEGORIES[cid][0] in main
    for pid in {u for e in datamap.entries() for p in e.fields.values() for u in p.purposes}:
        assert datamap.PURPOSES[pid][0] in main
    for key in {p.basis for e in datamap.entries() for p in e.fields.values()}:
        assert datamap.BASES[key][0] in main and datamap.BASES[key][2] in main
    for rule in {p.retention for e in datamap.entries() for p in e.fields.values()}:
        assert rule.nl in main
    for key in {r for e in datamap.entries() for p in e.fields.values() for r in p.recipients}:
        assert datamap.RECIPIENT_CATEGORIES[key][0] in main


def test_it_follows_the_map_when_a_declaration_changes(monkeypatch):
    """The statement is read from the map: a category's facts are exactly its declarations'."""
    facts = {c.id: c for c in statement.categories_in_use("en")}
    d4 = [p for e in datamap.entries() for p in e.fields.values() if p.category == "D4"]
    assert set(facts["D4"].purposes) == {datamap.PURPOSES[u][1] for p in d4 for u in p.purposes}
    assert set(facts["D4"].retention) == {p.retention.en for p in d4}
    purposes = {p.id: p for p in statement.purposes_in_use("nl")}
    assert "Nieuwsbrief en aanbiedingen per e-mail" in purposes["U10"].consents


@pytest.mark.django_db
def test_it_explains_the_rights_identity_checks_and_automated_dunning(client):
    main = _main(client.get("/privacy/"))
    for right in (
        "Inzage",
        "Rectificatie",
        "Verwijdering",
        "Beperking",
        "Bezwaar",
        "Intrekken van toestemming",
        "Overdraagbaarheid",
    ):
        assert f"<strong>{right}</strong>" in main
    assert "binnen vier weken" in main
    assert "kopie van een identiteitsbewijs" in main and "niet op een lichtere manier" in main
    dunning = re.search(r'<section id="dunning".*?</section>', main, re.S).group(0)
    steps = re.findall(r"<li>(\w+):", dunning)
    assert steps == ["Herinneringen", "Blokkeren", "Deurwaarder", "Opzeggen"]
    assert "aan te vechten" in dunning and "uw standpunt" in dunning and "een mens" in dunning


@pytest.mark.django_db
def test_it_shows_the_statement_in_english_after_the_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/privacy/"})
    main = _main(client.get("/privacy/"))
    assert "Privacy statement" in main and escape(datamap.CATEGORIES["D3"][1]) in main
    assert datamap.WHILE_CUSTOMER.en in main and "within four weeks" in main


@pytest.mark.django_db
def test_it_has_headings_landmarks_and_table_headers(client):
    body = client.get("/privacy/").content.decode()
    assert body.count("<h1") == 1 and '<nav aria-labelledby="h-toc"' in body
    assert '<th scope="col">' in body and '<th scope="row">' in body


def test_it_refuses_a_malformed_policy_version(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "DATABASE_URL"))}
    env.update(WAARBORG_DATA_DIR=str(tmp_path), WAARBORG_POLICY_VERSION="versie 2025!", PYTHONWARNINGS="ignore")
    result = subprocess.run(
        [sys.executable, "-m", "waarborg", "check"], capture_output=True, text=True, env=env, timeout=120
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and "WAARBORG_POLICY_VERSION" in lines[0]
