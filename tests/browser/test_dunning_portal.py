"""A customer reads the payment reminders of an overdue invoice in the portal and objects."""

import re

import pytest

from waarborg.dunning.models import Case, Contest
from waarborg.testing.personas import make_personas

from .dunning_world import alice_with_a_final_notice

PASSWORD = "een-lang-geheim-wachtwoord"


def _alice_with_a_final_notice():
    """Alice's invoice, due 36 days ago: reminder, fourteen-day letter and final notice taken."""
    personas = make_personas()
    alice = personas.alice
    alice.set_password(PASSWORD)
    alice.save(update_fields=["password"])
    invoice = alice_with_a_final_notice(personas)
    return alice, invoice


@pytest.mark.promise("A1", "A5", "X4")
def test_it_lets_a_customer_read_the_timeline_of_an_overdue_invoice_and_object(page, screenshot):
    from playwright.sync_api import expect

    alice, invoice = _alice_with_a_final_notice()
    case = Case.objects.get(customer_id=alice.customer_id)
    assert case.status == "open"

    page.goto(page.base_url + "/aanmelden/")
    page.get_by_label("E-mailadres").fill(alice.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/portaal/$"))

    page.get_by_role("navigation", name="Mijn portaal").get_by_role("link", name="Facturen").click()
    overview = page.get_by_role("region", name="Betalingsherinneringen die lopen")
    expect(overview).to_contain_text(invoice.number)
    expect(overview).to_contain_text("Laatste stap: Laatste aanmaning met blokkeerdatum")
    screenshot(page, "1-invoices")

    overview.get_by_role("link", name="Bekijk elke stap, en maak bezwaar of vraag een medewerker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Factuur {invoice.number}")
    timeline = page.locator("ol.dunning-timeline > li")
    expect(timeline).to_have_count(3)
    expect(timeline.nth(0)).to_contain_text("Betalingsherinnering")
    expect(timeline.nth(1)).to_contain_text("Veertiendagenbrief (aanmaning)")
    final = timeline.nth(2)
    expect(final).to_contain_text("Laatste aanmaning met blokkeerdatum")
    expect(final).to_contain_text("Dit is onze laatste aanmaning.")  # the latest explanation is open
    expect(final).to_contain_text('Regel: incassoladder "Consumenten", versie 1')
    expect(page.locator(".next-step")).to_contain_text("Staat het bedrag dan nog open: blokkeren van diensten")
    screenshot(page, "2-timeline")

    actions = page.get_by_role("region", name="Wat u kunt doen")
    expect(actions.get_by_label("Ik ben het er niet mee eens: ik maak bezwaar tegen deze stap")).to_be_checked()
    actions.get_by_role("button", name="Versturen").click()  # without a reason first
    expect(page.get_by_text("Vertel het ons in een paar woorden")).to_be_visible()
    assert not Contest.objects.exists()
    page.get_by_label("Uw toelichting").fill("Ik heb deze dienst vorige maand opgezegd.")
    page.get_by_role("button", name="Versturen").click()

    expect(page).to_have_url(re.compile(rf"/portaal/facturen/{invoice.pk}/#incasso$"))
    expect(page.get_by_role("status")).to_contain_text("Wij hebben uw bezwaar ontvangen.")
    expect(page.locator("[data-case-status]").first).to_have_text("Staat stil: een medewerker beoordeelt uw bezwaar")
    expect(page.locator("ol.dunning-timeline > li").last).to_contain_text("Bezwaar ontvangen: incasso staat stil")
    expect(page.get_by_role("region", name="Wat u kunt doen")).to_contain_text("Uw bezwaar wordt beoordeeld")
    screenshot(page, "3-paused")

    case.refresh_from_db()
    contest = Contest.objects.get()
    assert case.status == "paused" and contest.case_id == case.pk and contest.submitted_by_id == alice.pk
