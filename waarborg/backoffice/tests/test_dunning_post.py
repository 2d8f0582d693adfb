"""The fourteen-day letter by post in the back office: the board lists it, finance prints it and
records the day it was posted; the case shows the channel (A1, A5, B2, B4).

The expected last day comes from the rule, computed in waarborg/dunning/tests/test_post.py
(`oracle_last_day`, with that file's own holidays; the dates here are far from any holiday).
"""

import datetime as dt
import re

import pytest

from waarborg.auth_web import testing
from waarborg.core import clock
from waarborg.dunning.models import Case, Notice
from waarborg.dunning.tests.conftest import agree_to_email_notices, run_days
from waarborg.dunning.tests.test_post import DUE, LETTER_DAY, oracle_last_day
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db
D = dt.date
BOARD = "/backoffice/incasso/"
MONTHS_NL = "januari februari maart april mei juni juli augustus september oktober november december".split()
POSTED = D(2026, 9, 23)  # a Wednesday


def in_dutch(day: dt.date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


@pytest.fixture(autouse=True)
def mailbox(smtp_server):
    return smtp_server


@pytest.fixture
def office(client):
    def sign_in(account):
        testing.sign_in(client, account)
        return client

    return sign_in


def _overdue(customer, contact):
    product = f.ProductFactory(code="webhosting-basis", kind="webhosting", name="Webhosting Basis")
    sub = f.SubscriptionFactory(customer=customer, product=product, label="site.example", start_date=D(2025, 1, 1))
    invoice = f.InvoiceFactory(
        customer=customer,
        billing_contact=contact,
        issue_date=DUE - dt.timedelta(days=14),
        due_date=DUE,
        total_excl="100.00",
        vat_amount="21.00",
        total_incl="121.00",
    )
    f.InvoiceLineFactory(invoice=invoice, subscription=sub, unit_price="100.00")
    run_days(DUE, LETTER_DAY)
    return invoice


@pytest.fixture
def waiting(personas):
    """Alice did not agree to written notices by e-mail: her fourteen-day letter waits to be posted."""
    invoice = _overdue(personas.alice_customer, personas.alice_contact)
    case = Case.objects.get(customer=personas.alice_customer)
    letter = Notice.objects.get(case=case, kind="wik_letter")
    assert letter.status == "to_post"
    return case, letter, invoice


def letter_url(case, letter) -> str:
    return f"{BOARD}dossiers/{case.pk}/brieven/{letter.pk}/"


@pytest.mark.promise("A1", "A5", "B4")
def test_finance_prints_the_letter_from_the_board_and_records_the_day_it_was_posted(office, personas, waiting):
    case, letter, invoice = waiting
    client = office(personas.dave)
    last_day = oracle_last_day(POSTED)
    assert last_day == D(2026, 10, 9)

    # the board: the letter waits, with a link to its print page
    with clock.as_of(POSTED):
        board = client.get(BOARD).content.decode()
    row = re.search(rf'<tr data-letter="{letter.pk}" data-case="{case.pk}">.*?</tr>', board, re.S).group(0)
    assert personas.alice_customer.number in row and "Veertiendagenbrief" in row
    assert f'href="{letter_url(case, letter)}"' in row
    assert "Brieven om te versturen" in board and "(1)" in board
    assert "data-waiting-post" in re.search(rf'<tr data-case="{case.pk}" data-step.*?</tr>', board, re.S).group(0)
    assert personas.alice_contact.street not in board

    # the print page: every element the letter needs
    with clock.as_of(POSTED):
        response = client.get(letter_url(case, letter))
    assert response.status_code == 200
    body = response.content.decode()
    letterhead = re.search(r"<header class=\"letterhead\" data-letterhead>.*?</header>", body, re.S).group(0)
    for part in ("Duinhost B.V.", "Havenkade 12", "1013 AB Amsterdam", "KvK 12345678", "privacy@duinhost.example"):
        assert part in letterhead
    recipient = re.search(r"<address class=\"recipient\" data-recipient>(.*?)</address>", body, re.S).group(1)
    assert recipient.split("<br>") == ["Alice de Vries", "Lindenlaan 7", "3521 AB  Utrecht"]
    assert f'data-letter-date="2026-09-23">Amsterdam, {in_dutch(POSTED)}' in body
    assert f"Klantnummer: {personas.alice_customer.number}" in body and f"incassodossier {case.pk}" in body
    invoice_row = re.search(rf'<tr data-invoice="{invoice.number}">.*?</tr>', body, re.S).group(0)
    assert in_dutch(DUE) in invoice_row and invoice_row.count("€ 121,00") == 2 and "€ 0,00" in invoice_row
    assert "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" in body
    assert f'data-term-end="{last_day.isoformat()}">{in_dutch(last_day)}</strong>' in body
    assert "<strong data-costs-total>€ 40,00</strong>" in body  # 15 % of € 121, at least € 40; no VAT
    payment = re.search(r"<p data-payment>(.*?)</p>", body, re.S).group(1)
    assert "/portaal/facturen/" in payment and "NL91 ABNA 0417 1643 00" in payment and "€ 121,00" in payment
    references = re.search(r"<ul class=\"letter-references\" data-references>(.*?)</ul>", body, re.S).group(1)
    reference = re.search(
        r"factuur " + re.escape(invoice.number) + r": <strong data-reference>([\d ]{19})</strong>", references
    )
    digits = reference.group(1).replace(" ", "")
    # the betalingskenmerk: the weighted modulus 11 check digit (weights 2^i mod 11 from the right)
    total = sum(int(d) * pow(2, i + 1, 11) for i, d in enumerate(reversed(digits[1:])))
    check = 11 - total % 11
    assert int(digits[0]) == (1 if check == 10 else 0 if check == 11 else check) and int(digits[1:]) == invoice.pk
    assert "/portaal/incasso/bezwaar/" not in body  # the customer's one-time links are not shown to staff
    assert 'action="/backoffice/incasso/dossiers/' in body and 'value="2026-09-23"' in body
    assert_clean_event(
        last_event(),
        action="dunning.letter.view",
        values=[personas.alice_contact.street, personas.alice_customer.name, personas.alice_customer.number],
    )

    # printed for posting on another day: that day's date and last day
    with clock.as_of(D(2026, 9, 25)):
        other = client.get(letter_url(case, letter) + "?datum=2026-09-24").content.decode()
    assert f"Amsterdam, {in_dutch(D(2026, 9, 24))}" in other
    assert f'data-term-end="{oracle_last_day(D(2026, 9, 24)).isoformat()}"' in other

    # recording the day it was posted
    with clock.as_of(D(2026, 9, 24)):
        done = client.post(letter_url(case, letter) + "verzonden/", {"posted_on": "2026-09-23"})
    assert done.status_code == 302 and done["Location"] == f"{BOARD}dossiers/{case.pk}/#brief"
    letter.refresh_from_db()
    assert (letter.status, letter.posted_on, letter.term_end) == ("sent", POSTED, last_day)
    assert letter.posted_by_id == personas.dave.pk
    case.refresh_from_db()
    assert case.costs_from == last_day + dt.timedelta(days=1) and case.pending_notice is False
    assert_clean_event(last_event(), action="dunning.letter.posted", values=[personas.alice_contact.street])

    # the case shows the channel and the posted day; the board no longer lists the letter
    with clock.as_of(D(2026, 9, 24)):
        page = client.get(f"{BOARD}dossiers/{case.pk}/")
        board = client.get(BOARD).content.decode()
    shown = page.content.decode()
    assert "De brief is vastgelegd als verstuurd op 23 september 2026" in shown
    channel = re.search(r'<p data-channel="post" data-posted="2026-09-23">.*?</p>', shown, re.S).group(0)
    assert in_dutch(POSTED) in channel and in_dutch(last_day) in channel
    assert in_dutch(last_day + dt.timedelta(days=1)) in channel
    assert 'data-waiting="post"' not in shown
    assert f'<tr data-letter="{letter.pk}"' not in board and "Geen brieven die wachten op verzending." in board


@pytest.mark.promise("A5")
def test_the_case_waits_for_the_letter_to_be_posted(office, personas, waiting):
    case, letter, _ = waiting
    with clock.as_of(POSTED):
        body = office(personas.dave).get(f"{BOARD}dossiers/{case.pk}/").content.decode()
    assert 'data-waiting="post"' in body and "Het versturen van de veertiendagenbrief per post" in body
    assert '<p data-channel="post">' in body and "Wacht op verzending per post." in body
    assert f'href="{letter_url(case, letter)}"' in body
    assert 'data-agreement="no"' in body and "niet ingestemd." in body


@pytest.mark.promise("A1", "A5")
def test_the_case_shows_the_agreement_when_the_letter_was_emailed(office, personas):
    agree_to_email_notices(personas.alice_customer, on=D(2024, 3, 1))
    _overdue(personas.alice_customer, personas.alice_contact)
    case = Case.objects.get(customer=personas.alice_customer)
    with clock.as_of(POSTED):
        body = office(personas.dave).get(f"{BOARD}dossiers/{case.pk}/").content.decode()
    assert 'data-agreement="yes"' in body and "een bepaling in de overeenkomst, op 1 maart 2024" in body
    channel = re.search(r'<p data-channel="email">.*?</p>', body, re.S).group(0)
    assert "Per e-mail verstuurd" in channel and "Algemene voorwaarden 2024, art. 4.3" in channel
    assert "2024-03-01" in channel and "Gemaild op 21 september 2026" in channel
    assert Notice.objects.filter(channel="post").count() == 0


@pytest.mark.promise("A5")
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-09-20", "Verzenddatum mag niet vóór de dag liggen waarop de brief is gemaakt (21 september 2026)"),
        ("2026-09-24", "Verzenddatum mag niet in de toekomst liggen"),
        ("gisteren", "Vul de datum in waarop de brief op de post is gedaan (dag, maand, jaar)."),
        ("", "Vul de datum in waarop de brief op de post is gedaan (dag, maand, jaar)."),
    ],
)
def test_a_bad_posting_day_is_a_form_error_and_changes_nothing(office, personas, waiting, value, message):
    case, letter, _ = waiting
    client = office(personas.dave)
    before = database_snapshot()
    with clock.as_of(POSTED):
        response = client.post(letter_url(case, letter) + "verzonden/", {"posted_on": value})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert" data-errors="posted"' in body and "Er is niets gewijzigd" in body
    assert message in body
    assert message in " ".join(response.context["form"].errors["posted_on"])  # at the date's field
    assert_nothing_changed(before)


