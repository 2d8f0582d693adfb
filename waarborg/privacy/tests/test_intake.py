"""Intake: every channel, the subject found by the finder, deadlines from the first receipt."""

import datetime as dt

import pytest

from waarborg.api.models import SCOPE_READ, SCOPE_WRITE
from waarborg.core import clock
from waarborg.core.actors import SYSTEM, ApiClient
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest, RectificationProposal
from waarborg.privacy.selectors import privacy_request_get_for, privacy_request_list_for
from waarborg.subjects.finder import Query, subject_find, subject_rows_of
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.promise("G7", "G9", "B4")
@pytest.mark.parametrize("channel", ["email", "post", "phone"])
def test_it_registers_a_request_staff_received_with_the_date_received(personas, carol, channel, on):
    with on(D(2026, 2, 10)):
        request = privacy_request_create(
            actor=carol, type="access", channel=channel, received_at=D(2026, 1, 31), email="Alice.DeVries@example.nl"
        )
    assert request.number.startswith("PV") and request.status == PrivacyRequest.Status.RECEIVED
    assert request.received_at.astimezone(clock.AMSTERDAM).date() == D(2026, 1, 31)
    assert (request.promise_due, request.legal_due) == (D(2026, 2, 28), D(2026, 3, 2))
    assert request.contact == personas.alice_contact and request.account == personas.alice
    assert request.email == "alice.devries@example.nl" and request.email_on_file
    assert not request.is_verified
    assert_clean_event(last_event(), action="privacy.request.create", values=["alice.devries", "Alice"])
    assert last_event().subject_ref == f"customer:{personas.alice_customer.pk}"


@pytest.mark.promise("G7", "G8")
def test_it_takes_a_portal_request_as_verified_by_the_session(alice, on):
    with on(D(2026, 3, 2)):
        request = privacy_request_create(
            actor=alice, type="portability", channel="portal", transmit_to="Nieuwe Host B.V."
        )
    assert request.verification_method == "session" and request.is_verified
    assert request.status == PrivacyRequest.Status.IN_PROGRESS
    assert request.promise_due == D(2026, 3, 30) and request.legal_due == D(2026, 4, 2)
    assert request.contact_id == alice.contact_id and request.account == alice
    assert not request.links.exists() and not request.id_documents.exists()
    assert privacy_request_get_for(viewer=alice, pk=request) == request


@pytest.mark.promise("G7")
@pytest.mark.parametrize(("channel", "received"), [("form", None), ("api", None)])
def test_it_dates_a_form_or_api_request_at_the_moment_it_arrived(personas, channel, received, on):
    with on(D(2026, 6, 10)):
        request = privacy_request_create(
            actor=SYSTEM, type="erasure", channel=channel, email="bob@bakkerijjansen.example"
        )
        assert request.received_at == clock.now()
    assert request.contact == personas.bob_contact and request.promise_due == D(2026, 7, 8)


@pytest.mark.promise("G7", "B2")
def test_an_api_client_registers_a_request_only_with_the_scope_to_write(personas):
    writer = ApiClient("0a1b2c3d", {SCOPE_WRITE})
    request = privacy_request_create(actor=writer, type="access", channel="api", email="bob@bakkerijjansen.example")
    assert request.contact == personas.bob_contact and request.created_by is None
    assert last_event().actor == "api:0a1b2c3d"
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        privacy_request_create(
            actor=ApiClient("0a1b2c3e", {SCOPE_READ}), type="erasure", channel="api", email="bob@bakkerijjansen.example"
        )
    assert_nothing_changed(before)


@pytest.mark.promise("G7", "B4")
def test_it_finds_the_subject_by_name_and_postcode_or_customer_number(personas, erin):
    by_name = privacy_request_create(
        actor=erin, type="access", channel="post", received_at=clock.today(), name="alice de vries", postcode="3521ab"
    )
    assert by_name.contact == personas.alice_contact and not by_name.email_on_file
    assert by_name.handler == erin  # a privacy officer registering takes it on
    by_number = privacy_request_create(
        actor=erin,
        type="erasure",
        channel="phone",
        received_at=clock.today(),
        customer_number=personas.alice_customer.number,
    )
    assert by_number.contact == personas.alice_contact


@pytest.mark.promise("G7")
def test_it_finds_a_job_applicant_who_is_no_customer(erin):
    application = f.JobApplicationFactory(email="sollicitant@example.nl")
    request = privacy_request_create(
        actor=erin, type="erasure", channel="email", received_at=clock.today(), email="sollicitant@example.nl"
    )
    assert request.contact is None and request.subject_rows == [f"careers.JobApplication:{application.pk}"]
    assert request.email_on_file


@pytest.mark.promise("G1", "B2")
def test_it_is_found_with_the_subject_and_declared_in_the_map(personas, erin):
    request = privacy_request_create(
        actor=erin, type="access", channel="email", received_at=clock.today(), email="alice.devries@example.nl"
    )
    rows = {(h.model, h.pk) for h in subject_rows_of(personas.alice_contact)}
    assert ("privacy.PrivacyRequest", request.pk) in rows
    # A request found by its e-mail address leads nowhere else: its links do not go up.
    stranger = f.ContactFactory(email="iemand@example.nl")
    other = privacy_request_create(
        actor=erin, type="access", channel="email", received_at=clock.today(), email=stranger.email
    )
    found = {(h.model, h.pk) for h in subject_find(Query(email=stranger.email))}
    assert ("privacy.PrivacyRequest", other.pk) in found and ("customers.Contact", stranger.pk) in found


