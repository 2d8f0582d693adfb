"""The back office's dunning screens: the board, a case's page, deciding contests and approvals,
editing a ladder; finance only (A1–A5, X4, B2, B4)."""

import datetime as dt
import json
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.auth_web import testing
from waarborg.core import clock
from waarborg.core.daily import run_daily
from waarborg.dunning.contests import contest_submit
from waarborg.dunning.models import Approval, Case, Contest, Ladder, Notice, ProvisioningMessage
from waarborg.dunning.tests.conftest import agree_to_email_notices
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db
D = dt.date
DUE = D(2026, 1, 5)
JOBS = ["dunning", "dunning-notices", "provisioning"]
BOARD = "/backoffice/incasso/"
LADDERS = "/backoffice/incasso/ladders/"
DUNNING_MODELS = (
    "dunning.Case",
    "dunning.Decision",
    "dunning.Notice",
    "dunning.Contest",
    "dunning.Approval",
    "dunning.CaseFile",
    "dunning.Hold",
    "dunning.LadderVersion",
    "dunning.ProvisioningMessage",
)


def case_url(case) -> str:
    return f"{BOARD}dossiers/{case.pk}/"


def run_days(first: dt.date, last: dt.date) -> None:
    day = first
    while day <= last:
        run_daily(day, only=JOBS)
        day += dt.timedelta(days=1)


def overdue_invoice(customer, contact, *, amount="121.00", due=DUE, label="site.example"):
    product = f.ProductFactory(code="webhosting-basis", kind="webhosting", name="Webhosting Basis")
    subscription = f.SubscriptionFactory(customer=customer, product=product, label=label, start_date=D(2025, 1, 1))
    total = Decimal(amount)
    excl = (total / Decimal("1.21")).quantize(Decimal("0.01"))
    invoice = f.InvoiceFactory(
        customer=customer,
        billing_contact=contact,
        issue_date=due - dt.timedelta(days=14),
        due_date=due,
        total_excl=excl,
        vat_amount=total - excl,
        total_incl=total,
    )
    f.InvoiceLineFactory(invoice=invoice, subscription=subscription, unit_price=excl)
    return invoice


@pytest.fixture(autouse=True)
def mailbox(smtp_server):
    """Notices go through Django's SMTP backend to a real local server."""
    return smtp_server


@pytest.fixture
def office(client):
    def sign_in(account):
        testing.sign_in(client, account)
        return client

    return sign_in


@pytest.fixture
def bailiff():
    return f.RecipientFactory(
        key="deurwaarder-west",
        name="Gerechtsdeurwaarders West",
        kind="third_party",
        category="bailiff",
        purpose="Incasso van onbetaalde facturen",
        data_categories=["D1", "D2", "D5", "D7"],
        agreement_signed_at=D(2025, 1, 1),
        agreement_expires_at=D(2027, 1, 1),
    )


@pytest.fixture
def cases(personas):
    """Alice (consumer) contested on 11 February and is paused; Bakkerij Jansen (business)
    reached the bailiff step on 2 March (day 56), which waits for an approval."""
    agree_to_email_notices(personas.alice_customer)  # her fourteen-day letter is e-mailed
    alice_invoice = overdue_invoice(personas.alice_customer, personas.alice_contact, amount="121.00")
    bob_invoice = overdue_invoice(personas.bob_customer, personas.bob_contact, amount="242.00", label="bakker.example")
    run_days(DUE, D(2026, 2, 10))
    alice_case = Case.objects.get(customer=personas.alice_customer)
    with clock.as_of(D(2026, 2, 11)):
        contest = contest_submit(
            actor=personas.alice, case=alice_case, statement="Deze dienst heb ik op 1 december opgezegd."
        )
    run_days(D(2026, 2, 11), D(2026, 3, 2))
    return SimpleNamespace(
        alice=Case.objects.get(pk=alice_case.pk),
        bob=Case.objects.get(customer=personas.bob_customer),
        contest=contest,
        approval=Approval.objects.get(),
        alice_invoice=alice_invoice,
        bob_invoice=bob_invoice,
    )


