"""Finance opens the dunning board, opens a contested case and decides the contest."""

import re

import pytest

from waarborg.auth_web import testing
from waarborg.dunning.contests import contest_submit
from waarborg.dunning.models import Case, Contest
from waarborg.testing.personas import make_personas

from .dunning_world import alice_with_a_final_notice

PASSWORD = "een-lang-geheim-wachtwoord"


def _contested_case(personas):
    """Alice's invoice, due 36 days ago, went down the consumer ladder to its final notice; she
    contested it today."""
    alice_with_a_final_notice(personas)
    customer = personas.alice_customer
    case = Case.objects.get(customer=customer)
    contest = contest_submit(actor=personas.alice, case=case, statement="Ik heb deze dienst vorige maand opgezegd.")
    return case, contest


@pytest.mark.promise("X4", "A5", "B2")
def test_it_lets_finance_decide_a_contest_from_the_board(page, screenshot):
    from playwright.sync_api import expect

    personas = make_personas()
    dave = personas.dave
    dave.set_password(PASSWORD)
    dave.save(update_fields=["password"])
    device = testing.confirmed_device(dave)
    case, contest = _contested_case(personas)

    page.goto(page.base_url + "/aanmelden/")
    page.get_by_label("E-mailadres").fill(dave.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/aanmelden/code/$"))
    page.get_by_label("Code uit uw authenticator-app").fill(testing.current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))

    page.goto(page.base_url + "/backoffice/incasso/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Incasso")
    contests = page.get_by_role("region", name="Bezwaren om over te beslissen")
    expect(contests).to_contain_text("(1)")
    expect(contests).to_contain_text(personas.alice_customer.number)
    row = page.locator(f'tr[data-case="{case.pk}"][data-status="paused"]')
    expect(row).to_contain_text("Laatste aanmaning met blokkeerdatum")
    expect(row).to_contain_text("€ 121,00")
    expect(row).to_contain_text("na uw besluit over het bezwaar")
    screenshot(page, "1-board")

    contests.get_by_role("link", name=f"Dossier {case.pk}").click()
    expect(page).to_have_url(re.compile(rf"/backoffice/incasso/dossiers/{case.pk}/#bezwaar-{contest.pk}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Dossier {case.pk}")
    item = page.locator(f'[data-contest="{contest.pk}"]')
    expect(item).to_contain_text("Ik heb deze dienst vorige maand opgezegd.")
    expect(page.locator('[data-waiting="contest"]')).to_be_visible()
    expect(page.locator("ol.timeline > li")).to_have_count(4)
    screenshot(page, "2-case")

    item.get_by_label("Afwijzen: de incasso gaat door").check()
    item.get_by_role("button", name="Beslissen, en de klant informeren").click()  # without a reason first
    expect(page.get_by_role("alert")).to_contain_text("Er is niets gewijzigd")
    expect(page.get_by_role("alert")).to_contain_text("Geef de reden: de klant krijgt die te horen.")
    assert Contest.objects.get().status == "open"
    screenshot(page, "3-refused")

    item = page.locator(f'[data-contest="{contest.pk}"]')
    item.get_by_label("Reden").fill("De opzegging gaat pas volgende maand in; de factuur klopt.")
    item.get_by_role("button", name="Beslissen, en de klant informeren").click()
    expect(page).to_have_url(re.compile(rf"/backoffice/incasso/dossiers/{case.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Het bezwaar is afgewezen: de ladder loopt weer.")
    expect(page.locator(f'[data-contest="{contest.pk}"]')).to_contain_text("Afgewezen")
    expect(page.locator("ol.timeline > li").last).to_have_attribute("data-kind", "contest_decided")
    screenshot(page, "4-decided")

    contest.refresh_from_db()
    case.refresh_from_db()
    assert (contest.status, contest.decided_by_id) == ("rejected", dave.pk)
    assert case.status == "open"
