"""The back office's privacy requests: the queue and its filters, registering, who may do what,
the timeline, the month overview (G7, G9, B2, B4)."""

import datetime as dt
import re

import pytest
from django.test import Client

from waarborg.audit.models import AuditEvent
from waarborg.auth_web import testing
from waarborg.core import clock
from waarborg.privacy.answers import privacy_request_complete, privacy_request_extend, privacy_request_refuse
from waarborg.privacy.deadline_warnings import deadline_warnings_send
from waarborg.privacy.identity import privacy_request_start_verification
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import DeadlineWarning, PrivacyRequest
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db
D = dt.date
QUEUE = "/backoffice/verzoeken/"
REGISTER = "/backoffice/verzoeken/registreren/"
OVERVIEW = "/backoffice/verzoeken/maandoverzicht/"
PRIVACY_MODELS = ("privacy.PrivacyRequest", "privacy.VerificationLink", "privacy.IdDocument")


def _numbers(response) -> list[str]:
    return [item["row"].request.number for item in response.context["rows"]]


@pytest.fixture(autouse=True)
def mail(smtp_server):
    return smtp_server


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"


@pytest.fixture
def requests(personas, alice, bob, erin):
    """Three requests in March 2026: alice's access (portal), bob's erasure by post, alice's objection."""
    with clock.as_of(D(2026, 3, 2)):
        access = privacy_request_create(actor=alice, type="access", channel="portal")
    with clock.as_of(D(2026, 3, 20)):
        erasure = privacy_request_create(
            actor=erin, type="erasure", channel="post", received_at=D(2026, 3, 18), email="bob@bakkerijjansen.example"
        )
        objection = privacy_request_create(actor=alice, type="objection", channel="portal", purposes=["U10"])
    return {"access": access, "erasure": erasure, "objection": objection}


# --- Who may do what (B2) -------------------------------------------------------------------


@pytest.mark.promise("B2")
def test_it_links_the_section_for_support_and_privacy(office, personas):
    for who in ("carol", "erin"):
        body = office(getattr(personas, who)).get("/backoffice/").content.decode()
        assert 'data-scope="requests"' in body and f'href="{QUEUE}"' in body
    body = office(personas.dave).get("/backoffice/").content.decode()
    assert 'data-scope="requests"' not in body


@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["dave", "frank"])
def test_it_refuses_roles_without_the_scope(office, personas, requests, who):
    client = office(getattr(personas, who))
    with unchanged():
        for url in (QUEUE, REGISTER, OVERVIEW, f"{QUEUE}{requests['access'].pk}/"):
            assert client.get(url).status_code == 403, url
        assert client.post(f"{QUEUE}{requests['access'].pk}/toewijzen/").status_code == 403


@pytest.mark.promise("B2")
def test_it_refuses_a_customer(client, personas, requests):
    testing.sign_in(client, personas.alice)
    with unchanged():
        assert client.get(QUEUE).status_code == 403
        assert client.get(f"{QUEUE}{requests['access'].pk}/").status_code == 403


