"""A customer in the portal: my data, a correction, a withdrawn consent, English; public pages."""

import datetime as dt
import re

import pytest

from waarborg.consents.models import ConsentRecord
from waarborg.core import clock
from waarborg.customers.models import Contact, ContactHistory
from waarborg.testing import factories as f
from waarborg.testing.personas import make_personas

PASSWORD = "een-lang-geheim-wachtwoord"


def _alice_with_services():
    personas = make_personas()
    alice = personas.alice
    alice.set_password(PASSWORD)
    alice.save(update_fields=["password"])
    customer = personas.alice_customer
    product = f.ProductFactory(code="webhosting-basis", kind="webhosting", name="Webhosting Basis")
    f.SubscriptionFactory(customer=customer, product=product, label="alicedevries.nl")
    f.SubscriptionFactory(
        customer=customer,
        product=f.ProductFactory(code="domein-nl", kind="domain", name="Domeinnaam .nl"),
        label="alicedevries.nl",
    )
    today = clock.today()
    paid = f.InvoiceFactory(
        customer=customer,
        billing_contact=alice.contact,
        issue_date=today - dt.timedelta(days=45),
        amount_paid=121,
        status="paid",
    )
    f.InvoiceLineFactory(invoice=paid, description="Webhosting Basis, vorige maand")
    late = f.InvoiceFactory(customer=customer, billing_contact=alice.contact, issue_date=today - dt.timedelta(days=20))
    f.InvoiceLineFactory(invoice=late, description="Webhosting Basis, deze maand")
    f.ConsentRecordFactory(account=alice, kind="marketing_email", policy_version="2025-01")
    return personas, late


@pytest.mark.promise("G1", "G2", "G4", "C1")
def test_a_customer_sees_and_corrects_their_data_and_withdraws_a_consent(page, screenshot):
    from playwright.sync_api import expect

    personas, late = _alice_with_services()
    alice = personas.alice
    portal_nav = page.get_by_role("navigation", name="Mijn portaal")

    page.goto(page.base_url + "/aanmelden/")
    page.get_by_label("E-mailadres").fill(alice.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()

    expect(page).to_have_url(re.compile(r"/portaal/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn portaal")
    expect(page.get_by_role("heading", name="Privacyverzoeken")).to_be_visible()
    expect(page.get_by_role("heading", name="Betalingsherinneringen")).to_be_visible()
    screenshot(page, "1-portal")

    portal_nav.get_by_role("link", name="Mijn gegevens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    phone = page.locator('section[data-category="D4"]')
    expect(phone.get_by_role("heading", level=2)).to_have_text("Telefoonnummer contactpersoon")
    expect(phone).to_contain_text("+31 6 12345678")
    expect(phone).to_contain_text("Zolang u klant bent")
    expect(page.locator('section[data-category="D2"]')).to_contain_text("Lindenlaan 7")
    screenshot(page, "2-my-data")

    page.get_by_role("link", name="Mijn contactgegevens corrigeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn contactgegevens corrigeren")
    page.get_by_label("Telefoonnummer").fill("06-1234")
    page.get_by_role("button", name="Correcties opslaan").click()
    expect(page.get_by_role("alert").first).to_contain_text("Er is niets gewijzigd")
    expect(page.get_by_text("Dit is geen geldig telefoonnummer.")).to_be_visible()
    expect(page.get_by_label("Telefoonnummer")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "3-correction-error")
    assert Contact.objects.get(pk=alice.contact_id).phone == "+31612345678"

    page.get_by_label("Telefoonnummer").fill("06 87654321")
    page.get_by_role("button", name="Correcties opslaan").click()
    expect(page).to_have_url(re.compile(r"/portaal/gegevens/$"))
    expect(page.get_by_role("status")).to_contain_text("Uw gegevens zijn gecorrigeerd.")
    expect(page.locator('section[data-category="D4"]')).to_contain_text("+31 6 87654321")
    screenshot(page, "4-my-data-corrected")
    assert Contact.objects.get(pk=alice.contact_id).phone == "+31687654321"
    assert ContactHistory.objects.get(contact_id=alice.contact_id, field="phone").old_value == "+31612345678"

    portal_nav.get_by_role("link", name="Toestemmingen").click()
    newsletter = page.locator('tr[data-consent="marketing_email"]')
    expect(newsletter).to_contain_text("Gegeven")
    screenshot(page, "5-consents")
    newsletter.get_by_role("button", name="Toestemming intrekken").click()
    expect(page.get_by_role("status")).to_contain_text("U hebt uw toestemming ingetrokken")
    expect(newsletter).to_contain_text("Ingetrokken")
    expect(newsletter.get_by_role("button", name="Toestemming geven")).to_be_visible()
    screenshot(page, "6-consent-withdrawn")
    record = ConsentRecord.objects.get(account=alice, kind="marketing_email")
    assert record.withdrawn_at is not None and record.policy_version == "2025-01"

    portal_nav.get_by_role("link", name="Diensten").click()
    expect(page.get_by_role("cell", name="Actief").first).to_be_visible()
    screenshot(page, "7-services")
    portal_nav.get_by_role("link", name="Facturen").click()
    expect(page.get_by_role("cell", name="Te laat")).to_be_visible()
    screenshot(page, "8-invoices")
    page.get_by_role("link", name=late.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Factuur {late.number}")
    screenshot(page, "9-invoice")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {late.number}")
    page.get_by_role("navigation", name="My portal").get_by_role("link", name="My data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data")
    expect(page.locator('section[data-category="D4"]')).to_contain_text("As long as you are a customer")
    screenshot(page, "10-my-data-en")
    page.get_by_role("navigation", name="My portal").get_by_role("link", name="Consents").click()
    expect(page.locator('tr[data-consent="marketing_email"]')).to_contain_text("Withdrawn")
    screenshot(page, "11-consents-en")


@pytest.mark.promise("K1", "K3")
def test_anyone_reads_the_privacy_statement_and_the_contact_page(page, screenshot):
    from playwright.sync_api import expect

    page.goto(page.base_url + "/")
    page.get_by_role("navigation", name="Over uw gegevens").get_by_role("link", name="Privacyverklaring").click()
    expect(page).to_have_url(re.compile(r"/privacy/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
    expect(page.get_by_role("heading", name="Geautomatiseerde besluiten: onbetaalde facturen")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Autoriteit Persoonsgegevens")).to_be_visible()
    screenshot(page, "1-privacy")

    page.get_by_role("navigation", name="Over uw gegevens").get_by_role("link", name="Contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    expect(page.get_by_role("main")).to_contain_text("privacy@duinhost.example")
    screenshot(page, "2-contact")
