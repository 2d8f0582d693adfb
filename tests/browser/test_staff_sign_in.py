"""A staff member signs in with password and authenticator code, and switches to English."""

import base64
import re

import pytest
from django_otp.oath import totp

from waarborg.accounts.models import Account
from waarborg.auth_web import testing

PASSWORD = "een-lang-geheim-wachtwoord"


@pytest.mark.promise("B3")
def test_staff_signs_in_with_a_code_and_switches_to_english(page, screenshot):
    from playwright.sync_api import expect

    staff = Account.objects.create_user("support@duinhost.example", PASSWORD, role="support")
    device = testing.confirmed_device(staff)

    page.goto(page.base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    screenshot(page, "1-start")
    page.get_by_role("main").get_by_role("link", name="Aanmelden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    page.get_by_label("E-mailadres").fill(staff.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    screenshot(page, "2-sign-in")
    page.get_by_role("button", name="Aanmelden").click()

    expect(page).to_have_url(re.compile(r"/aanmelden/code/$"))
    screenshot(page, "3-code")
    page.get_by_label("Code uit uw authenticator-app").fill(testing.current_code(device))
    page.get_by_role("button", name="Bevestigen").click()

    expect(page).to_have_url(re.compile(r"/backoffice/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Backoffice")
    expect(page.get_by_text("Aangemeld als Support")).to_be_visible()
    expect(page.locator('[data-scope="tickets"]')).to_be_visible()
    expect(page.locator('[data-scope="invoices"]')).to_have_count(0)
    screenshot(page, "4-backoffice")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Back office")
    expect(page.get_by_role("heading", name="Your sections")).to_be_visible()
    screenshot(page, "5-backoffice-en")


@pytest.mark.promise("B3")
def test_new_staff_member_sets_up_the_app_first(page, screenshot):
    from playwright.sync_api import expect

    staff = Account.objects.create_user("nieuw@duinhost.example", PASSWORD, role="privacy")
    page.goto(page.base_url + "/aanmelden/")
    page.get_by_label("E-mailadres").fill(staff.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()

    expect(page).to_have_url(re.compile(r"/aanmelden/instellen/$"))
    expect(page.get_by_role("img", name="QR-code voor uw authenticator-app")).to_be_visible()
    screenshot(page, "1-enrol")
    page.goto(page.base_url + "/backoffice/")  # no way round it
    expect(page).to_have_url(re.compile(r"/aanmelden/instellen/$"))

    # what a person types into the app: the key as shown
    shown = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(shown + "=" * (-len(shown) % 8))
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bevestigen en doorgaan").click()

    expect(page).to_have_url(re.compile(r"/backoffice/$"))
    expect(page.get_by_text("Uw authenticator-app is ingesteld.")).to_be_visible()
    expect(page.locator('[data-scope="subject_search"]')).to_be_visible()
    screenshot(page, "2-backoffice")
