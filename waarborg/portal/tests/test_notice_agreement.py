"""Letters by e-mail in the portal (art. 6:227a BW): the customer sees how written notices reach
them, gives the agreement from today and withdraws it; another customer's agreement is out of
reach, and only the primary contact person changes it (A5, B2)."""

import datetime as dt

import pytest

from waarborg.audit.models import AuditEvent
from waarborg.auth_web.testing import sign_in
from waarborg.core import clock
from waarborg.customers.models import Contact, NoticeAgreement
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db
PAGE = "/portaal/toestemmingen/"
URL = "/portaal/toestemmingen/brieven-per-email/"


@pytest.mark.promise("A5")
def test_the_customer_gives_and_withdraws_the_agreement(as_alice, personas):
    customer = personas.alice_customer
    page = as_alice.get(PAGE).content.decode()
    assert 'data-section="notice_agreement" data-state="none"' in page
    assert "Brieven per e-mail" in page and 'value="give"' in page
    assert as_alice.post(URL, {"action": "give"}).status_code == 302
    agreement = NoticeAgreement.objects.get(customer=customer)
    today = clock.today()
    assert (agreement.source, agreement.agreed_on, agreement.withdrawn_on) == ("consent", today, None)
    assert agreement.recorded_by == personas.alice and agreement.reference
    assert AuditEvent.objects.filter(action="customer.notice_agreement.record", object_ids=[str(agreement.pk)]).exists()
    page = as_alice.get(PAGE).content.decode()
    assert 'data-state="standing"' in page and 'value="withdraw"' in page
    # giving twice changes nothing
    before = database_snapshot()
    assert as_alice.post(URL, {"action": "give"}).status_code == 302
    assert_nothing_changed(before)
    assert as_alice.post(URL, {"action": "withdraw"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.withdrawn_on == today and not agreement.stands_on(today)
    assert AuditEvent.objects.filter(action="customer.notice_agreement.withdraw").count() == 1
    page = as_alice.get(PAGE).content.decode()
    assert 'data-state="none"' in page and 'value="give"' in page
    # withdrawing again: nothing to withdraw, nothing changes
    before = database_snapshot()
    assert as_alice.post(URL, {"action": "withdraw"}).status_code == 302
    assert_nothing_changed(before)


@pytest.mark.promise("A5")
def test_a_contract_term_shows_and_can_be_withdrawn_in_english(as_alice, personas):
    customer = personas.alice_customer
    NoticeAgreement.objects.create(
        customer=customer,
        source="contract",
        agreed_on=dt.date(2025, 1, 10),
        reference="Algemene voorwaarden, art. 4.3",
        recorded_at=clock.now(),
    )
    as_alice.post("/i18n/setlang/", {"language": "en", "next": PAGE})
    page = as_alice.get(PAGE).content.decode()
    assert "You receive written notices by e-mail." in page and "Agreed in the terms of your contract" in page
    as_alice.post(URL, {"action": "withdraw"})
    assert NoticeAgreement.objects.get(customer=customer).withdrawn_on == clock.today()


@pytest.mark.promise("B2")
def test_another_customers_agreement_is_out_of_reach(as_bob, personas):
    alice_agreement = NoticeAgreement.objects.create(
        customer=personas.alice_customer,
        source="consent",
        agreed_on=dt.date(2025, 5, 1),
        reference="klantportaal",
        recorded_at=clock.now(),
    )
    page = as_bob.get(PAGE).content.decode()
    assert 'data-state="none"' in page and "1 mei 2025" not in page
    before = database_snapshot()
    assert as_bob.post(URL, {"action": "withdraw", "customer": personas.alice_customer.pk}).status_code == 302
    assert_nothing_changed(before)
    as_bob.post(URL, {"action": "give", "customer": personas.alice_customer.pk})
    alice_agreement.refresh_from_db()
    assert alice_agreement.withdrawn_on is None and alice_agreement.reference == "klantportaal"
    assert NoticeAgreement.objects.get(customer=personas.bob_customer).source == "consent"


@pytest.mark.promise("B2")
def test_only_the_primary_contact_changes_it_and_staff_do_not_use_the_page(client, personas):
    billing = f.ContactFactory(customer=personas.bob_customer, role=Contact.Role.BILLING)
    account = f.AccountFactory(contact=billing, email=billing.email)
    sign_in(client, account)
    page = client.get(PAGE).content.decode()
    assert 'data-section="notice_agreement"' in page and 'data-form="notice-agreement"' not in page
    with unchanged():
        assert client.post(URL, {"action": "give"}).status_code == 403
    for who in (personas.carol, personas.dave):
        client.logout()
        sign_in(client, who)
        with unchanged():
            assert client.post(URL, {"action": "give"}).status_code == 403
    client.logout()
    with unchanged():
        assert client.post(URL, {"action": "give"}).status_code == 302  # to the sign-in page
