"""The administrator's staff page (B2, B3): the same work as `waarborg staff`, in the user's
language; only an administrator reaches it; the enrolment link is shown once, never in a URL."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.accounts.models import Account
from waarborg.auth_web.testing import sign_in
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db
PAGE = "/backoffice/beheer/medewerkers/"


def _client(account, lang="nl") -> Client:
    client = Client()
    sign_in(client, account)
    if lang != "nl":
        client.post("/i18n/setlang/", {"language": lang, "next": PAGE})
    return client


@pytest.mark.promise("B2")
def test_only_the_administrator_reaches_the_staff_page_and_it_is_in_the_navigation(personas):
    page = _client(personas.frank).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Medewerkers</h1>" in html and personas.carol.email in html and personas.alice.email not in html
    assert PAGE in _client(personas.frank).get("/backoffice/").content.decode()
    for who in (personas.carol, personas.dave, personas.erin):
        client = _client(who)
        with unchanged():
            assert client.get(PAGE).status_code == 403
            assert client.post(f"{PAGE}{personas.dave.pk}/deactiveren/").status_code == 403


@pytest.mark.promise("B2", "B3")
def test_the_administrator_adds_a_support_employee_and_sees_the_link_once(personas):
    client = _client(personas.frank)
    answer = client.post(PAGE, {"email": "Nieuw@Duinhost.example", "name": "Nora Nieuw", "role": "support"})
    assert answer.status_code == 200
    html = answer.content.decode()
    link = re.search(r"data-enrolment-link>(https?://\S+/aanmelden/welkom/[A-Za-z0-9_-]+/)<", html).group(1)
    account = Account.objects.get(email="nieuw@duinhost.example")
    assert account.role == "support" and not account.has_usable_password()
    assert "72" in html
    # the link is on this page only: the next view of the page does not show it
    assert link not in client.get(PAGE).content.decode()
    # the new staff member opens it and chooses a password there
    welcome = Client().get(link.split("testserver", 1)[-1])
    assert welcome.status_code == 200


@pytest.mark.promise("B2")
def test_a_refusal_shows_in_the_users_language_and_nothing_changes(personas):
    nl = _client(personas.frank, "nl")
    en = _client(personas.frank, "en")
    before = database_snapshot()
    answer = nl.post(PAGE, {"email": personas.carol.email, "name": "Dubbel", "role": "support"})
    assert answer.status_code == 400
    assert 'class="field has-error"' in answer.content.decode()  # at the e-mail field
    page = nl.post(f"{PAGE}{personas.frank.pk}/rol/", {"role": "support"}, follow=True)
    assert "laatste actieve beheerder" in page.content.decode()
    page = en.post(f"{PAGE}{personas.frank.pk}/rol/", {"role": "support"}, follow=True)
    assert "This is the last active administrator" in page.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("B2", "B3")
def test_deactivating_from_the_page_signs_the_employee_out_and_hands_work_back(personas):
    erin = personas.erin
    request = privacy_request_create(actor=personas.alice, type="access", channel="portal", handler=erin)
    erins = _client(erin)
    assert erins.get("/backoffice/verzoeken/").status_code == 200
    page = _client(personas.frank).post(f"{PAGE}{erin.pk}/deactiveren/", follow=True)
    assert "gedeactiveerd" in page.content.decode()
    assert erins.get("/backoffice/verzoeken/").status_code in (302, 403)
    assert PrivacyRequest.objects.get(pk=request.pk).handler_id is None
    erin.refresh_from_db()
    assert not erin.is_active


@pytest.mark.promise("B3")
def test_role_change_and_authenticator_reset_from_the_page(personas):
    carol = personas.carol
    _client(carol)  # she has an authenticator now
    admin = _client(personas.frank)
    admin.post(f"{PAGE}{carol.pk}/rol/", {"role": "finance"})
    carol.refresh_from_db()
    assert carol.role == "finance"
    page = admin.post(f"{PAGE}{carol.pk}/authenticator-resetten/", follow=True)
    assert not TOTPDevice.objects.filter(user=carol).exists()
    assert "authenticator" in page.content.decode().lower()
