"""A customer changes the e-mail address they sign in with (B3, D5): asked with the password,
confirmed through a one-time link to the new address, told to the old one; a wrong password, a
taken address, a used, replaced or expired link are refused and change nothing."""

import datetime as dt
import re

import pytest
from django.test import Client

from waarborg.accounts.models import Account, EmailChangeLink
from waarborg.audit.models import AuditEvent
from waarborg.auth_web import testing
from waarborg.core import clock
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot

pytestmark = pytest.mark.django_db
PASSWORD = "een-lang-geheim-wachtwoord"
FORM = "/portaal/beveiliging/email/"
LINK = re.compile(r"(https?://\S+/aanmelden/email-bevestigen/([A-Za-z0-9_-]+)/)")


@pytest.fixture
def alice(personas, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    account = personas.alice
    account.set_password(PASSWORD)
    account.save()
    return account


@pytest.fixture
def as_alice(alice):
    client = Client()
    testing.sign_in(client, alice)
    return client


def _ask(client, email, password=PASSWORD):
    return client.post(FORM, {"email": email, "password": password})


@pytest.mark.promise("B3", "D5")
def test_the_new_address_is_confirmed_by_its_link_and_the_old_one_is_told(alice, as_alice, smtp_server):
    old = alice.email
    answer = _ask(as_alice, "Alice.Nieuw@Example.NL")
    assert answer.status_code == 302
    assert Account.objects.get(pk=alice.pk).email == old  # nothing changes before the link is opened
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == "alice.nieuw@example.nl" and mail["Subject"] == "Bevestig uw nieuwe e-mailadres"
    url, token = LINK.search(smtp_server.body(mail)).groups()
    link = EmailChangeLink.objects.get(account=alice)
    assert token not in link.token_hash and len(link.token_hash) == 64
    path = url.split("://", 1)[1].split("/", 1)[1]
    visitor = Client()
    assert visitor.get("/" + path).status_code == 200  # opening the link (a mail scanner) changes nothing
    assert Account.objects.get(pk=alice.pk).email == old
    done = visitor.post("/" + path)
    assert done.status_code == 200 and "Uw nieuwe e-mailadres is bevestigd" in done.content.decode()
    assert Account.objects.get(pk=alice.pk).email == "alice.nieuw@example.nl"
    link.refresh_from_db()
    assert link.used_at is not None and link.new_email == ""  # the link's copy of the address is gone
    notice = smtp_server.wait_for(2)[1]
    assert notice["To"] == old and "is zojuist gewijzigd" in smtp_server.body(notice)
    assert "alice.nieuw" not in smtp_server.body(notice)
    event = AuditEvent.objects.filter(action="account.email_change.confirm").get()
    assert_clean_event(event, action="account.email_change.confirm", values=[old, "alice.nieuw@example.nl", token])
    # a second use of the link is refused and changes nothing
    before = database_snapshot()
    again = visitor.post("/" + path)
    assert again.status_code == 410 and "al gebruikt" in again.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("B3")
@pytest.mark.parametrize(
    "email, password, field, text",
    [
        ("alice.nieuw@example.nl", "fout-wachtwoord", "password", "Het wachtwoord klopt niet"),
        ("bob.jansen@example.nl", PASSWORD, "email", "Er bestaat al een account met dit e-mailadres"),
        ("alice.devries@example.nl", PASSWORD, "email", "Met dit adres logt u al in"),
        ("geen-adres", PASSWORD, "email", None),
    ],
)
def test_a_refused_request_says_why_at_its_field_and_changes_nothing(
    alice, as_alice, personas, email, password, field, text
):
    Account.objects.filter(pk=personas.bob.pk).update(email="bob.jansen@example.nl")
    before = database_snapshot()
    answer = _ask(as_alice, email, password)
    assert answer.status_code == 400
    assert field in answer.context["form"].errors
    if text:
        assert text in answer.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("B3")
def test_an_expired_or_replaced_link_is_refused(alice, as_alice, smtp_server):
    _ask(as_alice, "eerste@example.nl")
    first = LINK.search(smtp_server.body(smtp_server.wait_for(1)[0])).group(2)
    _ask(as_alice, "tweede@example.nl")
    second = LINK.search(smtp_server.body(smtp_server.wait_for(2)[1])).group(2)
    before = database_snapshot()
    replaced = Client().post(f"/aanmelden/email-bevestigen/{first}/")
    assert replaced.status_code == 410 and "vervangen door een nieuwere" in replaced.content.decode()
    with clock.as_of(clock.today() + dt.timedelta(days=2)):
        expired = Client().post(f"/aanmelden/email-bevestigen/{second}/")
    assert expired.status_code == 410 and "verlopen" in expired.content.decode()
    unknown = Client().post("/aanmelden/email-bevestigen/onzin/")
    assert unknown.status_code == 404
    assert_nothing_changed(before)
    assert Account.objects.get(pk=alice.pk).email == "alice.devries@example.nl"


def test_only_a_signed_in_customer_reaches_the_form(personas):
    assert Client().get(FORM).status_code in (302, 403)