@pytest.mark.promise("A5")
def test_a_bad_posting_day_reads_in_english_after_the_language_switch(office, personas, waiting):
    case, letter, _ = waiting
    client = office(personas.dave)
    client.post("/i18n/setlang/", {"language": "en", "next": "/backoffice/"})
    before = database_snapshot()
    with clock.as_of(POSTED):
        response = client.post(letter_url(case, letter) + "verzonden/", {"posted_on": "2026-09-20"})
    assert response.context["form"].errors["posted_on"] == [
        "Posting date may not be before the day the letter was made (21 September 2026)"
    ]
    assert "Nothing has been changed" in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("A5")
def test_recording_the_posting_twice_is_a_form_error_and_changes_nothing(office, personas, waiting):
    case, letter, _ = waiting
    client = office(personas.dave)
    with clock.as_of(D(2026, 9, 24)):
        assert client.post(letter_url(case, letter) + "verzonden/", {"posted_on": "2026-09-23"}).status_code == 302
        before = database_snapshot()
        again = client.post(letter_url(case, letter) + "verzonden/", {"posted_on": "2026-09-24"})
    assert again.status_code == 200
    assert "Deze brief is al als verstuurd vastgelegd" in again.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("A5", "B2")
@pytest.mark.parametrize("who", ["carol", "erin", "frank"])
def test_other_roles_get_403_on_the_letter_and_change_nothing(office, personas, waiting, who):
    case, letter, _ = waiting
    client = office(getattr(personas, who))
    before = database_snapshot()
    with clock.as_of(POSTED):
        assert client.get(letter_url(case, letter)).status_code == 403
        assert client.post(letter_url(case, letter) + "verzonden/", {"posted_on": "2026-09-23"}).status_code == 403
        assert client.get(BOARD).status_code == 403
    assert_nothing_changed(before)


@pytest.mark.promise("A5", "B2")
def test_a_customer_cannot_open_or_record_the_letter(client, personas, waiting):
    case, letter, _ = waiting
    testing.sign_in(client, personas.alice)
    before = database_snapshot()
    with clock.as_of(POSTED):
        assert client.get(letter_url(case, letter)).status_code in (302, 403)
        assert client.post(letter_url(case, letter) + "verzonden/", {"posted_on": "2026-09-23"}).status_code in (
            302,
            403,
        )
    assert_nothing_changed(before)


@pytest.mark.promise("A5")
def test_an_email_notice_has_no_print_page(office, personas, waiting):
    case, _, _ = waiting
    reminder = Notice.objects.get(case=case, kind="reminder")
    client = office(personas.dave)
    with clock.as_of(POSTED), unchanged():
        assert client.get(letter_url(case, reminder)).status_code == 404
