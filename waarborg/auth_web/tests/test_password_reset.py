"""Password reset by e-mail: one answer for every address (B1), a mail only for a real account."""

import re

import pytest
from django.core import mail

from waarborg.auth_web.tests.conftest import PASSWORD, page_text


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _ask(client, email):
    response = client.post("/wachtwoord-vergeten/", {"email": email})
    page = client.get(response["Location"]) if response.status_code == 302 else None
    return response, page


@pytest.mark.django_db
@pytest.mark.promise("B1", "B3")
def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, customer, locmem_mail):
    known, known_page = _ask(client, customer.email)
    assert len(mail.outbox) == 1
    unknown, unknown_page = _ask(client, "niemand@voorbeeld.example")
    assert len(mail.outbox) == 1  # no mail for an address without an account

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/wachtwoord-vergeten/verstuurd/"
    assert known_page.status_code == unknown_page.status_code == 200
    assert page_text(known_page) == page_text(unknown_page)

    message = mail.outbox[0]
    assert message.to == [customer.email]
    assert "Duinhost" in message.subject


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_the_link_sets_a_new_password_once(client, customer, locmem_mail):
    _ask(client, customer.email)
    link = re.search(r"http://testserver(/wachtwoord-herstellen/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    set_url = form.redirect_chain[-1][0]
    new = "nog-een-heel-ander-wachtwoord"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/wachtwoord-herstellen/klaar/"
    customer.refresh_from_db()
    assert customer.check_password(new) and not customer.check_password(PASSWORD)
    assert "_auth_user_id" not in client.session  # a reset does not sign in
    again = client.get(link, follow=True)
    assert not again.context["validlink"]


@pytest.mark.django_db
@pytest.mark.promise("B3")
def test_the_mail_follows_the_chosen_language(client, customer, locmem_mail):
    _ask(client, customer.email)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _ask(client, customer.email)
    dutch, english = mail.outbox
    assert "wachtwoord" in dutch.subject.lower()
    assert "password" in english.subject.lower()