TODAY = D(2026, 3, 3)


# --- The board (A1, A5, X4) ---------------------------------------------------------------------


@pytest.mark.promise("A1", "A5", "X4")
def test_it_shows_the_cases_by_step_with_the_amount_overdue_and_the_next_step(office, personas, cases):
    client = office(personas.dave)
    with clock.as_of(TODAY):
        response = client.get(BOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Incasso</h1>" in body
    counts = {row["kind"]: row["total"] for row in response.context["counts"]}
    assert counts == {"final_notice": 1, "bailiff": 1}  # alice paused after the final notice
    alice = re.search(rf'<tr data-case="{cases.alice.pk}"[^>]*>.*?</tr>', body, re.S).group(0)
    assert 'data-status="paused"' in alice and "€ 121,00" in alice and personas.alice_customer.number in alice
    assert 'data-next="block"' in alice and "na uw besluit over het bezwaar" in alice
    bob = re.search(rf'<tr data-case="{cases.bob.pk}"[^>]*>.*?</tr>', body, re.S).group(0)
    assert 'data-status="waiting"' in bob and "€ 242,00" in bob and "wacht op uw goedkeuring" in bob
    assert 'data-days="57"' in bob and "57 dagen te laat" in bob  # due 5 January, today 3 March
    # the queues of the human in the loop
    assert f'<tr data-contest="{cases.contest.pk}" data-case="{cases.alice.pk}">' in body
    assert f'<tr data-approval="{cases.approval.pk}" data-kind="bailiff">' in body
    assert "Overdracht aan de deurwaarder" in body
    # only codes and numbers: no names, addresses or statements
    for value in (personas.alice_customer.name, personas.alice_contact.email, "opgezegd", "Bakkerij Jansen"):
        assert value not in body
    event = last_event()
    assert_clean_event(event, action="dunning.board.view", values=[personas.alice_customer.number])
    assert sorted(event.object_ids) == sorted([str(cases.alice.pk), str(cases.bob.pk)])


@pytest.mark.promise("A5")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stap=final_notice", ["alice"]),
        ("stap=bailiff", ["bob"]),
        ("stap=reminder", []),
        ("status=paused", ["alice"]),
        ("status=waiting", ["bob"]),
        ("markt=b2b", ["bob"]),
        ("markt=b2c", ["alice"]),
        ("stap=bailiff&markt=b2c", []),
        ("stap=nonsense", ["alice", "bob"]),  # an unknown filter is ignored, not an error page
    ],
)
def test_it_filters_the_board_by_step_status_and_market(office, personas, cases, query, expected):
    client = office(personas.dave)
    with clock.as_of(TODAY):
        response = client.get(f"{BOARD}?{query}")
    assert response.status_code == 200
    shown = {row["case"].pk for row in response.context["rows"]}
    assert shown == {getattr(cases, who).pk for who in expected}


@pytest.mark.promise("A2", "A5")
def test_it_lists_notices_that_cannot_go_out_and_provisioning_messages_failing(office, personas, cases):
    stuck = Notice.objects.filter(case=cases.bob).order_by("pk").first()
    Notice.objects.filter(pk=stuck.pk).update(status=Notice.Status.UNDELIVERABLE)
    message = ProvisioningMessage.objects.create(
        key="test:block:1",
        action="block",
        subscription=f.SubscriptionFactory(customer=personas.bob_customer),
        customer=personas.bob_customer,
        payload={},
        attempts=3,
        next_attempt_at=clock.now(),
        last_error="HTTP 500",
        created_at=clock.now(),
    )
    client = office(personas.dave)
    with clock.as_of(TODAY):
        body = client.get(BOARD).content.decode()
    notice_row = re.search(rf'<tr data-notice="{stuck.pk}">.*?</tr>', body, re.S).group(0)
    assert "Geen adres om naar te sturen" in notice_row and personas.bob_customer.number in notice_row
    outbox_row = re.search(rf'<tr data-message="{message.pk}">.*?</tr>', body, re.S).group(0)
    assert "Blokkeren" in outbox_row and "HTTP 500" in outbox_row and '<td class="num">3</td>' in outbox_row


