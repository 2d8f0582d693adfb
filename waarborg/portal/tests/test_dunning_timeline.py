"""Payment reminders in the portal: the timeline per invoice, contesting a step, and the pages
behind the links every notice carries (A1–A5, X4, B2)."""

import re

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.billing.services import payment_record
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.dunning.contests import contest_submit
from waarborg.dunning.links import make_token
from waarborg.dunning.models import Contest, Decision
from waarborg.dunning.tests.conftest import DUE, D, World, agree_to_email_notices, run, run_days
from waarborg.portal import dunning as portal_dunning
from waarborg.testing.checks import assert_nothing_changed, database_snapshot, unchanged

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/portaal/incasso/(bezwaar|persoon)/[^/\s]+/)")
BSN = "111222333"  # passes the 11-proef


@pytest.fixture(autouse=True)
def mail(smtp_server):
    """Every notice goes through Django's SMTP backend to a real local server."""
    return smtp_server


@pytest.fixture
def alice_world(personas) -> World:
    """Alice agreed to written notices by e-mail: her fourteen-day letter is e-mailed."""
    agree_to_email_notices(personas.alice_customer)
    return World(personas.alice_customer, personas.alice_contact)


@pytest.fixture
def bob_world(personas) -> World:
    return World(personas.bob_customer, personas.bob_contact)


def _links(body: str) -> dict[str, str]:
    return {kind: path for path, kind in LINK.findall(body)}


def _to_final_notice(world: World):
    """Reminder (12 Jan), fourteen-day letter (19 Jan), final notice (9 Feb, block on 16 Feb)."""
    invoice = world.invoice()
    run_days(DUE, D(2026, 2, 9))
    return invoice


THE_DAY_AFTER = D(2026, 2, 10)  # the day after the final notice


def _page(client, path: str, day=THE_DAY_AFTER):
    with clock.as_of(day):
        response = client.get(path)
    return response, response.content.decode()


@pytest.mark.promise("A1", "A5")
def test_it_shows_each_step_of_an_overdue_invoice_with_why_and_what_next(as_alice, alice_world):
    invoice = _to_final_notice(alice_world)
    response, body = _page(as_alice, f"/portaal/facturen/{invoice.pk}/")
    assert response.status_code == 200
    views = response.context["dunning_cases"]
    assert [e.entry.kind for e in views[0].entries] == ["reminder", "wik_letter", "final_notice"]
    for title in ("Betalingsherinnering", "Veertiendagenbrief (aanmaning)", "Laatste aanmaning met blokkeerdatum"):
        assert title in body
    assert "12 januari 2026" in body and "e-mail naar u verstuurd op 9 februari 2026" in body
    assert "Automatisch besloten" in body
    # what happened, why (facts, rule, ladder version), what comes next and when
    assert "Dit is onze laatste aanmaning." in body
    assert "Waarom: de feiten en de regel" in body and "35 dagen te laat" in body
    assert "Regel: incassoladder &quot;Consumenten&quot;, versie 1, stap 3" in body
    assert "Incassoladder Consumenten, versie 1" in body
    assert 'data-next="block"' in body
    assert "Staat het bedrag dan nog open: blokkeren van diensten, op 16 februari 2026 of later." in body
    # what the customer can do: pay, object, ask for a person (the notice's one-time links are not shown)
    assert "Betaal de € 121,00 die nog openstaat" in body and 'href="/portaal/facturen/"' in body
    assert f'action="/portaal/facturen/{invoice.pk}/bezwaar/"' in body
    assert 'value="contest"' in body and 'value="person"' in body
    assert "/portaal/incasso/" not in body


@pytest.mark.promise("A5")
def test_it_explains_the_steps_in_english_after_the_language_switch(as_alice, alice_world):
    invoice = _to_final_notice(alice_world)
    as_alice.post("/i18n/setlang/", {"language": "en", "next": "/portaal/"})
    _response, body = _page(as_alice, f"/portaal/facturen/{invoice.pk}/")
    assert "Payment reminders for this invoice" in body and "Final notice with the block date" in body
    assert "This is our final notice." in body and "Why: the facts and the rule" in body
    assert "If the amount is still open: blocking of services, on" in body
    assert "Dit is onze laatste aanmaning" not in body