@pytest.mark.promise("B2", "G7")
def test_it_lets_support_register_but_not_read_or_handle(office, personas, requests):
    client = office(personas.carol)
    page = client.get(QUEUE)
    assert page.status_code == 200 and "rows" not in page.context
    body = page.content.decode()
    assert f'href="{REGISTER}"' in body and requests["access"].number not in body
    pk = requests["access"].pk
    before = database_snapshot()
    assert client.get(f"{QUEUE}{pk}/").status_code == 403
    assert client.get(OVERVIEW).status_code == 403
    for action in ("toewijzen", "identiteitscontrole", "verlengen", "weigeren", "afronden"):
        assert (
            client.post(f"{QUEUE}{pk}/{action}/", {"verlengen-reason": "x", "weigeren-reason": "x"}).status_code == 403
        )
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_needs_a_second_factor(client, personas, requests):
    client.force_login(personas.erin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(QUEUE)
    assert response.status_code == 302 and "rows" not in (response.context or {})


# --- The queue (G9) -----------------------------------------------------------------------------


@pytest.mark.promise("G9")
def test_it_shows_due_dates_in_the_queue_and_flags_the_overdue(office, personas, requests):
    client = office(personas.erin)
    with clock.as_of(D(2026, 3, 31)):
        response = client.get(QUEUE)
    assert _numbers(response) == [requests["access"].number, requests["erasure"].number, requests["objection"].number]
    body = response.content.decode()
    access = re.search(rf'<tr data-number="{requests["access"].number}"[^>]*>.*?</tr>', body, re.S).group(0)
    assert 'data-overdue="true"' in access and "Te laat" in access  # received 2 March: promised 30 March
    assert 'data-due="2026-03-30"' in access and "dag 29" in access
    erasure = re.search(rf'<tr data-number="{requests["erasure"].number}"[^>]*>.*?</tr>', body, re.S).group(0)
    assert 'data-overdue="true"' not in erasure and 'data-due="2026-04-15"' in erasure  # received 18 March
    assert '<td class="num">15</td>' in erasure  # days left


@pytest.mark.promise("G9")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=erasure", ["erasure"]),
        ("type=objection", ["objection"]),
        ("due=overdue", ["access"]),
        ("due=soon", []),
        ("handler=me", ["erasure"]),
        ("handler=none", ["access", "objection"]),
        ("status=completed", []),
    ],
)
def test_it_filters_the_queue_by_type_status_due_and_handler(office, personas, requests, query, expected):
    client = office(personas.erin)
    with clock.as_of(D(2026, 3, 31)):
        response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    assert _numbers(response) == [requests[name].number for name in expected]


@pytest.mark.promise("G9")
def test_it_shows_closed_requests_when_asked(office, personas, requests, erin, mail):
    with clock.as_of(D(2026, 3, 10)):
        privacy_request_complete(actor=erin, request=requests["access"])
    client = office(personas.erin)
    with clock.as_of(D(2026, 3, 31)):
        assert requests["access"].number not in _numbers(client.get(QUEUE))
        assert _numbers(client.get(f"{QUEUE}?status=completed")) == [requests["access"].number]
        assert requests["access"].number in _numbers(client.get(f"{QUEUE}?status=all"))
        assert client.get(f"{QUEUE}?status=nonsense").status_code == 200  # a wrong filter: the open queue


@pytest.mark.promise("G9", "X5")
def test_it_counts_an_extended_request_to_its_extended_date(office, personas, requests, erin, mail):
    with clock.as_of(D(2026, 3, 25)):
        privacy_request_extend(actor=erin, request=requests["access"], reason="Veel gegevens uit oude systemen.")
    client = office(personas.erin)
    with clock.as_of(D(2026, 4, 10)):
        response = client.get(f"{QUEUE}?due=overdue")
    assert requests["access"].number not in _numbers(response)


# --- Registering (G7, G9) -----------------------------------------------------------------------


@pytest.mark.promise("G7", "G9", "B4")
@pytest.mark.parametrize("who", ["carol", "erin"])
def test_it_registers_a_request_with_the_date_received(office, personas, mail, who):
    client = office(getattr(personas, who))
    with clock.as_of(D(2026, 2, 10)):
        response = client.post(
            REGISTER,
            {
                "type": "access",
                "channel": "email",
                "received": "2026-01-31",
                "language": "nl",
                "email": "Alice.DeVries@example.nl",
                "details": "Graag een overzicht.",
                "start_check": "on",
            },
        )
    assert response.status_code == 200
    made = PrivacyRequest.objects.get()
    assert (made.promise_due, made.legal_due) == (D(2026, 2, 28), D(2026, 3, 2))
    assert made.status == "awaiting_id" and made.contact == personas.alice_contact
    body = response.content.decode()
    assert made.number in body and "28 februari 2026" in body and 'data-verification="emailed"' in body
    assert "/privacyverzoek/" not in body  # the link went by e-mail: never shown
    [message] = mail.wait_for(1)
    assert message["To"] == "alice.devries@example.nl"
    assert (made.handler == personas.erin) is (who == "erin")