# --- A case (A5, B4) --------------------------------------------------------------------------------


@pytest.mark.promise("A5", "X4", "B4")
def test_it_shows_a_case_with_its_timeline_in_the_customers_words_and_records_the_opening(office, personas, cases):
    client = office(personas.dave)
    with clock.as_of(TODAY):
        response = client.get(case_url(cases.alice))
    assert response.status_code == 200
    body = response.content.decode()
    kinds = [entry.kind for entry in response.context["timeline"].entries]
    assert kinds == ["reminder", "wik_letter", "final_notice", "paused"]
    assert "Dit is onze aanmaning (veertiendagenbrief)" in body  # the customer's words, in Dutch
    assert "Deze dienst heb ik op 1 december opgezegd." in body  # the contest to decide
    assert 'data-waiting="contest"' in body and "Een besluit over het bezwaar" in body
    assert "€ 121,00" in body and cases.alice_invoice.number in body
    # the customer's own contest links are not offered to staff
    assert "/portaal/incasso/bezwaar/…/" in body and not re.search(r"/portaal/incasso/bezwaar/[^/…\s]+:", body)
    event = last_event()
    assert_clean_event(
        event,
        action="dunning.case.view",
        values=[personas.alice_customer.name, personas.alice_contact.email, personas.alice_customer.number, "opgezegd"],
    )
    assert event.object_ids == [str(cases.alice.pk)] and event.subject_ref == f"customer:{personas.alice_customer.pk}"
    assert event.purpose == "U4"

    with clock.as_of(TODAY):
        english = client.get(case_url(cases.alice) + "?tekst=en").content.decode()
    assert "This is our formal demand" in english or "fourteen-day letter" in english


@pytest.mark.promise("B2")
def test_it_answers_404_for_a_case_that_does_not_exist(office, personas):
    client = office(personas.dave)
    with unchanged():
        assert client.get(f"{BOARD}dossiers/999999/").status_code == 404
        assert client.post(f"{BOARD}dossiers/999999/bezwaren/1/", {}).status_code == 404


# --- Deciding a contest (X4) ------------------------------------------------------------------------


def _contest_form(contest, decision, reason):
    prefix = f"bezwaar_{contest.pk}"
    data = {f"{prefix}-reason": reason}
    if decision:
        data[f"{prefix}-decision"] = decision
    return data


@pytest.mark.promise("X4", "A5")
def test_it_rejects_a_contest_with_a_reason_and_the_ladder_resumes(office, personas, cases, mailbox):
    client = office(personas.dave)
    url = f"{case_url(cases.alice)}bezwaren/{cases.contest.pk}/"
    with clock.as_of(TODAY):
        response = client.post(url, _contest_form(cases.contest, "rejected", "De dienst liep door tot 1 maart."))
    assert response.status_code == 302 and response["Location"] == case_url(cases.alice)
    contest = Contest.objects.get(pk=cases.contest.pk)
    assert (contest.status, contest.decided_by, contest.reason) == (
        "rejected",
        personas.dave,
        "De dienst liep door tot 1 maart.",
    )
    case = Case.objects.get(pk=cases.alice.pk)
    assert case.status == "open" and case.shift_days == 20  # paused 11 February to 3 March
    with clock.as_of(TODAY):
        page = client.get(case_url(cases.alice)).content.decode()
    assert "De incasso gaat verder" in page or "de ladder loopt weer" in page
    assert "Dave" in page and 'data-kind="contest_decided"' in page
    run_days(TODAY, TODAY)
    body = mailbox.body(mailbox.messages[-1])
    assert "Dave heeft uw bezwaar beoordeeld en besloten dat de incasso doorgaat" in body
    event = AuditEvent.objects.filter(action="dunning.contest.decide").last()
    assert event.actor == f"account:{personas.dave.pk}" and "De dienst" not in json.dumps(event.data)


