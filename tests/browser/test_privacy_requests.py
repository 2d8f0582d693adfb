"""A customer files an access request in the portal; the privacy officer finds it in the queue
with its due date and opens its timeline."""

import datetime as dt
import re

import pytest

from waarborg.auth_web import testing
from waarborg.core import clock
from waarborg.privacy.models import PrivacyRequest
from waarborg.testing.personas import make_personas

PASSWORD = "een-lang-geheim-wachtwoord"


@pytest.mark.promise("G1", "G7", "G8", "G9", "B2")
def test_it_takes_a_portal_access_request_to_the_privacy_officers_queue(page, screenshot):
    from playwright.sync_api import expect

    personas = make_personas()
    alice, erin = personas.alice, personas.erin
    for account in (alice, erin):
        account.set_password(PASSWORD)
        account.save(update_fields=["password"])
    device = testing.confirmed_device(erin)

    # The customer signs in and asks for access to her data: no identity document asked for.
    page.goto(page.base_url + "/aanmelden/")
    page.get_by_label("E-mailadres").fill(alice.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/portaal/$"))
    expect(page.get_by_role("heading", name="Privacyverzoeken")).to_be_visible()
    screenshot(page, "1-portal")

    page.get_by_role("navigation", name="Mijn portaal").get_by_role("link", name="Privacyverzoeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverzoeken")
    expect(page.get_by_text("U hebt nog geen privacyverzoek gedaan.")).to_be_visible()
    screenshot(page, "2-requests")
    page.locator('[data-type="access"]').get_by_role("link", name="Inzage").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verzoek: Inzage")
    expect(page.get_by_text("u hoeft geen identiteitsbewijs te sturen")).to_be_visible()
    expect(page.locator('input[type="file"]')).to_have_count(0)
    page.get_by_label("Wilt u iets in het bijzonder weten? (niet verplicht)").fill(
        "Aan wie hebt u mijn gegevens doorgegeven?"
    )
    screenshot(page, "3-access-form")
    page.get_by_role("button", name="Verzoek versturen").click()

    made = PrivacyRequest.objects.get()
    due = clock.today() + dt.timedelta(days=28)
    expect(page).to_have_url(re.compile(rf"/portaal/privacyverzoeken/{made.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"We hebben uw verzoek {made.number} ontvangen")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Privacyverzoek {made.number}")
    expect(page.locator(f'[data-due="{due.isoformat()}"]')).to_be_visible()
    expect(page.get_by_text("Ingelogd in het portaal")).to_be_visible()
    screenshot(page, "4-request-received")
    assert made.verification_method == "session" and made.status == "in_progress"
    page.get_by_role("button", name="Afmelden").click()

    # The privacy officer signs in with her authenticator code and opens the queue.
    page.goto(page.base_url + "/aanmelden/")
    page.get_by_label("E-mailadres").fill(erin.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/aanmelden/code/$"))
    page.get_by_label("Code uit uw authenticator-app").fill(testing.current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))
    page.locator('[data-scope="requests"]').get_by_role("link", name="Privacyverzoeken").click()

    expect(page).to_have_url(re.compile(r"/backoffice/verzoeken/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverzoeken")
    row = page.locator(f'tr[data-number="{made.number}"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Inzage")
    expect(row).to_contain_text("In behandeling")
    expect(row.locator(f'[data-due="{due.isoformat()}"]')).to_be_visible()
    expect(row.locator("td.num")).to_have_text("28")
    screenshot(page, "5-queue")

    page.get_by_label("Soort").select_option("erasure")
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"/backoffice/verzoeken/\?.*type=erasure"))
    expect(page.locator(f'tr[data-number="{made.number}"]')).to_have_count(0)
    page.get_by_role("link", name="Filters wissen").click()

    page.get_by_role("link", name=made.number).click()
    expect(page).to_have_url(re.compile(rf"/backoffice/verzoeken/{made.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(made.number)
    expect(page.get_by_text("Aan wie hebt u mijn gegevens doorgegeven?")).to_be_visible()
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li")).to_have_count(1)
    expect(timeline).to_contain_text("Verzoek geregistreerd")
    expect(timeline).to_contain_text("vastgesteld door de aanmelding")
    screenshot(page, "6-request-timeline")