@pytest.mark.promise("A5")
def test_it_lists_the_open_cases_on_the_invoices_page(as_alice, alice_world):
    invoice = _to_final_notice(alice_world)
    response, body = _page(as_alice, "/portaal/facturen/")
    assert response.status_code == 200
    assert "Betalingsherinneringen die lopen" in body
    assert f'href="/portaal/facturen/{invoice.pk}/#incasso"' in body
    assert "Laatste stap: Laatste aanmaning met blokkeerdatum, op 9 februari 2026." in body
    assert "Volgende stap, als het bedrag nog openstaat: blokkeren van diensten, op 16 februari 2026" in body


@pytest.mark.promise("A5", "A2")
def test_it_shows_a_paid_invoice_s_collection_as_stopped_without_actions(as_alice, alice_world, dave):
    invoice = _to_final_notice(alice_world)
    with clock.as_of(D(2026, 2, 10)):
        payment_record(actor=dave, invoice=invoice, amount="121.00")
    response, body = _page(as_alice, f"/portaal/facturen/{invoice.pk}/")
    assert response.context["dunning_cases"][0].case.status == "closed"
    assert "Eerdere incasso, gestopt op 10 februari 2026" in body and "Incasso gestopt" in body
    assert "Niets: deze incasso is gestopt." in body
    assert "/bezwaar/" not in body
    _response, listing = _page(as_alice, "/portaal/facturen/")
    assert "Betalingsherinneringen die lopen" not in listing
    before = database_snapshot()
    response = as_alice.post(f"/portaal/facturen/{invoice.pk}/bezwaar/", {"kind": "contest", "statement": "Toch niet."})
    assert response.status_code == 404  # nothing left to contest
    assert_nothing_changed(before)


@pytest.mark.promise("A3", "X4")
def test_it_says_the_next_step_waits_for_an_employee(as_bob, bob_world):
    invoice = bob_world.invoice()
    run_days(DUE, D(2026, 3, 3))  # business ladder: the bailiff step (day 56) asks for an approval
    assert bob_world.case().status == "waiting"
    _response, body = _page(as_bob, f"/portaal/facturen/{invoice.pk}/", D(2026, 3, 3))
    assert 'data-waiting-for="approval"' in body
    assert "De volgende stap wacht op een besluit van een medewerker" in body


@pytest.mark.promise("B2", "A5")
def test_it_answers_404_for_another_customers_timeline_and_contest_and_changes_nothing(
    as_alice, alice_world, bob_world
):
    _to_final_notice(alice_world)
    theirs = bob_world.invoice(number="F-BOB-1")
    run_days(D(2026, 2, 10), D(2026, 2, 12))
    assert bob_world.case() is not None
    before = database_snapshot()
    for path in (f"/portaal/facturen/{theirs.pk}/", f"/portaal/facturen/{theirs.pk}/bezwaar/"):
        assert as_alice.get(path).status_code == 404
    response = as_alice.post(
        f"/portaal/facturen/{theirs.pk}/bezwaar/", {"kind": "contest", "statement": "Niet van mij."}
    )
    assert response.status_code == 404
    _response, listing = _page(as_alice, "/portaal/facturen/")
    assert "F-BOB-1" not in listing
    assert_nothing_changed(before)


@pytest.mark.promise("X4", "A5")
def test_it_contests_from_the_invoice_page_and_the_case_pauses(as_alice, alice_world, alice):
    invoice = _to_final_notice(alice_world)
    with clock.as_of(D(2026, 2, 10)):
        response = as_alice.post(
            f"/portaal/facturen/{invoice.pk}/bezwaar/", {"kind": "contest", "statement": "Ik heb deze dienst opgezegd."}
        )
    assert response.status_code == 302 and response["Location"] == f"/portaal/facturen/{invoice.pk}/#incasso"
    contest = Contest.objects.get()
    assert (contest.kind, contest.submitted_by, contest.via_decision) == ("contest", alice, None)
    assert contest.statement == "Ik heb deze dienst opgezegd."
    case = alice_world.case()
    assert (case.status, case.paused_on) == ("paused", D(2026, 2, 10))
    _response, body = _page(as_alice, response["Location"])
    assert "Wij hebben uw bezwaar ontvangen." in body  # the message after the redirect
    assert "Bezwaar ontvangen: incasso staat stil" in body and 'data-case-status="paused"' in body
    assert 'data-waiting-for="contest"' in body and "Uw bezwaar wordt beoordeeld" in body
    assert f'action="/portaal/facturen/{invoice.pk}/bezwaar/"' not in body
    # sending it again asks nothing twice
    before = database_snapshot()
    as_alice.post(f"/portaal/facturen/{invoice.pk}/bezwaar/", {"kind": "contest", "statement": "Nogmaals."})
    assert_nothing_changed(before)
    run_days(D(2026, 2, 10), D(2026, 2, 20))
    assert alice_world.status() == ("active", "active")  # the block date passed, nothing happened