@pytest.mark.promise("X4", "A2")
def test_it_upholds_a_contest_and_the_case_closes(office, personas, cases):
    client = office(personas.dave)
    url = f"{case_url(cases.alice)}bezwaren/{cases.contest.pk}/"
    with clock.as_of(TODAY):
        response = client.post(url, _contest_form(cases.contest, "upheld", "Opzegging was op tijd."), follow=True)
    assert response.status_code == 200
    assert "Het bezwaar is toegewezen" in response.content.decode()
    case = Case.objects.get(pk=cases.alice.pk)
    assert (case.status, case.close_reason) == ("closed", "contest_upheld")


@pytest.mark.promise("X4", "A5")
def test_it_lists_an_upheld_contests_invoice_and_puts_it_back_in_collection(office, personas, cases):
    from waarborg.dunning.models import Hold

    client = office(personas.dave)
    url = f"{case_url(cases.alice)}bezwaren/{cases.contest.pk}/"
    with clock.as_of(TODAY):
        client.post(url, _contest_form(cases.contest, "upheld", "Opzegging was op tijd."))
        body = client.get(BOARD).content.decode()
    hold = Hold.objects.get()
    row = re.search(rf'<tr data-hold="{hold.pk}">.*?</tr>', body, re.S).group(0)
    assert cases.alice_invoice.number in row and "Terug in de incasso" in row
    with clock.as_of(TODAY):
        response = client.post(f"{BOARD}uitgezonderd/{hold.pk}/vrijgeven/", follow=True)
    assert f"Factuur {cases.alice_invoice.number} doet weer mee in de incasso" in response.content.decode()
    hold.refresh_from_db()
    assert hold.released_by == personas.dave and hold.released_at is not None
    before = database_snapshot()
    with clock.as_of(TODAY):
        assert client.post(f"{BOARD}uitgezonderd/{hold.pk}/vrijgeven/").status_code == 404  # not held any more
    assert_nothing_changed(before)
    carol = Client()
    testing.sign_in(carol, personas.carol)
    assert carol.post(f"{BOARD}uitgezonderd/{hold.pk}/vrijgeven/").status_code == 403


@pytest.mark.promise("X4")
@pytest.mark.parametrize(
    ("decision", "reason", "message"),
    [
        ("rejected", "", "Geef de reden: de klant krijgt die te horen."),
        ("", "Een reden.", "Kies: toewijzen of afwijzen."),
        ("maybe", "Een reden.", "Selecteer een geldige keuze"),
    ],
)
def test_it_refuses_a_contest_decision_without_a_reason_or_outcome_and_changes_nothing(
    office, personas, cases, decision, reason, message
):
    client = office(personas.dave)
    url = f"{case_url(cases.alice)}bezwaren/{cases.contest.pk}/"
    before = database_snapshot()
    with clock.as_of(TODAY):
        response = client.post(url, _contest_form(cases.contest, decision, reason))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is niets gewijzigd" in body and message in body
    assert_nothing_changed(before)


@pytest.mark.promise("X4")
def test_it_refuses_deciding_a_contest_twice(office, personas, cases):
    client = office(personas.dave)
    url = f"{case_url(cases.alice)}bezwaren/{cases.contest.pk}/"
    with clock.as_of(TODAY):
        client.post(url, _contest_form(cases.contest, "rejected", "Eerste besluit."))
        before = database_snapshot()
        response = client.post(url, _contest_form(cases.contest, "upheld", "Tweede besluit."))
    assert "Over dit bezwaar is al beslist" in response.content.decode()
    assert_nothing_changed(before)


# --- Approvals: the bailiff hand-off and the cancellation (A3, A4, X4) ------------------------------


def _approval_form(approval, decision, reason, **extra):
    prefix = f"goedkeuring_{approval.pk}"
    data = {f"{prefix}-decision": decision, f"{prefix}-reason": reason}
    return data | {f"{prefix}-{name}": value for name, value in extra.items()}


