"""POST and GET /api/v1/privacy-requests: intake on channel api (G7) with its due dates (G9)."""

import datetime as dt
import json

import pytest

from waarborg.api.models import ApiRequest
from waarborg.api.tests.conftest import TOKEN_USED
from waarborg.audit.models import AuditEvent
from waarborg.core import clock
from waarborg.privacy import intake as privacy_intake
from waarborg.privacy.models import PrivacyRequest
from waarborg.testing.checks import (
    assert_clean_event,
    assert_nothing_changed,
    database_snapshot,
    event_json,
    last_event,
    unchanged,
)

pytestmark = pytest.mark.django_db
D = dt.date

ALICE = {"email": "alice.devries@example.nl", "name": "Alice de Vries", "postcode": "3521 AB"}
PERSONAL = ["alice.devries", "Alice", "de Vries", "3521", "+31612345678", "0612345678"]


def _no_personal_values(text: str, values=PERSONAL):
    low = text.lower()
    for value in values:
        assert value.lower() not in low, "a personal value is in the answer"


@pytest.mark.promise("G7", "G9")
def test_it_registers_a_request_through_the_api_with_its_due_dates(personas, api, issued, mail):
    with clock.as_of(D(2026, 1, 30)):
        response = api.post({"type": "access", "email": "Alice.DeVries@example.nl", "details": "Alles graag."})
    assert response.status_code == 201, response.content
    body = response.json()
    request = PrivacyRequest.objects.get()
    assert set(body) == {"id", "number", "type", "status", "received_at", "promise_due", "legal_due"}
    assert body["id"] == request.pk and body["number"] == request.number and body["type"] == "access"
    assert (body["promise_due"], body["legal_due"]) == ("2026-02-27", "2026-03-02")  # 30 Jan + 1 month: 2 March
    assert dt.datetime.fromisoformat(body["received_at"]) == request.received_at
    assert response["Location"] == f"/api/v1/privacy-requests/{request.pk}"
    assert request.channel == "api" and request.contact == personas.alice_contact
    # With an e-mail address on file the identity check goes out at once, as a one-time link;
    # the answer says only that it was received (what follows would tell who is known).
    assert body["status"] == "received" and request.status == "awaiting_id"
    assert mail.wait_for(1)[0]["To"] == "alice.devries@example.nl"
    assert ApiRequest.objects.get(request=request).token == issued.token
    create = AuditEvent.objects.get(action="privacy.request.create")
    assert create.actor == f"api:{issued.token.prefix}" and create.data["channel"] == "api"
    assert_clean_event(create, action="privacy.request.create", values=PERSONAL)
    _no_personal_values(response.content.decode())


