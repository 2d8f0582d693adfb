"""The layout, the start page, the landing pages and the language switch (K1, K3, B2)."""

import pytest
from django.test import Client

from waarborg.accounts.models import Account
from waarborg.auth_web import testing
from waarborg.core import roles


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _account(role):
    return Account.objects.create_user(f"{role}@duinhost.example", "een-lang-geheim-wachtwoord", role=role)


@pytest.mark.django_db
@pytest.mark.promise("K1", "K3")
def test_the_start_page_names_the_controller_and_the_regulator(client, settings):
    body = client.get("/").content.decode()
    controller = settings.WAARBORG_CONTROLLER
    for value in (
        controller["name"],
        controller["street"],
        controller["postcode"],
        controller["kvk"],
        controller["email"],
        controller["phone"],
    ):
        assert value in body
    assert "https://autoriteitpersoonsgegevens.nl/" in body
    assert "Autoriteit Persoonsgegevens" in body


@pytest.mark.django_db
def test_the_layout_has_landmarks_and_labels(client):
    body = client.get("/aanmelden/").content.decode()
    assert '<html lang="nl">' in body
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in body
    assert 'href="#main"' in body  # skip link
    assert '<label for="id_email">' in body and '<label for="id_password">' in body
    assert 'autocomplete="username"' in body and 'autocomplete="current-password"' in body


@pytest.mark.django_db
def test_dutch_first_whatever_the_browser_asks(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in body and "Aanmelden" in body


@pytest.mark.django_db
def test_the_language_switch_turns_the_site_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/aanmelden/"})
    assert response.status_code == 302 and response["Location"] == "/aanmelden/"
    body = client.get("/aanmelden/").content.decode()
    assert '<html lang="en">' in body and "Sign in" in body and "Forgot your password?" in body
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert "Wachtwoord vergeten?" in client.get("/aanmelden/").content.decode()


@pytest.mark.django_db
def test_the_language_switch_refuses_other_sites(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_demo_logins_are_listed_when_the_demo_is_loaded(client, monkeypatch):
    from waarborg.demo import data

    logins = [
        {
            "role": "support",
            "label": "Support",
            "name": "Mila de Graaf",
            "email": "support@duinhost.example",
            "password": "demo-wachtwoord",
        }
    ]
    monkeypatch.setattr(data, "DEMO_LOGINS", logins)
    monkeypatch.setattr(data, "demo_loaded", lambda: True)
    body = client.get("/").content.decode()
    assert "support@duinhost.example" in body and "demo-wachtwoord" in body and "Mila de Graaf" in body
    monkeypatch.setattr(data, "demo_loaded", lambda: False)
    assert "support@duinhost.example" not in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.promise("B2")
@pytest.mark.parametrize("role", roles.STAFF_ROLES)
def test_the_back_office_shows_the_sections_of_the_role(client, role):
    account = _account(role)
    testing.sign_in(client, account)
    response = client.get("/backoffice/")
    assert response.status_code == 200
    shown = [section["scope"] for section in response.context["sections"]]
    assert sorted(shown) == roles.scopes_of(role)
    body = response.content.decode()
    for scope in set(roles.SCOPES) - set(shown):
        assert f'data-scope="{scope}"' not in body


@pytest.mark.django_db
def test_the_header_navigation_depends_on_who_is_signed_in(client):
    page = client.get("/").content.decode()
    anonymous = page[page.index("<header") : page.index("</header>")]  # the start page body links both
    assert 'href="/backoffice/"' not in anonymous and 'href="/portaal/"' not in anonymous
    testing.sign_in(client, _account("customer"))
    portal = client.get("/portaal/").content.decode()
    assert 'href="/portaal/"' in portal and 'href="/backoffice/"' not in portal
    assert 'aria-current="page"' in portal
    client.logout()
    testing.sign_in(client, _account("finance"))
    office = client.get("/backoffice/").content.decode()
    assert 'href="/backoffice/"' in office and 'href="/portaal/"' not in office
    assert "Financiën" in office


@pytest.mark.django_db
def test_a_domain_permission_error_is_a_403(rf):
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    from waarborg.core.errors import PermissionDenied
    from waarborg.web.middleware import DomainErrorsMiddleware

    middleware = DomainErrorsMiddleware(lambda request: None)
    with pytest.raises(DjangoPermissionDenied):
        middleware.process_exception(rf.get("/"), PermissionDenied("access.role_may_not_read", {"scope": "invoices"}))


@pytest.mark.django_db
def test_static_files_are_served_by_the_app():
    response = Client().get("/static/web/waarborg.css")
    assert response.status_code == 200