@pytest.mark.promise("A3", "X4", "B4")
def test_it_hands_the_case_to_a_registered_bailiff_and_offers_the_case_file(office, personas, cases, bailiff):
    client = office(personas.dave)
    url = f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/"
    with clock.as_of(TODAY):
        page = client.get(case_url(cases.bob)).content.decode()
        assert "Gerechtsdeurwaarders West (overeenkomst geldig)" in page
        response = client.post(
            url, _approval_form(cases.approval, "approve", "Geen reactie op drie brieven.", recipient=bailiff.pk)
        )
    assert response.status_code == 302
    approval = Approval.objects.get(pk=cases.approval.pk)
    assert (approval.status, approval.recipient, approval.decided_by) == ("approved", bailiff, personas.dave)
    case_file = approval.case_file
    with clock.as_of(TODAY):
        page = client.get(case_url(cases.bob)).content.decode()
        assert f'data-case-file="{case_file.pk}"' in page
        download = client.get(f"{case_url(cases.bob)}deurwaardersdossier/{case_file.pk}/")
        data = client.get(f"{case_url(cases.bob)}deurwaardersdossier/{case_file.pk}/?formaat=json")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    assert cases.bob_invoice.number in download.content.decode()
    assert json.loads(data.content)["invoices"][0]["number"] == cases.bob_invoice.number
    assert_clean_event(
        last_event(), action="dunning.casefile.download", values=[personas.bob_customer.name, bailiff.name]
    )
    assert AuditEvent.objects.filter(action="recipient.disclosure").count() == 1


@pytest.mark.promise("A3", "T3")
def test_it_e_mails_the_case_file_to_the_bailiffs_office(office, personas, cases, bailiff, mailbox):
    client = office(personas.dave)
    url = f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/"
    before = len(mailbox.settle())
    with clock.as_of(TODAY):
        response = client.post(
            url,
            _approval_form(
                cases.approval, "approve", "Geen reactie.", recipient=bailiff.pk, send_to="dossiers@west.example"
            ),
        )
    assert response.status_code == 302
    message = mailbox.wait_for(before + 1)[-1]
    assert message["To"] == "dossiers@west.example" and cases.bob_invoice.number in mailbox.body(message)
    with clock.as_of(TODAY):
        page = client.get(case_url(cases.bob)).content.decode()
    assert "gemaild naar dossiers@west.example" in page


@pytest.mark.promise("A3", "X4")
def test_it_refuses_a_bad_address_for_the_bailiffs_office_and_changes_nothing(office, personas, cases, bailiff):
    client = office(personas.dave)
    url = f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/"
    before = database_snapshot()
    with clock.as_of(TODAY):
        response = client.post(
            url, _approval_form(cases.approval, "approve", "Geen reactie.", recipient=bailiff.pk, send_to="geen-adres")
        )
    assert "Er is niets gewijzigd" in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("A3")
def test_it_says_when_no_bailiff_is_registered(office, personas, cases):
    client = office(personas.dave)
    with clock.as_of(TODAY):
        page = client.get(case_url(cases.bob)).content.decode()
    assert "data-no-bailiff" in page and "Er is nog geen deurwaarder geregistreerd" in page


@pytest.mark.promise("B2")
def test_it_offers_a_case_file_only_on_its_own_case(office, personas, cases, bailiff):
    client = office(personas.dave)
    with clock.as_of(TODAY):
        client.post(
            f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/",
            _approval_form(cases.approval, "approve", "Geen reactie.", recipient=bailiff.pk),
        )
        case_file = Approval.objects.get(pk=cases.approval.pk).case_file
        with unchanged():
            assert client.get(f"{case_url(cases.alice)}deurwaardersdossier/{case_file.pk}/").status_code == 404
        assert client.get(f"{case_url(cases.bob)}deurwaardersdossier/{case_file.pk}/").status_code == 200