@pytest.mark.promise("X4")
def test_it_asks_for_a_person_from_the_invoice_page(as_alice, alice_world):
    invoice = _to_final_notice(alice_world)
    with clock.as_of(D(2026, 2, 10)):
        as_alice.post(f"/portaal/facturen/{invoice.pk}/bezwaar/", {"kind": "person", "statement": "Bel mij a.u.b."})
    assert Contest.objects.get().kind == "person" and alice_world.case().status == "paused"
    _response, body = _page(as_alice, f"/portaal/facturen/{invoice.pk}/")
    assert "Verzoek om een medewerker ontvangen: incasso staat stil" in body


@pytest.mark.promise("X4", "G8")
def test_it_refuses_an_empty_reason_or_a_bsn_and_changes_nothing(as_alice, alice_world):
    invoice = _to_final_notice(alice_world)
    before = database_snapshot()
    for statement, message in (
        ("   ", "Vertel het ons in een paar woorden"),
        (f"Mijn BSN is {BSN}", "burgerservicenummer (BSN)"),
        ("x" * 4001, "Houd het bij 4000 tekens"),
    ):
        response = as_alice.post(
            f"/portaal/facturen/{invoice.pk}/bezwaar/", {"kind": "contest", "statement": statement}
        )
        body = response.content.decode()
        assert response.status_code == 200 and message in body and 'aria-invalid="true"' in body
    assert_nothing_changed(before)


@pytest.mark.promise("X4", "A5")
def test_it_follows_the_contest_link_of_a_real_notice_and_the_case_pauses(alice_world, mail):
    _to_final_notice(alice_world)
    final = mail.wait_for(3)[2]
    assert final["Subject"].startswith("Laatste aanmaning")
    path = _links(mail.body(final))["bezwaar"]
    client = Client()  # from the e-mail: not signed in
    before = database_snapshot()
    response, body = _page(client, path, D(2026, 2, 11))
    assert response.status_code == 200
    assert_nothing_changed(before)  # opening the link uses nothing up
    assert "Bezwaar maken tegen een incassostap" in body and "Dit is onze laatste aanmaning." in body
    assert "16 februari 2026" in body and "/portaal/incasso/persoon/" not in body  # the notice's links left out
    with clock.as_of(D(2026, 2, 11)):
        response = client.post(path, {"statement": "Het bedrag klopt niet."})
    body = response.content.decode()
    assert response.status_code == 200 and "De incasso staat stil." in body
    contest = Contest.objects.get()
    assert (contest.kind, contest.via_decision.kind, contest.submitted_by) == ("contest", "final_notice", None)
    case = alice_world.case()
    assert (case.status, case.paused_on) == ("paused", D(2026, 2, 11))
    event = AuditEvent.objects.filter(action="dunning.contest.submit").get()
    assert event.actor == "customer-link" and "klopt" not in str(event.data)
    # the acknowledgement goes out; the block date passes and nothing happens
    run(D(2026, 2, 11))
    assert mail.wait_for(4)[3]["Subject"] == "Uw bezwaar is ontvangen: de incasso staat stil"
    run_days(D(2026, 2, 12), D(2026, 2, 20))
    assert alice_world.status() == ("active", "active")
    # the link works once
    before = database_snapshot()
    for method in (client.get, client.post):
        with clock.as_of(D(2026, 2, 21)):
            again = method(path, {"statement": "Nog een keer."}) if method == client.post else method(path)
        assert again.status_code == 410 and 'data-problem="used"' in again.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("X4")
def test_it_follows_the_person_link_and_the_case_pauses(alice_world, mail):
    _to_final_notice(alice_world)
    path = _links(mail.body(mail.wait_for(3)[2]))["persoon"]
    client = Client()
    _response, body = _page(client, path, D(2026, 2, 11))
    assert "Met een medewerker spreken over uw betaling" in body
    with clock.as_of(D(2026, 2, 11)):
        response = client.post(path, {"statement": "Ik wil een betalingsregeling."})
    assert response.status_code == 200 and "Een medewerker neemt contact met u op." in response.content.decode()
    assert Contest.objects.get().kind == "person" and alice_world.case().status == "paused"