@pytest.mark.promise("B2")
def test_it_shows_a_customer_only_their_own_requests(personas, alice, bob, erin, carol):
    mine = privacy_request_create(actor=alice, type="access", channel="portal")
    theirs = privacy_request_create(actor=bob, type="access", channel="portal")
    assert list(privacy_request_list_for(viewer=alice)) == [mine]
    assert set(privacy_request_list_for(viewer=erin)) == {mine, theirs}
    with unchanged(), pytest.raises(NotFound):
        privacy_request_get_for(viewer=alice, pk=theirs.pk)
    with unchanged(), pytest.raises(PermissionDenied):
        privacy_request_list_for(viewer=carol)


@pytest.mark.promise("G5")
def test_it_keeps_the_purposes_an_objection_names_and_defaults_to_all_it_can(personas, erin):
    named = privacy_request_create(
        actor=erin,
        type="objection",
        channel="email",
        received_at=clock.today(),
        email="alice.devries@example.nl",
        purposes=["u12", "U10"],
    )
    assert named.purposes == ["U12", "U10"]
    everything = privacy_request_create(
        actor=erin, type="objection", channel="email", received_at=clock.today(), email="bob@bakkerijjansen.example"
    )
    assert {"U8", "U9", "U10", "U12", "U13"} <= set(everything.purposes)
    assert not {"U1", "U3", "U5"} & set(everything.purposes)  # contract and legal obligation: no objection


@pytest.mark.promise("G2")
def test_it_takes_proposed_corrections_with_the_request(personas, alice):
    request = privacy_request_create(
        actor=alice, type="rectification", channel="portal", changes={"phone": "06 2345 6789", "town": "Zeist"}
    )
    proposals = {p.field: p.value for p in RectificationProposal.objects.filter(request=request)}
    assert proposals == {"phone": "+31623456789", "town": "Zeist"}


# --- Bad input: clear errors, nothing written ------------------------------------------------


@pytest.mark.promise("G7", "G8")
@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({}, ValidationError, "email"),  # no identifier at all
        ({"name": "Alice de Vries"}, ValidationError, "email"),  # a name alone identifies no one
        ({"email": "niet-een-adres"}, ValidationError, "email"),
        ({"email": "alice.devries@example.nl", "phone": "+31503123456"}, ValidationError, "email"),  # two people
        ({"email": "alice.devries@example.nl", "details": "Mijn BSN is 123456782."}, ValidationError, "details"),
        ({"email": "alice.devries@example.nl", "details": "bsn 1234.56.782"}, ValidationError, "details"),
        ({"email": "alice.devries@example.nl", "received_at": D(2099, 1, 1)}, ValidationError, "received_at"),
        ({"email": "alice.devries@example.nl", "received_at": None}, ValidationError, "received_at"),
        ({"email": "alice.devries@example.nl", "type": "complaint"}, ValidationError, "type"),
        ({"email": "alice.devries@example.nl", "channel": "portal"}, ValidationError, "channel"),
        ({"email": "alice.devries@example.nl", "purposes": ["U10"]}, ValidationError, "purposes"),
        ({"email": "alice.devries@example.nl", "type": "objection", "purposes": ["U3"]}, ValidationError, "purposes"),
        ({"email": "alice.devries@example.nl", "changes": {"email": "x@example.nl"}}, ValidationError, "changes"),
        (
            {"email": "alice.devries@example.nl", "type": "rectification", "changes": {"role": "billing"}},
            ValidationError,
            "field",
        ),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(personas, carol, kwargs, error, field):
    base = {"type": "access", "channel": "email", "received_at": clock.today()}
    before = database_snapshot()
    with pytest.raises(error) as refused:
        privacy_request_create(actor=carol, **(base | kwargs))
    if field:
        assert refused.value.field == field
    assert "alice" not in str(refused.value).lower() and "123456782" not in str(refused.value)
    assert_nothing_changed(before)


@pytest.mark.promise("G7")
def test_it_refuses_a_customer_number_of_an_organisation_with_several_people(personas, carol):
    f.ContactFactory(customer=personas.bob_customer, email="collega@bakkerijjansen.example")
    before = database_snapshot()
    with pytest.raises(ValidationError, match="more than one person"):
        privacy_request_create(
            actor=carol,
            type="access",
            channel="post",
            received_at=clock.today(),
            customer_number=personas.bob_customer.number,
        )
    assert_nothing_changed(before)
    request = privacy_request_create(
        actor=carol,
        type="access",
        channel="post",
        received_at=clock.today(),
        customer_number=personas.bob_customer.number,
        email="bob@bakkerijjansen.example",
    )
    assert request.contact == personas.bob_contact


@pytest.mark.promise("B2")
@pytest.mark.parametrize("who", ["dave", "frank"])
def test_it_lets_neither_finance_nor_administrators_register_requests(personas, who):
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        privacy_request_create(
            actor=getattr(personas, who),
            type="access",
            channel="email",
            received_at=clock.today(),
            email="alice.devries@example.nl",
        )
    assert_nothing_changed(before)