@pytest.mark.promise("A3", "X4", "T3")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"agreement_expires_at": D(2026, 3, 1)}, "heeft op 3 maart 2026 geen geldige overeenkomst"),
        ({"data_categories": ["D1", "D2"]}, "niet geregistreerd voor deze gegevenscategorieën: D5 (Inloggegevens en klantnummer); D7 ("),
    ],
)
def test_it_refuses_the_hand_off_to_a_bailiff_without_a_valid_agreement_and_changes_nothing(
    office, personas, cases, bailiff, change, message
):
    for field, value in change.items():
        setattr(bailiff, field, value)
    bailiff.save()
    client = office(personas.dave)
    url = f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/"
    before = database_snapshot()
    with clock.as_of(TODAY):
        response = client.post(
            url, _approval_form(cases.approval, "approve", "Naar de deurwaarder.", recipient=bailiff.pk)
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is niets gewijzigd" in body and message in body
    assert message in " ".join(response.context["bound"].errors["recipient"])  # at the bailiff's field
    assert_nothing_changed(before)
    assert not AuditEvent.objects.filter(action="recipient.disclosure").exists()


@pytest.mark.promise("A3", "X4")
def test_the_hand_off_refusal_reads_in_english_after_the_language_switch(office, personas, cases, bailiff):
    bailiff.agreement_expires_at = D(2026, 3, 1)
    bailiff.save()
    client = office(personas.dave)
    client.post("/i18n/setlang/", {"language": "en", "next": BOARD})
    before = database_snapshot()
    with clock.as_of(TODAY):
        response = client.post(
            f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/",
            _approval_form(cases.approval, "approve", "To the bailiff.", recipient=bailiff.pk),
        )
    message = "The bailiff has no valid agreement on 3 March 2026: no data may go to them"
    assert response.context["bound"].errors["recipient"] == [message]
    assert "Nothing has been changed" in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("A3", "X4")
def test_it_asks_for_the_bailiff_before_a_hand_off(office, personas, cases, bailiff):
    client = office(personas.dave)
    url = f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/"
    before = database_snapshot()
    with clock.as_of(TODAY):
        response = client.post(url, _approval_form(cases.approval, "approve", "Naar de deurwaarder."))
    assert "Kies de deurwaarder naar wie de zaak gaat." in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("A3", "A4", "X4")
def test_it_refuses_a_hand_off_and_the_ladder_moves_on(office, personas, cases):
    client = office(personas.dave)
    url = f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/"
    with clock.as_of(TODAY):
        response = client.post(url, _approval_form(cases.approval, "refuse", "Betalingsregeling afgesproken."))
    assert response.status_code == 302
    approval = Approval.objects.get(pk=cases.approval.pk)
    assert (approval.status, approval.reason) == ("refused", "Betalingsregeling afgesproken.")
    case = Case.objects.get(pk=cases.bob.pk)
    assert case.status == "open" and case.ladder_version.steps[case.next_index]["kind"] == "cancel"


@pytest.mark.promise("X4")
def test_it_shows_an_open_contest_must_be_decided_before_an_approval(office, personas, cases, bailiff):
    with clock.as_of(TODAY):
        contest_submit(actor=personas.bob, case=cases.bob, statement="Niet naar de deurwaarder graag.")
    client = office(personas.dave)
    with clock.as_of(TODAY):
        page = client.get(case_url(cases.bob)).content.decode()
        assert "De klant maakte bezwaar: beslis eerst over het bezwaar." in page
        before = database_snapshot()
        response = client.post(
            f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/",
            _approval_form(cases.approval, "approve", "Toch.", recipient=bailiff.pk),
        )
    assert "beslis eerst over het bezwaar" in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("A4", "X4")
def test_it_approves_a_cancellation_that_waits_for_a_person(office, personas, cases):
    from waarborg.billing.services import payment_record

    client = office(personas.dave)
    with clock.as_of(TODAY):
        client.post(
            f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/",
            _approval_form(cases.approval, "refuse", "Eerst een regeling proberen."),
        )
    with clock.as_of(D(2026, 3, 10)):
        payment_record(actor=personas.dave, invoice=cases.bob_invoice, amount="20.00")  # a response
    run_days(D(2026, 3, 4), D(2026, 4, 10))
    cancel = Approval.objects.get(kind="cancel", status="pending")
    with clock.as_of(D(2026, 4, 10)):
        body = client.get(BOARD).content.decode()
        assert f'<tr data-approval="{cancel.pk}" data-kind="cancel">' in body and "Opzegging" in body
        response = client.post(
            f"{case_url(cases.bob)}goedkeuringen/{cancel.pk}/",
            _approval_form(cancel, "approve", "Regeling niet nagekomen."),
            follow=True,
        )
    assert "De opzegging is goedgekeurd" in response.content.decode()
    cancel.refresh_from_db()
    assert cancel.status == "approved" and cancel.decision.case.decisions.filter(kind="cancel_approved").exists()


# --- Ladders (A1) ------------------------------------------------------------------------------------


def _ladder_post(version, *, steps=None, **settings):
    steps = version.steps if steps is None else steps
    data = {
        "block_scope": version.settings["block_scope"],
        "block_notice_days": version.settings["block_notice_days"],
        "cancel_silence_days": version.settings["cancel_silence_days"],
        "cost_vat_rate": version.settings["cost_vat_rate"],
        "cost_rule": json.dumps(version.settings["cost_rule"]),
        "note": "Herinnering eerder",
    }
    for n, step in enumerate(steps):
        data |= {f"step_{n}_kind": step["kind"], f"step_{n}_day": step["day"], f"step_{n}_key": step.get("key", "")}
    return data | settings


@pytest.mark.promise("A1")
def test_it_makes_a_new_version_of_a_ladder(office, personas):
    client = office(personas.dave)
    ladder = Ladder.objects.get(key="business")
    current = ladder.current()
    assert client.get(LADDERS).status_code == 200
    page = client.get(f"{LADDERS}business/")
    assert page.status_code == 200 and 'data-version="1"' in page.content.decode()
    form = page.context["form"]  # the form starts from the current version
    assert form["step_3_kind"].value() == "block" and form["step_3_day"].value() == 28
    assert json.loads(form["cost_rule"].value()) == current.settings["cost_rule"]
    steps = [dict(s) for s in current.steps]
    steps[0]["day"] = 3
    response = client.post(f"{LADDERS}business/", _ladder_post(current, steps=steps, cancel_silence_days="21"))
    assert response.status_code == 302
    new = ladder.current()
    assert new.version == current.version + 1 and new.steps[0]["day"] == 3
    assert new.settings["cancel_silence_days"] == 21 and new.created_by == personas.dave
    assert new.note == "Herinnering eerder"
    page = client.get(f"{LADDERS}business/").content.decode()
    assert f'data-version="{new.version}"' in page and "nieuwe zaken" in page


@pytest.mark.promise("A1")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.__setitem__(1, {**s[1], "day": 5}), "komt vóór stap 1"),  # out of order
        (lambda s: s.__setitem__(1, {**s[1], "day": 7}), "valt op dezelfde dag als stap 1"),  # overlapping
        (lambda s: s.__setitem__(3, {**s[3], "day": 23}), "valt binnen de aankondigingstermijn"),  # block too soon
        (lambda s: s.reverse(), "komt vóór stap 1"),
        (lambda s: (s.pop(0), s.pop(0)), "De eerste stap moet een betalingsherinnering"),
        (lambda s: s.pop(2), "Een blokkade moet worden aangekondigd"),
    ],
)
def test_it_refuses_a_ladder_with_steps_out_of_order_or_overlapping_and_changes_nothing(
    office, personas, change, message
):
    client = office(personas.dave)
    current = Ladder.objects.get(key="business").current()
    steps = [dict(s) for s in current.steps]
    change(steps)
    before = database_snapshot()
    response = client.post(f"{LADDERS}business/", _ladder_post(current, steps=steps))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is niets gewijzigd" in body and message in body, body[body.find("form-errors") :][:600]
    assert_nothing_changed(before)