@pytest.mark.promise("X4")
def test_it_refuses_a_link_that_is_not_valid_or_of_a_stopped_collection_and_changes_nothing(alice_world, dave):
    invoice = _to_final_notice(alice_world)
    final = Decision.objects.get(kind="final_notice")
    contest_token = make_token(final.pk, "contest")
    client = Client()
    before = database_snapshot()
    for path in (
        f"/portaal/incasso/bezwaar/{contest_token}x/",  # tampered
        "/portaal/incasso/bezwaar/niet-een-token/",
        f"/portaal/incasso/persoon/{contest_token}/",  # a contest link on the person page
        f"/portaal/incasso/bezwaar/{make_token(999999, 'contest')}/",  # no such decision
    ):
        for response in (client.get(path), client.post(path, {"statement": "Bezwaar."})):
            body = response.content.decode()
            assert response.status_code == 404 and 'data-problem="invalid"' in body
            assert "Er is niets gewijzigd." in body and "€" not in body
    assert_nothing_changed(before)
    with clock.as_of(D(2026, 2, 10)):
        payment_record(actor=dave, invoice=invoice, amount="121.00")
    before = database_snapshot()
    response = client.post(f"/portaal/incasso/bezwaar/{contest_token}/", {"statement": "Bezwaar."})
    assert response.status_code == 410 and 'data-problem="closed"' in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("X4")
@pytest.mark.parametrize(
    ("code", "problem", "status"),
    [
        ("dunning.link_used", "used", 410),
        ("dunning.case_closed", "closed", 410),
        ("dunning.link_invalid", "invalid", 404),
    ],
)
def test_a_refusal_at_sending_shows_the_page_its_code_names(alice_world, monkeypatch, code, problem, status):
    """The link was good when the page opened; sending is refused (used or closed in between)."""
    _to_final_notice(alice_world)
    path = f"/portaal/incasso/bezwaar/{make_token(Decision.objects.get(kind='final_notice').pk, 'contest')}/"

    def refused(**kwargs):
        raise ValidationError(code, field="token")

    monkeypatch.setattr(portal_dunning, "contest_submit", refused)
    before = database_snapshot()
    with clock.as_of(D(2026, 2, 11)):
        response = Client().post(path, {"statement": "Bezwaar."})
    assert response.status_code == status and f'data-problem="{problem}"' in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("X4")
def test_it_refuses_the_link_form_without_its_csrf_token_and_changes_nothing(alice_world):
    _to_final_notice(alice_world)
    path = f"/portaal/incasso/bezwaar/{make_token(Decision.objects.get(kind='final_notice').pk, 'contest')}/"
    before = database_snapshot()
    response = Client(enforce_csrf_checks=True).post(path, {"statement": "Bezwaar."})
    assert response.status_code == 403
    assert_nothing_changed(before)


@pytest.mark.promise("X4", "G8")
def test_it_refuses_a_bsn_on_the_link_page_and_changes_nothing(alice_world):
    _to_final_notice(alice_world)
    path = f"/portaal/incasso/bezwaar/{make_token(Decision.objects.get(kind='final_notice').pk, 'contest')}/"
    before = database_snapshot()
    response = Client().post(path, {"statement": f"BSN {BSN[:3]}.{BSN[3:6]}.{BSN[6:]}"})
    assert response.status_code == 200 and "burgerservicenummer (BSN)" in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("X4")
def test_it_tells_a_link_already_used_by_another_route_is_used(alice_world):
    _to_final_notice(alice_world)
    token = make_token(Decision.objects.get(kind="final_notice").pk, "person")
    with clock.as_of(D(2026, 2, 11)):
        contest_submit(token=token, statement="Bel mij.")
    with unchanged():
        response = Client().get(f"/portaal/incasso/persoon/{token}/")
    assert response.status_code == 410 and "Wij hebben uw verzoek ontvangen" in response.content.decode()


@pytest.mark.promise("A5")
def test_it_counts_the_collections_in_progress_on_the_landing(as_alice, alice_world):
    _response, body = _page(as_alice, "/portaal/")
    assert 'data-dunning-active="0"' in body and "Er lopen geen betalingsherinneringen" in body
    _to_final_notice(alice_world)
    _response, body = _page(as_alice, "/portaal/")
    assert 'data-dunning-active="1"' in body and "Er loopt één incasso." in body
    assert 'href="/portaal/facturen/#incasso"' in body
