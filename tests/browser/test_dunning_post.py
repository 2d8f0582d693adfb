"""Finance posts a fourteen-day letter: the board lists it, the print page shows the letter, and
the day it was posted is recorded (A5)."""

import datetime as dt
import re
from importlib import import_module

import pytest
from django.apps import apps

from waarborg.auth_web import testing
from waarborg.core import clock
from waarborg.dunning.models import Case, Notice
from waarborg.dunning.tests.conftest import World, run_days
from waarborg.dunning.tests.test_post import DUE, LETTER_DAY, oracle_last_day
from waarborg.testing.personas import make_personas

from .staff import PASSWORD, sign_in

POSTED = dt.date(2026, 9, 23)


@pytest.mark.promise("A5", "B2")
def test_finance_prints_the_letter_and_records_the_day_it_was_posted(page, screenshot):
    from playwright.sync_api import expect

    import_module("waarborg.dunning.migrations.0002_default_ladders").create(apps, None)
    personas = make_personas()
    dave = personas.dave
    dave.set_password(PASSWORD)
    dave.save(update_fields=["password"])
    device = testing.confirmed_device(dave)
    World(personas.alice_customer, personas.alice_contact).invoice(due=DUE)  # Alice did not agree to e-mail
    run_days(DUE, LETTER_DAY)
    case = Case.objects.get(customer=personas.alice_customer)
    letter = Notice.objects.get(case=case, kind="wik_letter")
    assert letter.status == "to_post"

    with clock.as_of(POSTED):
        sign_in(page, dave, device)

        page.goto(page.base_url + "/backoffice/incasso/")
        letters = page.get_by_role("region", name="Brieven om te versturen")
        expect(letters).to_contain_text("(1)")
        expect(letters).to_contain_text(personas.alice_customer.number)
        screenshot(page, "1-board")
        letters.get_by_role("link", name="Afdrukken en verzending vastleggen").click()
        expect(page).to_have_url(re.compile(rf"/backoffice/incasso/dossiers/{case.pk}/brieven/{letter.pk}/$"))
        sheet = page.locator("article.letter")
        expect(sheet).to_contain_text("Duinhost B.V.")
        expect(sheet).to_contain_text("Lindenlaan 7")
        expect(sheet).to_contain_text("binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd")
        expect(sheet).to_contain_text("9 oktober 2026")
        expect(sheet).to_contain_text("€ 40,00")
        assert oracle_last_day(POSTED) == dt.date(2026, 10, 9)
        screenshot(page, "2-letter")
        page.emulate_media(media="print")
        expect(page.get_by_role("button", name="Vastleggen als verstuurd")).to_be_hidden()
        expect(sheet).to_be_visible()
        screenshot(page, "3-printed")
        page.emulate_media(media="screen")

        page.get_by_label("Op de post gedaan op").fill("2026-09-24")  # tomorrow: refused
        page.get_by_role("button", name="Vastleggen als verstuurd").click()
        expect(page.get_by_role("alert")).to_contain_text("Er is niets gewijzigd")
        assert Notice.objects.get(pk=letter.pk).status == "to_post"

        page.get_by_label("Op de post gedaan op").fill("2026-09-23")
        page.get_by_role("button", name="Vastleggen als verstuurd").click()
        expect(page).to_have_url(re.compile(rf"/backoffice/incasso/dossiers/{case.pk}/#brief$"))
        expect(page.get_by_role("status")).to_contain_text("vastgelegd als verstuurd op 23 september 2026")
        expect(page.locator('[data-channel="post"]')).to_contain_text("9 oktober 2026")
        screenshot(page, "4-case")
    letter.refresh_from_db()
    assert (letter.status, letter.posted_on, letter.term_end) == ("sent", POSTED, dt.date(2026, 10, 9))