@pytest.mark.promise("A1")
def test_it_refuses_a_consumer_ladder_without_the_fourteen_day_letter(office, personas):
    client = office(personas.dave)
    current = Ladder.objects.get(key="consumer").current()
    steps = [s for s in current.steps if s["kind"] != "wik_letter"]
    before = database_snapshot()
    response = client.post(f"{LADDERS}consumer/", _ladder_post(current, steps=steps))
    assert "Een consumentenladder moet de veertiendagenbrief (WIK) sturen" in response.content.decode()
    assert_nothing_changed(before)


@pytest.mark.promise("A1")
def test_it_refuses_a_ladder_row_without_a_day_or_a_notice_period_out_of_range(office, personas):
    client = office(personas.dave)
    current = Ladder.objects.get(key="business").current()
    data = _ladder_post(current, block_notice_days="2")
    data["step_1_day"] = ""
    before = database_snapshot()
    body = client.post(f"{LADDERS}business/", data).content.decode()
    assert "Geef de dag na de vervaldatum." in body
    data["step_1_day"] = "14"
    response = client.post(f"{LADDERS}business/", data)
    message = "Aantal dagen tussen de laatste aanmaning en de blokkade moet tussen 5 en 90 liggen"
    assert message in response.content.decode()
    assert response.context["form"].errors["block_notice_days"] == [message]  # at its own field
    assert_nothing_changed(before)