@pytest.mark.promise("G7", "G8")
def test_it_shows_the_link_for_a_letter_once_for_a_request_without_e_mail(office, personas, mail):
    client = office(personas.carol)
    response = client.post(
        REGISTER,
        {
            "type": "erasure",
            "channel": "post",
            "received": clock.today().isoformat(),
            "language": "nl",
            "name": "Alice de Vries",
            "postcode": "3521 AB",
            "start_check": "on",
        },
    )
    body = response.content.decode()
    assert 'data-verification="letter"' in body and "/privacyverzoek/identiteit/" in body
    assert mail.settle() == []
    assert PrivacyRequest.objects.get().status == "awaiting_id"


@pytest.mark.promise("G7", "G9")
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"received": "2099-01-01"}, "received"),
        ({"received": ""}, "received"),
        ({"channel": "portal"}, "channel"),
        ({"type": ""}, "type"),
        ({"email": "geen-adres"}, "email"),
        ({"email": "", "name": ""}, "__all__"),
        ({"details": "Mijn BSN is 111222333"}, "details"),
        ({"customer_number": "K123"}, "customer_number"),
    ],
)
def test_it_refuses_a_registration_and_stores_nothing(office, personas, mail, data, field):
    client = office(personas.carol)
    base = {
        "type": "access",
        "channel": "phone",
        "received": clock.today().isoformat(),
        "language": "nl",
        "email": "alice.devries@example.nl",
        "start_check": "on",
    }
    before = database_snapshot()
    response = client.post(REGISTER, base | data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Er is niets geregistreerd." in response.content.decode()
    assert_nothing_changed(before)
    assert mail.settle() == []


@pytest.mark.promise("G7", "G8")
def test_it_sends_no_identity_check_for_someone_unknown(office, personas, mail):
    client = office(personas.carol)
    response = client.post(
        REGISTER,
        {
            "type": "access",
            "channel": "email",
            "received": clock.today().isoformat(),
            "language": "nl",
            "email": "onbekend@example.nl",
            "start_check": "on",
        },
    )
    assert response.status_code == 200
    assert "/privacyverzoek/" not in response.content.decode()
    assert not any("/privacyverzoek/" in mail.body(m) for m in mail.settle())
    assert all(not r.subject_rows for r in PrivacyRequest.objects.all())


# --- One request: its page and its timeline -------------------------------------------------------


@pytest.mark.promise("G9", "B4")
def test_it_shows_the_timeline_and_records_every_opening(office, personas, erin, carol, mail):
    with clock.as_of(D(2026, 3, 2)):
        made = privacy_request_create(
            actor=carol, type="access", channel="phone", received_at=D(2026, 3, 2), email="alice.devries@example.nl"
        )
        privacy_request_start_verification(actor=carol, request=made)
    with clock.as_of(D(2026, 3, 16)):
        deadline_warnings_send(day=clock.today())
    assert DeadlineWarning.objects.filter(request=made).exists()
    client = office(personas.erin)
    with clock.as_of(D(2026, 3, 17)):
        response = client.get(f"{QUEUE}{made.pk}/")
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert [entry.kind for entry in timeline] == ["event", "event", "warning"]
    body = response.content.decode()
    section = re.search(r'<section aria-labelledby="h-timeline".*?</section>', body, re.S).group(0)
    for words in ("Verzoek geregistreerd", "Carol", "Identiteitscontrole verstuurd", "Termijnwaarschuwing", "Dag 14"):
        assert words in section, words
    assert "interne telling staat stil" in body and 'data-due="2026-03-30"' in body
    assert_clean_event(last_event(), action="privacy.request.view", values=["alice"])
    assert last_event().actor == f"account:{erin.pk}" and last_event().purpose == "U14"
    with unchanged():
        assert client.head(f"{QUEUE}{made.pk}/").status_code == 405


@pytest.mark.promise("B2")
def test_it_answers_404_for_an_unknown_request(office, personas):
    client = office(personas.erin)
    with unchanged():
        assert client.get(f"{QUEUE}999999/").status_code == 404
        assert client.post(f"{QUEUE}999999/toewijzen/").status_code == 404


@pytest.mark.promise("G9")
def test_it_lets_the_privacy_officer_take_a_request_on(office, personas, requests, erin):
    client = office(personas.erin)
    response = client.post(f"{QUEUE}{requests['access'].pk}/toewijzen/")
    assert response.status_code == 302
    requests["access"].refresh_from_db()
    assert requests["access"].handler == erin
    assert_clean_event(last_event(), action="privacy.request.assign")


@pytest.mark.promise("B1")
def test_it_refuses_an_action_without_the_csrf_token(personas, requests):
    client = Client(enforce_csrf_checks=True)
    testing.sign_in(client, personas.erin)
    before = database_snapshot()
    response = client.post(f"{QUEUE}{requests['access'].pk}/toewijzen/")
    assert response.status_code == 403
    response = client.post(
        REGISTER, {"type": "access", "channel": "phone", "received": "2026-01-01", "email": "x@y.nl"}
    )
    assert response.status_code == 403
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_answers_an_action_only_on_post(office, personas, requests):
    client = office(personas.erin)
    with unchanged():
        assert client.get(f"{QUEUE}{requests['access'].pk}/toewijzen/").status_code == 405
        assert client.post(f"{QUEUE}{requests['access'].pk}/onbekend/").status_code == 404


# --- The month ---------------------------------------------------------------------------------


@pytest.mark.promise("G9", "G10", "X5")
def test_it_counts_the_month_per_type(office, personas, requests, alice, erin, mail):
    with clock.as_of(D(2026, 3, 25)):
        privacy_request_complete(actor=erin, request=requests["objection"])
        privacy_request_extend(actor=erin, request=requests["erasure"], reason="Gegevens in het archief.")
    with clock.as_of(D(2026, 4, 2)):
        privacy_request_complete(actor=erin, request=requests["access"])  # after its promised date (30 March)
        late = privacy_request_create(actor=alice, type="access", channel="portal")
        privacy_request_refuse(
            actor=erin,
            request=late,
            reason="U vroeg dit twee keer binnen een maand.",
            ground="excessive",
            justification="Herhaald verzoek.",
            earlier_requests=[requests["access"]],
        )
    client = office(personas.erin)
    with clock.as_of(D(2026, 4, 10)):
        march = client.get(f"{OVERVIEW}?maand=2026-03").context["report"]
        april = client.get(OVERVIEW).context["report"]
    zero = dict.fromkeys(("received", "answered", "refused", "within_promise", "within_legal", "paused"), 0)
    assert march.totals == zero | {
        "received": 3,
        "answered": 1,
        "within_promise": 1,
        "within_legal": 1,
        "overdue": 1,
        "extended": 1,
    }
    per_type = {t: counts for t, counts, _ in march.per_type}
    assert per_type["access"]["overdue"] == 1 and per_type["objection"]["within_promise"] == 1
    assert per_type["erasure"]["extended"] == 1
    # April: the access request answered on 2 April (promised 30 March, legally due 2 April) and
    # the refusal of the same day: 1 of 2 within the promise, 2 of 2 within the legal term.
    assert april.totals == zero | {
        "received": 1,
        "answered": 2,
        "refused": 1,
        "within_promise": 1,
        "within_legal": 2,
        "overdue": 1,
        "extended": 0,
    }
    assert {t: counts for t, counts, _ in april.per_type}["access"]["refused"] == 1
    response = client.get(f"{OVERVIEW}?maand=2026-13")
    assert response.status_code == 200 and "maand" in response.context["form"].errors


@pytest.mark.promise("B2")
def test_it_records_openings_without_personal_values(office, personas, requests):
    client = office(personas.erin)
    client.get(f"{QUEUE}{requests['erasure'].pk}/")
    event = AuditEvent.objects.filter(action="privacy.request.view").get()
    assert_clean_event(event, action="privacy.request.view", values=["bob", "bakkerij"])
    f.RecipientFactory(key="x", name="X B.V.", data_categories=["D3"])  # (unrelated rows do not show)
    assert "X B.V." not in client.get(f"{QUEUE}{requests['erasure'].pk}/").content.decode()