@pytest.mark.promise("G7", "G9")
@pytest.mark.parametrize(
    ("received_at", "promise", "legal"),
    [
        ("2026-01-31", "2026-02-28", "2026-03-02"),  # 28 Feb is a Saturday: the legal date moves on
        ("2026-04-27T23:30:00+02:00", "2026-05-25", "2026-05-27"),  # 27 May; the Amsterdam day counts
        ("2026-04-26T23:30:00Z", "2026-05-25", "2026-05-27"),  # 01:30 on 27 April in Amsterdam
    ],
)
def test_it_counts_from_when_the_request_first_reached_another_channel(personas, api, received_at, promise, legal):
    with clock.as_of(D(2026, 5, 4)):
        response = api.post({"type": "erasure", "customer_number": personas.bob_customer.number, **_bob()})
    assert response.status_code == 201, response.content
    with clock.as_of(D(2026, 5, 4)):
        response = api.post({"type": "access", "received_at": received_at, "phone": "06 12345678"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["promise_due"], body["legal_due"]) == (promise, legal)
    # Without an e-mail address the privacy officer starts the identity check (by letter).
    assert PrivacyRequest.objects.get(pk=body["id"]).status == "received"


def _bob():
    return {"email": "bob@bakkerijjansen.example"}


@pytest.mark.promise("G7")
def test_it_takes_the_fields_of_each_type(personas, api):
    objection = api.post({"type": "objection", "purposes": ["U10"], **ALICE})
    assert objection.status_code == 201, objection.content
    assert PrivacyRequest.objects.get(pk=objection.json()["id"]).purposes == ["U10"]
    rectification = api.post({"type": "rectification", "changes": {"town": "Zeist"}, "email": ALICE["email"]})
    assert rectification.status_code == 201, rectification.content
    proposal = PrivacyRequest.objects.get(pk=rectification.json()["id"]).proposals.get()
    assert (proposal.field, proposal.value) == ("town", "Zeist")
    portability = api.post({"type": "portability", "transmit_to": "Nieuwe Host B.V.", "language": "en", **_bob()})
    assert portability.status_code == 201, portability.content
    assert PrivacyRequest.objects.get(pk=portability.json()["id"]).language == "en"


@pytest.mark.promise("G9", "B4")
def test_it_reads_status_due_dates_and_steps_without_personal_values(personas, api, issued):
    with clock.as_of(D(2026, 1, 30)):
        created = api.post({"type": "access", **ALICE}).json()
    with clock.as_of(D(2026, 3, 3)):
        response = api.get(created["id"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["number"] == created["number"] and body["channel"] == "api" and body["status"] == "awaiting_id"
    assert (body["promise_due"], body["legal_due"], body["due"]) == ("2026-02-27", "2026-03-02", "2026-03-02")
    assert body["extended_due"] is None and body["day"] == 32 and body["days_left"] == -1
    assert body["overdue"] is True and body["late"] is True
    assert [e["event"] for e in body["timeline"]] == ["received", "identity_check_started"]
    _no_personal_values(response.content.decode())
    view = last_event()
    assert view.actor == f"api:{issued.token.prefix}" and view.object_ids == [str(created["id"])]
    assert view.subject_ref == f"customer:{personas.alice_customer.pk}"
    assert_clean_event(view, action="privacy.request.view", values=PERSONAL)


@pytest.mark.promise("B2")
def test_it_lets_a_client_read_only_its_own_requests_with_any_of_its_tokens(personas, api, make_token, as_client):
    created = api.post({"type": "access", **ALICE}).json()
    rotated = as_client(make_token(["privacy-requests:read"], name="website-form").secret)
    assert rotated.get(created["id"]).status_code == 200
    other = as_client(make_token(name="ticket-system").secret)
    staff_made = PrivacyRequest.objects.create(
        number="PV999999",
        type="access",
        channel="email",
        received_at=clock.now(),
        promise_due=clock.today(),
        legal_due=clock.today(),
    )
    before = database_snapshot()
    for client, pk in ((other, created["id"]), (api, staff_made.pk), (api, 10**9)):
        response = client.get(pk)
        assert response.status_code == 404
        assert response.json() == {"detail": "no such privacy request"}
    assert_nothing_changed(before, except_for=TOKEN_USED)


BAD = {
    "no identifier": ({"type": "access", "details": "Wat hebben jullie van mij?"}, "email"),
    "name without postcode": ({"type": "access", "name": "Alice de Vries"}, "email"),
    "malformed e-mail": ({"type": "access", "email": "alice.devries@@example"}, "email"),
    "malformed phone": ({"type": "access", "phone": "12ab"}, "phone"),
    "unknown type": ({"type": "complaint", **ALICE}, "type"),
    "missing type": ({"email": ALICE["email"]}, "type"),
    "unknown field": ({"type": "access", "e_mail": ALICE["email"], **ALICE}, "*"),
    "date in the future": ({"type": "access", "received_at": "2099-01-01", **ALICE}, "received_at"),
    "date too far back": ({"type": "access", "received_at": "2025-05-03", **ALICE}, "received_at"),
    "year one": ({"type": "access", "received_at": "0001-01-01T00:00:00+05:00", **ALICE}, "received_at"),
    "year 9999": ({"type": "access", "received_at": "9999-12-31T23:59:59-05:00", **ALICE}, "received_at"),
    "time without zone": ({"type": "access", "received_at": "2026-01-05T10:00:00", **ALICE}, "received_at"),
    "BSN in details": ({"type": "access", "details": "mijn bsn is 111222333", **ALICE}, "details"),
    "purposes outside an objection": ({"type": "access", "purposes": ["U10"], **ALICE}, "purposes"),
    "unknown purpose": ({"type": "objection", "purposes": ["U99"], **ALICE}, "purposes"),
    "correction of an unknown detail": ({"type": "rectification", "changes": {"iban": "x"}, **ALICE}, "changes"),
    "too long": ({"type": "access", "details": "x" * 4001, **ALICE}, "details"),
}


@pytest.mark.promise("G7")
@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_it_answers_bad_input_with_422_naming_the_field_and_writes_nothing(personas, api, case):
    payload, field = BAD[case]
    before = database_snapshot()
    with clock.as_of(D(2026, 5, 4)):
        response = api.post(payload)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail and all({"loc", "msg", "type"} <= set(item) <= {"loc", "msg", "type", "code"} for item in detail)
    assert any(field in item["loc"] for item in detail), detail
    assert_nothing_changed(before, except_for=TOKEN_USED)
    _no_personal_values(response.content.decode(), ["alice", "vries", "3521", "111222333", "e_mail", "12ab"])


@pytest.mark.parametrize(
    ("payload", "item"),
    [
        (
            {"type": "access", "details": "Wat hebben jullie van mij?"},
            {
                "loc": ["body", "email"],
                "msg": "give an identifier: an e-mail address, a phone number, a customer number, "
                "or a name with a postcode",
                "type": "invalid",
                "code": "api.identifier_missing",
            },
        ),
        (
            {"type": "access", "received_at": "2099-01-01", **ALICE},
            {
                "loc": ["body", "received_at"],
                "msg": "the date received lies in the future",
                "type": "invalid",
                "code": "api.received_in_future",
            },
        ),
        (
            {"type": "access", "email": ALICE["email"], "phone": "+31503123456"},  # Bob's phone
            {
                "loc": ["body"],
                "msg": "the details given do not single out one person we know; the requester can write to "
                "our privacy team, who will answer",
                "type": "unmatched",
                "code": "api.unmatched",
            },
        ),
    ],
    ids=["no identifier", "date in the future", "unmatched"],
)
def test_a_refusal_carries_its_code_beside_the_english_line(personas, api, payload, item):
    before = database_snapshot()
    with clock.as_of(D(2026, 5, 4)):
        response = api.post(payload)
    assert response.status_code == 422
    assert response.json() == {"detail": [item]}
    assert_nothing_changed(before, except_for=TOKEN_USED)


def test_a_refusal_of_the_schema_has_no_code(api):
    with unchanged(except_for=TOKEN_USED):
        response = api.post({"type": "complaint", **ALICE})
    assert response.status_code == 422
    assert response.json()["detail"] and all("code" not in item for item in response.json()["detail"])


def test_it_answers_a_body_that_is_not_json_with_400(api):
    before = database_snapshot()
    response = api.post(None, raw='{"type": "access", "email": "alice.devries@example.nl"')
    assert response.status_code == 400
    assert response.json() == {"detail": "the body is not valid JSON"}
    assert_nothing_changed(before, except_for=TOKEN_USED)


# Whether the privacy app takes in a request about someone nobody knows (and answers that nothing
# is held), or refuses it: the API's answer must not tell a known person from an unknown one.
REGISTERS_UNKNOWN = hasattr(privacy_intake, "privacy_request_answer_no_data")


@pytest.mark.promise("G7", "B2")
def test_it_does_not_tell_whether_the_details_are_of_someone_known(personas, api):
    different_people = {"type": "access", "email": ALICE["email"], "phone": "+31503123456"}  # Bob's phone
    before = database_snapshot()
    ambiguous = api.post(different_people)
    assert ambiguous.status_code == 422 and ambiguous.json()["detail"][0]["type"] == "unmatched"
    assert_nothing_changed(before, except_for=TOKEN_USED)
    unknown = api.post({"type": "access", "email": "nobody@example.org"})
    assert "nobody" not in unknown.content.decode()
    if REGISTERS_UNKNOWN:
        known = api.post({"type": "access", **ALICE})
        assert (unknown.status_code, known.status_code) == (201, 201)
        assert set(unknown.json()) == set(known.json()) and unknown.json()["status"] == known.json()["status"]
    else:
        assert unknown.status_code == 422 and unknown.json() == ambiguous.json()
        assert_nothing_changed(before, except_for=TOKEN_USED)


@pytest.mark.promise("G7")
def test_it_keeps_the_request_when_the_identity_check_cannot_be_mailed(personas, api, settings):
    settings.EMAIL_PORT = 1  # nothing listens there
    response = api.post({"type": "access", **ALICE})
    assert response.status_code == 201
    request = PrivacyRequest.objects.get()
    assert request.status == "received" and not request.links.exists()  # the queue shows it; staff resend


def test_it_never_echoes_what_the_caller_sent_in_any_error(personas, api):
    secret = "geheim.persoon@example.nl"
    before = database_snapshot()
    for payload in (
        {"type": "access", "email": secret.replace("@", "@@")},
        {"type": "access", "email": secret, "phone": "+31503123456", "customer_number": personas.alice_customer.number},
        {"type": "rectification", "email": ALICE["email"], "changes": {secret: "x"}},
        {"type": "access", "email": secret, secret: 1},
    ):
        response = api.post(payload)
        assert response.status_code == 422
        assert "geheim" not in json.dumps(response.json())
    assert_nothing_changed(before, except_for=TOKEN_USED)
    assert "geheim" not in "".join(event_json(e) for e in AuditEvent.objects.all())