# --- Who may (B2), CSRF, methods, language -------------------------------------------------------


def _urls(cases, bailiff=None):
    return [
        BOARD,
        case_url(cases.alice),
        case_url(cases.bob),
        LADDERS,
        f"{LADDERS}business/",
    ]


@pytest.mark.promise("B2", "X4")
@pytest.mark.parametrize("who", ["carol", "erin", "frank", "gina", "alice", "bob"])
def test_it_refuses_every_other_role_and_changes_nothing(office, personas, cases, bailiff, who):
    client = office(getattr(personas, who))
    before = database_snapshot()
    with clock.as_of(TODAY):
        for url in _urls(cases):
            assert client.get(url).status_code == 403, url
        posts = [
            (f"{case_url(cases.alice)}bezwaren/{cases.contest.pk}/", _contest_form(cases.contest, "upheld", "Ja.")),
            (
                f"{case_url(cases.bob)}goedkeuringen/{cases.approval.pk}/",
                _approval_form(cases.approval, "approve", "Ja.", recipient=bailiff.pk),
            ),
            (f"{LADDERS}business/", _ladder_post(Ladder.objects.get(key="business").current())),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_does_not_link_the_board_for_roles_without_it_and_needs_a_second_factor(client, personas):
    client.force_login(personas.dave, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(BOARD)
    assert response.status_code == 302 and "rows" not in (response.context or {})


@pytest.mark.promise("X4", "B2")
def test_it_refuses_a_post_without_the_csrf_token_and_a_get_on_an_action(personas, cases):
    client = Client(enforce_csrf_checks=True)
    testing.sign_in(client, personas.dave)
    url = f"{case_url(cases.alice)}bezwaren/{cases.contest.pk}/"
    before = database_snapshot()
    with clock.as_of(TODAY):
        assert client.post(url, _contest_form(cases.contest, "upheld", "Ja.")).status_code == 403
        assert client.get(url).status_code == 405
    assert_nothing_changed(before)


@pytest.mark.promise("A5")
def test_it_speaks_english_after_the_language_switch(office, personas, cases):
    client = office(personas.dave)
    client.post("/i18n/setlang/", {"language": "en", "next": BOARD})
    with clock.as_of(TODAY):
        body = client.get(BOARD).content.decode()
        assert "<h1>Dunning</h1>" in body and "Contests to decide" in body and "waits for your approval" in body
        page = client.get(case_url(cases.alice)).content.decode()
    assert "Timeline" in page and "paused: decide the contest" in page and "Contest received: collection paused" in page


@pytest.mark.promise("B2")
def test_it_is_linked_from_the_back_office_for_finance_only(office, personas):
    body = office(personas.dave).get("/backoffice/").content.decode()
    assert 'data-scope="dunning"' in body and 'href="/backoffice/incasso/"' in body
    for who in ("carol", "erin", "frank"):
        assert 'href="/backoffice/incasso/"' not in office(getattr(personas, who)).get("/backoffice/").content.decode()
