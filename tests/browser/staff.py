"""A staff member signs in through the screens: password, then the authenticator app's code."""

import re

from waarborg.auth_web import testing

PASSWORD = "een-lang-geheim-wachtwoord"


def sign_in(page, account, device) -> None:
    """Sign `account` in with PASSWORD and the current code of its confirmed `device`."""
    from playwright.sync_api import expect

    page.goto(page.base_url + "/aanmelden/")
    page.get_by_label("E-mailadres").fill(account.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(re.compile(r"/aanmelden/code/$"))
    page.get_by_label("Code uit uw authenticator-app").fill(testing.current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page).to_have_url(re.compile(r"/backoffice/$"))
