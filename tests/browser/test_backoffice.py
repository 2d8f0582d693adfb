"""Support finds a customer by e-mail and opens the record; the privacy officer sees that in the trail."""

import re

import pytest

from waarborg.auth_web import testing
from waarborg.testing import factories as f
from waarborg.testing.personas import make_personas

from .staff import PASSWORD, sign_in


@pytest.mark.promise("B2", "B4")
def test_support_opens_a_customer_and_the_privacy_officer_sees_it_in_the_trail(page, screenshot):
    from playwright.sync_api import expect

    personas = make_personas()
    alice = personas.alice_customer
    f.SubscriptionFactory(customer=alice, label="devries-fotografie.nl")
    ticket = f.TicketFactory(customer=alice, contact=personas.alice_contact, subject="Mailbox loopt vol")
    f.MessageFactory(ticket=ticket, body="Mijn mailbox is vol, kunt u helpen?")
    f.InvoiceFactory(customer=alice, billing_contact=personas.alice_contact, number="F20250042")
    f.LoginEventFactory(account=personas.alice, ip_address="198.51.100.77")
    devices = {}
    for staff in (personas.carol, personas.erin):
        staff.set_password(PASSWORD)
        staff.save(update_fields=["password"])
        devices[staff.pk] = testing.confirmed_device(staff)

    # Support signs in with a code and searches by e-mail address.
    carol = personas.carol
    sign_in(page, carol, devices[carol.pk])
    screenshot(page, "0-backoffice")
    page.locator('[data-scope="customers"]').get_by_role("link", name="Klanten").click()
    expect(page).to_have_url(re.compile(r"/backoffice/klanten/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Klant zoeken")
    expect(page.get_by_label("Doel")).to_have_value("U5")
    page.get_by_label("E-mailadres").fill("Alice.DeVries@example.nl")
    screenshot(page, "1-search")
    page.get_by_role("button", name="Zoeken", exact=True).click()

    expect(page.get_by_text("Eén klant gevonden.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/backoffice/klanten/$"))  # nothing searched for is in the address
    screenshot(page, "2-results")
    page.get_by_role("link", name="Alice de Vries").click()

    expect(page).to_have_url(re.compile(rf"/backoffice/klanten/{alice.pk}/\?doel=U5$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice de Vries")
    expect(page.get_by_text("U5 — Ondersteuning")).to_be_visible()
    expect(page.get_by_role("heading", name="Correspondentie")).to_be_visible()
    expect(page.get_by_text("Mailbox loopt vol")).to_be_visible()
    expect(page.get_by_role("heading", name="Facturen")).to_have_count(0)  # not support's
    expect(page.get_by_text("F20250042")).to_have_count(0)
    screenshot(page, "3-customer")

    # Another purpose: the page asks for it first and shows nothing of the customer meanwhile.
    page.get_by_role("link", name="Ander doel").click()
    expect(page).to_have_url(re.compile(rf"/backoffice/klanten/{alice.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Klantdossier openen")
    expect(page.get_by_label("Doel")).to_have_value("U5")
    expect(page.get_by_text("Alice de Vries")).to_have_count(0)
    screenshot(page, "4-purpose")
    page.get_by_role("button", name="Afmelden").click()

    # The privacy officer signs in and finds the opening in the audit trail.
    erin = personas.erin
    sign_in(page, erin, devices[erin.pk])
    page.locator('[data-scope="audit"]').get_by_role("link", name="Audittrail").click()
    expect(page).to_have_url(re.compile(r"/backoffice/audit/$"))
    expect(page.get_by_role("heading", name="De audittrail is intact")).to_be_visible()
    view = page.locator('tr[data-action="customer.view"]')
    expect(view).to_have_count(1)
    expect(view).to_contain_text(f"account:{carol.pk}")
    expect(view).to_contain_text("U5")
    expect(view).to_contain_text(f"customer:{alice.pk}")
    screenshot(page, "5-audit-trail")

    page.get_by_label("Handeling").fill("customer.view")
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"/backoffice/audit/\?.*action=customer\.view"))
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_text("Eén gebeurtenis, nieuwste eerst.")).to_be_visible()
    screenshot(page, "6-audit-trail-filtered")
