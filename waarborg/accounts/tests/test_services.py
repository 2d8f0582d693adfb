import pytest
from django.db import connection
from django.utils import translation

from waarborg.accounts.models import Account, LoginEvent
from waarborg.accounts.services import (
    account_create_for_contact,
    account_deactivate,
    account_password_set,
    login_event_record,
    staff_account_create,
)
from waarborg.core import roles
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db

PASSWORD = "paarse-olifant-danst-op-het-dak"


def _raw_password_column(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM accounts_account WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.promise("D5", "B4")
def test_it_stores_a_portal_password_only_as_a_hash(personas):
    contact = f.ContactFactory(customer=personas.bob_customer, email="kees@bakkerijjansen.example")
    account = account_create_for_contact(actor=SYSTEM, contact=contact, password=PASSWORD)
    stored = _raw_password_column(account.pk)
    assert PASSWORD not in stored
    assert stored.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt", "md5"))
    assert Account.objects.get(pk=account.pk).check_password(PASSWORD)
    assert account.role == roles.CUSTOMER
    assert account.email == "kees@bakkerijjansen.example"
    assert_clean_event(last_event(), action="account.create", values=[PASSWORD, "kees@bakkerijjansen", stored])


@pytest.mark.promise("D5")
@pytest.mark.parametrize("password", ["kort", "123456789012345", "password1234", ""])
def test_it_refuses_a_weak_password_and_stores_nothing(personas, password):
    contact = f.ContactFactory(customer=personas.bob_customer)
    before = database_snapshot()
    with pytest.raises(ValidationError) as exc:
        account_create_for_contact(actor=SYSTEM, contact=contact, password=password)
    assert exc.value.field == "password"
    assert_nothing_changed(before)


def test_a_refused_password_names_the_rules_in_english_for_the_cli_and_per_language_on_screens(personas):
    contact = f.ContactFactory(customer=personas.bob_customer)
    with translation.override("nl"), unchanged(), pytest.raises(ValidationError) as exc:
        account_create_for_contact(actor=SYSTEM, contact=contact, password="123456789012345")
    assert exc.value.code == "accounts.password_refused"
    assert str(exc.value) == "this password does not meet the rules: This password is entirely numeric."
    assert exc.value.text("nl") == "Dit wachtwoord voldoet niet aan de eisen: Dit wachtwoord bevat alleen cijfers."
    assert "123456789012345" not in repr(exc.value.params) + str(exc.value) + exc.value.text("nl")


@pytest.mark.promise("D5")
def test_it_refuses_a_second_account_with_the_same_email(alice):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        account_create_for_contact(actor=SYSTEM, contact=alice.contact, password=PASSWORD)
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_lets_a_customer_invite_a_colleague_but_not_for_another_customer(bob, alice):
    colleague = f.ContactFactory(customer=bob.contact.customer)
    account_create_for_contact(actor=bob, contact=colleague, password=PASSWORD)
    stranger = f.ContactFactory(customer=alice.contact.customer)
    before = database_snapshot()
    with pytest.raises(NotFound):
        account_create_for_contact(actor=bob, contact=stranger, password=PASSWORD)
    assert_nothing_changed(before)


@pytest.mark.promise("D5", "B2", "B4")
def test_it_creates_staff_accounts_by_the_administrator_only(frank, carol):
    account = staff_account_create(actor=frank, email="Gijs@Duinhost.example", password=PASSWORD, role="finance")
    assert account.email == "gijs@duinhost.example"
    assert account.role == roles.FINANCE
    assert account.contact_id is None
    assert PASSWORD not in _raw_password_column(account.pk)
    assert_clean_event(last_event(), action="account.create", values=["gijs@duinhost", PASSWORD])
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        staff_account_create(actor=carol, email="h@duinhost.example", password=PASSWORD, role="admin")
    with pytest.raises(ValidationError):
        staff_account_create(actor=frank, email="h@duinhost.example", password=PASSWORD, role="customer")
    assert_nothing_changed(before)


@pytest.mark.promise("D5", "B4")
def test_it_changes_a_password_by_its_owner(alice):
    account_password_set(actor=alice, account=alice, password=PASSWORD)
    assert Account.objects.get(pk=alice.pk).check_password(PASSWORD)
    assert_clean_event(last_event(), action="account.password_set", values=[PASSWORD])


@pytest.mark.promise("B2")
def test_it_lets_no_customer_change_another_accounts_password(alice, bob):
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        account_password_set(actor=alice, account=bob, password=PASSWORD)
    assert_nothing_changed(before)


@pytest.mark.promise("B4")
def test_it_deactivates_an_account(frank, bob):
    account_deactivate(actor=frank, account=bob)
    assert not Account.objects.get(pk=bob.pk).is_active
    assert_clean_event(last_event(), action="account.deactivate", values=[bob.email, "Jansen"])


@pytest.mark.promise("D6", "B4")
def test_it_records_a_sign_in_with_a_normalised_ip_and_a_truncated_user_agent(alice):
    event = login_event_record(
        account=alice,
        ip_address=" 2001:0DB8:0000:0000:0000:0000:0000:0001 ",
        user_agent="Mozilla/5.0 " + "x" * 1000,
        succeeded=True,
    )
    stored = LoginEvent.objects.get(pk=event.pk)
    assert stored.ip_address == "2001:db8::1"
    assert len(stored.user_agent) == 300
    assert_clean_event(last_event(), action="login_event.record", values=["2001:db8::1", "Mozilla", "alice"])
    assert last_event().data["succeeded"] is True


@pytest.mark.promise("D6")
def test_it_records_a_failed_sign_in_for_an_unknown_account(db):
    event = login_event_record(account=None, ip_address="203.0.113.9", succeeded=False)
    assert event.account_id is None
    assert last_event().subject_ref == ""


@pytest.mark.promise("D6")
@pytest.mark.parametrize("ip", ["", "999.1.1.1", "localhost"])
def test_it_refuses_a_sign_in_record_without_a_valid_ip(alice, ip):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        login_event_record(account=alice, ip_address=ip, succeeded=True)
    assert_nothing_changed(before)
