"""Support's work on contact persons (G2, B2, B4): correcting a contact's e-mail, phone and address
after a call — recorded with the purpose, the old value kept in the contact's history — and
inviting a contact to the portal by a one-time link mailed to them; a contact without an account
who asks for a new password is told how to get one. Support sees no staff sign-ins."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from waarborg.accounts.models import Account, EnrolmentLink, LoginEvent
from waarborg.accounts.selectors import login_event_list_for
from waarborg.accounts.services import login_event_record
from waarborg.audit.models import AuditEvent
from waarborg.customers.models import ContactHistory
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db
WELCOME = re.compile(r"https?://\S+(/aanmelden/welkom/[A-Za-z0-9_-]+/)")


def _edit_url(contact, purpose="U5"):
    return f"/backoffice/klanten/{contact.customer_id}/contactpersonen/{contact.pk}/wijzigen/?doel={purpose}"


def _form(contact, **changes):
    data = {
        name: getattr(contact, name) or ""
        for name in ("first_name", "last_name", "street", "postcode", "town", "email", "phone")
    }
    data.update(changes)
    return data


@pytest.mark.promise("G2", "B4")
def test_support_corrects_a_contacts_email_phone_and_address_after_a_call(office, personas):
    contact = personas.alice_contact
    old_email = contact.email
    client = office(personas.carol)
    record = client.get(f"/backoffice/klanten/{contact.customer_id}/?doel=U5").content.decode()
    assert _edit_url(contact).replace("&", "&amp;") in record or _edit_url(contact) in record
    answer = client.post(
        _edit_url(contact),
        _form(
            contact,
            email="alice.nieuw@example.nl",
            phone="06 2345 6789",
            street="Dorpsstraat 3",
            postcode="1234ab",
            town="Ede",
        ),
    )
    assert answer.status_code == 302, answer.context["form"].errors
    assert answer["Location"].endswith("?doel=U5#contacts")
    contact.refresh_from_db()
    assert (contact.email, contact.phone, contact.postcode, contact.town) == (
        "alice.nieuw@example.nl",
        "+31623456789",
        "1234 AB",
        "Ede",
    )
    old = dict(ContactHistory.objects.filter(contact=contact).values_list("field", "old_value"))
    assert old["email"] == old_email and set(old) >= {"email", "phone", "street", "postcode", "town"}
    event = AuditEvent.objects.filter(action="contact.update").order_by("-seq").first()
    assert (event.purpose, event.actor) == ("U5", f"account:{personas.carol.pk}")
    assert_clean_event(event, action="contact.update", values=[old_email, "alice.nieuw@example.nl", "Dorpsstraat"])


@pytest.mark.promise("G2")
@pytest.mark.parametrize(
    "changes, field",
    [({"postcode": "12345"}, "postcode"), ({"email": "geen-adres"}, "email"), ({"phone": "12"}, "phone")],
)
def test_a_wrong_value_is_refused_at_its_field_and_nothing_changes(office, personas, changes, field):
    contact = personas.alice_contact
    client = office(personas.carol)
    before = database_snapshot()
    answer = client.post(_edit_url(contact), _form(contact, **changes))
    assert answer.status_code == 400 and field in answer.context["form"].errors
    assert_nothing_changed(before)


@pytest.mark.promise("B4")
def test_a_correction_needs_a_purpose_the_role_may_give_and_another_customers_contact_is_out_of_reach(office, personas):
    contact = personas.alice_contact
    client = office(personas.carol)
    before = database_snapshot()
    no_purpose = client.post(_edit_url(contact).split("?")[0], _form(contact, town="Ede"))
    assert no_purpose.status_code == 302 and "?doel" not in no_purpose["Location"]
    wrong = client.post(_edit_url(contact, purpose="U3"), _form(contact, town="Ede"))  # finance's, not support's
    assert wrong.status_code == 302
    bob = personas.bob_contact
    mixed = f"/backoffice/klanten/{contact.customer_id}/contactpersonen/{bob.pk}/wijzigen/?doel=U5"
    assert client.post(mixed, _form(bob, town="Ede")).status_code == 404
    assert_nothing_changed(before)


@pytest.mark.promise("B3", "G2")
def test_support_invites_a_contact_to_the_portal_and_the_contact_chooses_a_password(office, personas, smtp_server):
    colleague = f.ContactFactory(customer=personas.alice_customer, first_name="Piet", email="piet@example.nl")
    client = office(personas.carol)
    url = f"/backoffice/klanten/{colleague.customer_id}/contactpersonen/{colleague.pk}/uitnodigen/"
    answer = client.post(url, {"doel": "U5"}, follow=True)
    assert "De uitnodiging is naar het e-mailadres van de contactpersoon gestuurd" in answer.content.decode()
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == "piet@example.nl" and "klantportaal" in smtp_server.body(mail)
    path = WELCOME.search(smtp_server.body(mail)).group(1)
    assert path not in answer.content.decode()  # the link reaches only the contact
    account = Account.objects.get(contact=colleague)
    assert account.role == "customer" and not account.has_usable_password()
    assert_clean_event(
        AuditEvent.objects.get(action="account.invite"), action="account.invite", values=["piet@example.nl"]
    )
    visitor = Client()
    chosen = visitor.post(
        path, {"new_password1": "een-heel-lang-wachtwoord-42", "new_password2": "een-heel-lang-wachtwoord-42"}
    )
    assert chosen.status_code == 302 and chosen["Location"] == "/aanmelden/"
    account.refresh_from_db()
    assert account.has_usable_password()
    # the link works once: a second use is refused and changes nothing
    password = account.password
    reused = Client().post(
        path, {"new_password1": "nog-een-ander-wachtwoord-7", "new_password2": "nog-een-ander-wachtwoord-7"}
    )
    assert reused.status_code == 410
    account.refresh_from_db()
    assert account.password == password
    # a second invitation is refused: the contact has an account now
    before = database_snapshot()
    again = client.post(url, {"doel": "U5"})
    assert_nothing_changed(before)
    assert "heeft al een portaalaccount" in client.get(again["Location"]).content.decode()


@pytest.mark.promise("B3")
def test_an_expired_invitation_link_is_refused_and_changes_nothing(office, personas, smtp_server):
    colleague = f.ContactFactory(customer=personas.alice_customer, first_name="Piet", email="piet@example.nl")
    office(personas.carol).post(
        f"/backoffice/klanten/{colleague.customer_id}/contactpersonen/{colleague.pk}/uitnodigen/", {"doel": "U5"}
    )
    path = WELCOME.search(smtp_server.body(smtp_server.wait_for(1)[0])).group(1)
    EnrolmentLink.objects.filter(account__contact=colleague).update(expires_at=timezone.now())
    with unchanged():
        expired = Client().post(
            path, {"new_password1": "een-heel-lang-wachtwoord-42", "new_password2": "een-heel-lang-wachtwoord-42"}
        )
    assert expired.status_code == 410
    assert not Account.objects.get(contact=colleague).has_usable_password()


@pytest.mark.promise("B3")
def test_a_contact_without_an_account_who_forgets_a_password_is_told_how_to_get_one(personas, smtp_server):
    f.ContactFactory(customer=personas.alice_customer, first_name="Piet", email="piet@example.nl")
    answer = Client().post("/wachtwoord-vergeten/", {"email": "piet@example.nl"})
    unknown = Client().post("/wachtwoord-vergeten/", {"email": "niemand@example.nl"})
    assert answer.status_code == unknown.status_code == 302 and answer["Location"] == unknown["Location"]
    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == ["piet@example.nl"]
    body = smtp_server.body(messages[0])
    assert "nog geen portaalaccount" in body and "uitnodiging" in body and "/wachtwoord-herstellen/" not in body


@pytest.mark.promise("B2")
def test_support_sees_customers_sign_ins_but_no_staff_sign_ins(personas):
    login_event_record(account=personas.alice, ip_address="203.0.113.7", succeeded=True)
    login_event_record(account=personas.frank, ip_address="198.51.100.9", succeeded=True)
    login_event_record(account=None, ip_address="198.51.100.10", succeeded=False)
    seen = {event.account_id for event in login_event_list_for(viewer=personas.carol)}
    assert seen == {personas.alice.pk}
    assert personas.frank.pk in {e.account_id for e in login_event_list_for(viewer=personas.erin)}
    assert LoginEvent.objects.count() == 3
