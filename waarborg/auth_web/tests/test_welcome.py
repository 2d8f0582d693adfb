"""The enrolment link of a new staff member (B3): choose a password, then set up the
authenticator app before anything else; a used or expired link changes nothing."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.utils import timezone

from waarborg.accounts.enrolment import staff_invite
from waarborg.accounts.models import Account, EnrolmentLink
from waarborg.audit.models import AuditEvent
from waarborg.auth_web import testing
from waarborg.auth_web.totp import enrolment_device
from waarborg.core.actors import CLI
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "een-nieuw-lang-wachtwoord"


@pytest.fixture
def invitation():
    return staff_invite(actor=CLI, email="nieuw@duinhost.example", role="privacy", display_name="Nora Nieuw")


def _url(token: str) -> str:
    return f"/aanmelden/welkom/{token}/"


def _choose(client, token, password=NEW_PASSWORD, again=None):
    return client.post(_url(token), {"new_password1": password, "new_password2": again or password})


@pytest.mark.promise("B3")
def test_the_link_sets_the_password_and_leads_to_the_authenticator_first(client, invitation):
    account = invitation.account
    page = client.get(_url(invitation.token))
    assert page.status_code == 200
    assert b'name="new_password1"' in page.content

    response = _choose(client, invitation.token)
    assert response.status_code == 302 and response["Location"] == "/aanmelden/instellen/"
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    assert EnrolmentLink.objects.get(account=account).used_at is not None
    assert AuditEvent.objects.filter(action="account.enrolment_link_use", object_ids=[str(invitation.link.pk)]).exists()
    # not signed in yet: every page leads back to the authenticator step
    assert "_auth_user_id" not in client.session
    assert client.get("/backoffice/")["Location"] == "/aanmelden/instellen/"

    enrol = client.get("/aanmelden/instellen/")
    assert enrol.status_code == 200
    device = enrolment_device(account)
    done = client.post("/aanmelden/instellen/", {"code": testing.current_code(device)})
    assert done.status_code == 302 and done["Location"] == "/backoffice/"
    assert client.session["_auth_user_id"] == str(account.pk)
    assert client.get("/backoffice/").status_code == 200

    # later: password and code, like every staff member
    client.post("/afmelden/")
    signed = client.post("/aanmelden/", {"email": account.email, "password": NEW_PASSWORD})
    assert signed["Location"] == "/aanmelden/code/"


@pytest.mark.promise("B3")
def test_a_used_link_gets_a_clear_page_and_changes_nothing(client, invitation):
    _choose(client, invitation.token)
    before = database_snapshot()
    other = client.__class__()
    page = other.get(_url(invitation.token))
    assert page.status_code == 410
    assert b'data-state="used"' in page.content
    again = _choose(other, invitation.token, password="een-ander-lang-wachtwoord")
    assert again.status_code == 410
    assert_nothing_changed(before)
    assert "auth_web.pending" not in other.session


@pytest.mark.promise("B3")
def test_an_expired_link_gets_a_clear_page_and_changes_nothing(client, invitation):
    before = database_snapshot()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=72, minutes=1), tick=False):
        page = client.get(_url(invitation.token))
        posted = _choose(client, invitation.token)
    assert page.status_code == posted.status_code == 410
    assert b'data-state="expired"' in page.content
    assert_nothing_changed(before)
    assert not invitation.account.has_usable_password()
    # just before the 72 hours are up it still works
    with time_machine.travel(timezone.now() + dt.timedelta(hours=71, minutes=59), tick=False):
        assert client.get(_url(invitation.token)).status_code == 200


def test_an_unknown_link_is_a_404_that_says_so(client, invitation):
    before = database_snapshot()
    page = client.get(_url("x" * 43))
    assert page.status_code == 404 and b'data-state="unknown"' in page.content
    assert_nothing_changed(before)


def test_a_weak_or_mismatched_password_is_a_form_error_and_the_link_stays_usable(client, invitation):
    before = database_snapshot()
    weak = _choose(client, invitation.token, password="12345678")
    mismatch = _choose(client, invitation.token, again="een-heel-ander-wachtwoord")
    assert weak.status_code == mismatch.status_code == 200
    assert b"has-error" in weak.content and b"has-error" in mismatch.content
    assert_nothing_changed(before)
    assert _choose(client, invitation.token).status_code == 302


def test_a_deactivated_account_cannot_use_its_link(client, invitation):
    Account.objects.filter(pk=invitation.account.pk).update(is_active=False)
    with unchanged():
        assert client.get(_url(invitation.token)).status_code == 410


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", "Dit wachtwoord voldoet niet aan de eisen: Dit wachtwoord bevat alleen cijfers."),
        ("en", "This password does not meet the rules: This password is entirely numeric."),
    ],
)
def test_the_services_refusal_shows_at_the_password_in_the_visitors_language(
    client, invitation, monkeypatch, language, words
):
    # The form lets the password through (as a form with other validators would); the service refuses it.
    monkeypatch.setattr(SetPasswordForm, "validate_password_for_user", lambda *args, **kwargs: None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = database_snapshot()
    page = _choose(client, invitation.token, password="4817203956143")  # long enough, only digits
    assert page.status_code == 200
    shown = re.search(r'<ul class="errors" id="id_new_password1_error"><li>(.*?)</li>', page.content.decode())
    assert shown and shown.group(1) == words
    assert_nothing_changed(before)
