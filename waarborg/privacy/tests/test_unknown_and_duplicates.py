"""A request about no one we know is registered and answered; an open request is not made twice."""

import datetime as dt

import pytest

from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.privacy.answers import privacy_request_refuse
from waarborg.privacy.handling import SUBJECT
from waarborg.privacy.identity import privacy_request_start_verification
from waarborg.privacy.intake import privacy_request_answer_no_data, privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db
D = dt.date
ALICE = "alice.devries@example.nl"


def _staff(actor, **kwargs):
    base = {"type": "access", "channel": "email", "received_at": clock.today()}
    return privacy_request_create(actor=actor, **(base | kwargs))


# --- Unknown subjects (G1, G7) ----------------------------------------------------------------


@pytest.mark.promise("G1", "G7")
@pytest.mark.parametrize("type_", ["access", "portability", "erasure", "objection", "withdrawal", "restriction"])
def test_it_registers_and_answers_a_request_about_no_one_we_know(personas, carol, mail, type_):
    request = _staff(carol, type=type_, email="Niemand@example.nl", phone="06 1987 6543")
    assert request.pk and request.subject_rows == [] and request.contact is None and request.account is None
    assert request.status == PrivacyRequest.Status.COMPLETED and request.closed_at is not None
    assert request.answered_by == "email" and not request.is_verified
    (message,) = mail.wait_for(1)
    assert message["To"] == "niemand@example.nl"
    body = mail.body(message)
    assert "geen persoonsgegevens" in body and request.number in body
    assert "e-mailadres, telefoonnummer" in body  # the kinds given, never their values
    assert "19876" not in body and "niemand@" not in body
    assert_clean_event(last_event(), action="privacy.request.answer_no_data", values=["niemand", "19876543"])


@pytest.mark.promise("G1", "G7")
def test_the_answer_reveals_nothing_about_anyone_else(personas, carol, mail):
    # Alice's name with a postcode that is not hers, and an address nobody has: no one is found.
    request = _staff(carol, email="vreemde@example.nl", name="Alice de Vries", postcode="9999 ZZ", language="en")
    assert request.status == PrivacyRequest.Status.COMPLETED
    body = mail.body(mail.wait_for(1)[0])
    assert "we hold no personal data" in body and "e-mail address, name, postcode" in body
    for value in ("Alice", "Vries", ALICE, "3521", "Utrecht", personas.alice_customer.number):
        assert value not in body


@pytest.mark.promise("G1", "G7")
def test_a_request_about_no_one_by_post_is_answered_by_letter(personas, carol, erin, mail):
    request = _staff(carol, type="erasure", channel="post", name="Niemand Bekend", postcode="9999 ZZ")
    assert request.status == PrivacyRequest.Status.RECEIVED and request.subject_rows == []
    with unchanged(), pytest.raises(ValidationError, match="no identity check"):
        privacy_request_start_verification(actor=erin, request=request)
    notice = privacy_request_answer_no_data(actor=erin, request=request)
    assert not notice.emailed and "geen persoonsgegevens" in notice.body and "Niemand" not in notice.body
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.COMPLETED and request.answered_by == "post"
    assert mail.settle() == []


@pytest.mark.promise("G1", "G7")
def test_a_request_about_no_one_stays_registered_when_the_mail_server_is_down(personas, carol, erin, settings, mail):
    settings.EMAIL_PORT = 9  # nothing listens there
    request = _staff(carol, email="niemand@example.nl")
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.RECEIVED and request.subject_rows == []
    settings.EMAIL_PORT = mail.port
    notice = privacy_request_answer_no_data(actor=erin, request=request)
    assert notice.emailed and mail.wait_for(1)[0]["To"] == "niemand@example.nl"
    with unchanged(), pytest.raises(ValidationError, match="closed"):
        privacy_request_answer_no_data(actor=erin, request=request)


@pytest.mark.promise("G7")
def test_a_request_about_someone_we_know_is_not_answered_as_unknown(personas, carol, erin, mail):
    request = _staff(carol, email=ALICE)
    before = database_snapshot()
    with pytest.raises(ValidationError, match="someone we know"):
        privacy_request_answer_no_data(actor=erin, request=request)
    assert_nothing_changed(before)
    assert mail.settle() == []


@pytest.mark.promise("G7")
def test_identifiers_of_different_people_are_still_refused(personas, carol):
    before = database_snapshot()
    with pytest.raises(ValidationError, match="different people"):
        _staff(carol, email=ALICE, phone="+31503123456")
    assert_nothing_changed(before)


# --- Duplicates (G7) --------------------------------------------------------------------------


@pytest.mark.promise("G7")
def test_it_does_not_register_an_open_request_twice_and_names_the_open_one(personas, carol, erin, mail):
    first = _staff(carol, email=ALICE)
    before = database_snapshot()
    with pytest.raises(ValidationError, match=first.number) as refused:
        _staff(carol, email=ALICE, channel="phone")
    assert refused.value.field == "type" and "alice" not in str(refused.value).lower()
    # The same person by another identifier is the same subject rows.
    with pytest.raises(ValidationError, match=first.number):
        _staff(carol, phone=personas.alice_contact.phone or "+31612345678", email=ALICE)
    assert_nothing_changed(before)
    # Another type is another request; a closed one is no obstacle.
    assert _staff(carol, type="erasure", email=ALICE).pk
    privacy_request_refuse(actor=erin, request=first, reason="Op verzoek ingetrokken.", by_post=True)
    assert _staff(carol, email=ALICE).pk


@pytest.mark.promise("G7", "B2")
def test_a_customer_is_told_the_number_of_their_own_open_request(personas, alice):
    mine = privacy_request_create(actor=alice, type="portability", channel="portal")
    before = database_snapshot()
    with pytest.raises(ValidationError, match=mine.number):
        privacy_request_create(actor=alice, type="portability", channel="portal")
    assert_nothing_changed(before)


@pytest.mark.promise("G7", "B2")
def test_a_requester_who_is_not_signed_in_is_not_told_about_an_open_request(personas, carol):
    first = _staff(carol, email=ALICE)
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        privacy_request_create(actor=SUBJECT, type="access", channel="form", email=ALICE)
    assert first.number not in str(refused.value) and refused.value.field == "email"
    assert_nothing_changed(before)


@pytest.mark.promise("G7")
def test_an_open_request_about_no_one_is_not_registered_twice_either(personas, carol):
    first = _staff(carol, channel="post", name="Niemand Bekend", postcode="9999 ZZ")
    before = database_snapshot()
    with pytest.raises(ValidationError, match=first.number):
        _staff(carol, channel="post", name="niemand bekend", postcode="9999zz")
    assert_nothing_changed(before)
