"""Objection, withdrawal, restriction, rectification and erasure; recipients told (G2–G6, X2, X3)."""

import pytest

from waarborg.consents.selectors import consent_is_given
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.customers.models import ContactHistory
from waarborg.privacy.answers import privacy_request_complete
from waarborg.privacy.erasure_plan import erasure_plan_executed, erasure_plan_review, erasure_plan_submit
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest, ProcessingStop, RecipientNotice, RectificationProposal
from waarborg.privacy.processing_limits import processing_stop_lift, restriction_apply, restriction_lift
from waarborg.privacy.recipient_notices import recipient_notice_done, recipient_notice_waive
from waarborg.privacy.rectification import (
    rectification_proposal_add,
    rectification_proposal_approve,
    rectification_proposal_reject,
)
from waarborg.privacy.selectors import is_restricted, processing_allowed, stopped_purposes
from waarborg.testing import factories as f
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event, unchanged

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipients(db):
    return {
        "datacenter": f.RecipientFactory(
            key="datacenter", name="Rekencentrum Noord B.V.", data_categories=["D1", "D2", "D3"]
        ),
        "registry": f.RecipientFactory(
            key="registry", name="Registrar B.V.", category="registry", data_categories=["D2", "D3", "D4"]
        ),
        "bank": f.RecipientFactory(key="bank", name="Bank N.V.", category="payment_provider", data_categories=["D7"]),
    }


# --- Objection and withdrawal (G4, G5) --------------------------------------------------------


@pytest.mark.promise("G5", "B4")
def test_it_stops_the_purposes_an_objection_names_for_that_subject(personas, alice, bob, erin, mail):
    request = privacy_request_create(actor=alice, type="objection", channel="portal", purposes=["U12", "U10"])
    assert processing_allowed(alice, "U12") and processing_allowed(personas.alice_contact, "U10")
    notice = privacy_request_complete(
        actor=erin,
        request=request,
        keep_purposes={"U12": "Wij moeten inlogpogingen blijven controleren om uw account te beschermen."},
    )
    assert not processing_allowed(alice, "U10")
    assert not processing_allowed(personas.alice_contact, "U10")
    assert not processing_allowed(personas.alice_customer, "U10")  # a private customer is the person
    assert processing_allowed(alice, "U12")  # kept, with compelling grounds
    assert processing_allowed(alice, "U1") and processing_allowed(bob, "U10")  # others untouched
    assert stopped_purposes(alice) == {"U10": {"consent"}}
    assert processing_allowed(alice, "U10", basis="contract")  # only consent/legitimate interest stop
    body = mail.body(mail.wait_for(1)[0])
    assert "U10" in body and "dwingende gerechtvaardigde gronden" in body and "inlogpogingen" in body
    assert notice.emailed and request.status == PrivacyRequest.Status.COMPLETED
    assert_clean_event(last_event(), action="privacy.request.complete", values=["inlogpogingen", "alice"])
    assert last_event().data["stopped"] == ["U10"] and last_event().data["kept"] == ["U12"]


@pytest.mark.promise("G5")
def test_it_stops_everything_objectable_for_a_subject_who_objects_to_all(alice, erin, mail):
    request = privacy_request_create(actor=alice, type="objection", channel="portal")
    privacy_request_complete(actor=erin, request=request)
    for purpose in ("U8", "U9", "U10", "U12", "U13"):
        assert not processing_allowed(alice, purpose), purpose
    for purpose in ("U1", "U3", "U4", "U5"):
        assert processing_allowed(alice, purpose), purpose
    stop = ProcessingStop.objects.filter(purpose="U12", account=alice).get()
    processing_stop_lift(actor=erin, stop=stop)
    assert not processing_allowed(alice, "U12")  # the contact person's own stop still holds


@pytest.mark.promise("G4", "C1")
def test_it_withdraws_consent_and_stops_the_purposes_resting_on_it(personas, alice, erin, mail):
    f.ConsentRecordFactory(account=alice, kind="cookies_analytics")
    f.ConsentRecordFactory(account=alice, kind="marketing_email")
    request = privacy_request_create(
        actor=SYSTEM,
        type="withdrawal",
        channel="form",
        email="alice.devries@example.nl",
        consent_kinds=["cookies_analytics"],
    )
    request.verified_at = clock.now()  # (verified by the e-mail link; see test_identity)
    request.status = PrivacyRequest.Status.IN_PROGRESS
    request.save()
    privacy_request_complete(actor=erin, request=request)
    assert not consent_is_given(kind="cookies_analytics", account=alice)
    assert consent_is_given(kind="marketing_email", account=alice)
    assert not processing_allowed(alice, "U8") and not processing_allowed(alice, "U9")
    assert processing_allowed(alice, "U10") and processing_allowed(alice, "U8", basis="legal_obligation")
    body = mail.body(mail.wait_for(1)[0])
    assert "Analytische cookies" in body and "blijft rechtmatig" in body


# --- Restriction (X2) and recipient notices (X3) ----------------------------------------------


@pytest.mark.promise("X2", "X3", "B4")
def test_it_restricts_the_subjects_data_and_closes_only_after_every_recipient_is_told(
    personas, alice, bob, erin, mail, recipients
):
    request = privacy_request_create(
        actor=alice, type="restriction", channel="portal", details="Mijn adres klopt niet."
    )
    with unchanged(), pytest.raises(ValidationError, match="apply the restriction first"):
        privacy_request_complete(actor=erin, request=request)
    restriction_apply(actor=erin, request=request)
    assert is_restricted(alice) and is_restricted(personas.alice_contact) and is_restricted(personas.alice_customer)
    assert is_restricted(alice, category="D2") and not is_restricted(bob)
    assert not processing_allowed(alice, "U6") and not processing_allowed(alice, "U1")  # only stored
    assert processing_allowed(alice, "U15") and processing_allowed(bob, "U6")
    notices = {n.recipient.key: n for n in RecipientNotice.objects.filter(request=request)}
    assert set(notices) == {"datacenter", "registry"}  # alice has no payment data (D7): not the bank
    assert notices["registry"].categories == ["D2", "D3", "D4"]
    with unchanged(), pytest.raises(ValidationError, match="2 recipient notice"):
        privacy_request_complete(actor=erin, request=request)
    assert request.status == PrivacyRequest.Status.IN_PROGRESS
    recipient_notice_done(actor=erin, notice=notices["datacenter"], note="Gemeld via het portaal van de verwerker.")
    with unchanged(), pytest.raises(ValidationError, match="reason is required"):
        recipient_notice_waive(actor=erin, notice=notices["registry"], reason="")
    recipient_notice_waive(
        actor=erin,
        notice=notices["registry"],
        reason="De registrar ontvangt deze gegevens niet meer sinds de verhuizing.",
    )
    privacy_request_complete(actor=erin, request=request)
    body = mail.body(mail.wait_for(1)[0])
    assert "Rekencentrum Noord B.V." in body and "Registrar B.V." not in body
    assert "Voordat wij de beperking opheffen" in body
    lift = restriction_lift(actor=erin, request=request, reason="U hebt uw nieuwe adres doorgegeven en het klopt nu.")
    assert lift.emailed and not is_restricted(alice) and processing_allowed(alice, "U6")
    assert "artikel 18, lid 3" in mail.body(mail.wait_for(2)[1])


@pytest.mark.promise("X3", "B2")
def test_it_lets_only_the_privacy_officer_close_notices(personas, alice, carol, erin, recipients):
    request = privacy_request_create(actor=alice, type="restriction", channel="portal")
    restriction_apply(actor=erin, request=request)
    notice = RecipientNotice.objects.filter(request=request).first()
    before = database_snapshot()
    for actor in (alice, carol):
        with pytest.raises(PermissionDenied):
            recipient_notice_done(actor=actor, notice=notice)
    assert_nothing_changed(before)


# --- Rectification (G2) -----------------------------------------------------------------------


@pytest.mark.promise("G2", "X3", "B4")
def test_it_applies_an_approved_correction_and_tells_the_recipients_of_that_data(
    personas, alice, erin, mail, recipients
):
    request = privacy_request_create(
        actor=alice, type="rectification", channel="portal", changes={"phone": "06 2345 6789"}
    )
    wrong_town = rectification_proposal_add(actor=alice, request=request, field="town", value="Atlantis")
    phone = RectificationProposal.objects.get(request=request, field="phone")
    with unchanged(), pytest.raises(PermissionDenied):
        rectification_proposal_approve(actor=alice, proposal=phone)
    rectification_proposal_approve(actor=erin, proposal=phone)
    contact = personas.alice_contact
    contact.refresh_from_db()
    assert contact.phone == "+31623456789"
    assert ContactHistory.objects.get(contact=contact, field="phone").old_value == "+31612345678"
    phone.refresh_from_db()
    assert phone.status == "approved" and phone.value == ""  # the contact person holds the value now
    [notice] = RecipientNotice.objects.filter(request=request)
    assert notice.recipient.key == "registry" and notice.categories == ["D4"] and notice.cause == "rectification"
    with unchanged(), pytest.raises(ValidationError, match="decide every proposed correction"):
        privacy_request_complete(actor=erin, request=request)
    with unchanged(), pytest.raises(ValidationError, match="reason is required"):
        rectification_proposal_reject(actor=erin, proposal=wrong_town, reason=" ")
    rectification_proposal_reject(actor=erin, proposal=wrong_town, reason="Deze plaats bestaat niet in Nederland.")
    with unchanged(), pytest.raises(ValidationError, match="recipient notice"):
        privacy_request_complete(actor=erin, request=request)
    recipient_notice_done(actor=erin, notice=notice)
    privacy_request_complete(actor=erin, request=request)
    body = mail.body(mail.wait_for(1)[0])
    assert "telefoonnummer" in body and "Deze plaats bestaat niet" in body and "Registrar B.V." in body
    assert_clean_event(last_event(), action="privacy.request.complete", values=["23456789", "Atlantis"])


@pytest.mark.promise("G2", "B2")
def test_it_refuses_a_correction_on_someone_elses_request_or_with_a_bad_value(personas, alice, bob, erin):
    request = privacy_request_create(actor=alice, type="rectification", channel="portal")
    before = database_snapshot()
    with pytest.raises(NotFound):
        rectification_proposal_add(actor=bob, request=request, field="town", value="Zeist")
    for field, value in [
        ("email", "geen-adres"),
        ("phone", "12"),
        ("role", "billing"),
        ("last_name", ""),
        ("street", "Lindenlaan 7, BSN 123456782"),
    ]:
        with pytest.raises(ValidationError):
            rectification_proposal_add(actor=alice, request=request, field=field, value=value)
    assert_nothing_changed(before)


# --- Erasure (G3): plan review hook -----------------------------------------------------------


@pytest.mark.promise("G3", "X3", "B4")
def test_it_reviews_the_erasure_plan_notifies_recipients_and_answers_once_carried_out(
    personas, alice, erin, mail, recipients
):
    request = privacy_request_create(actor=alice, type="erasure", channel="portal")
    with unchanged(), pytest.raises(ValidationError, match="no proposed erasure plan"):
        erasure_plan_review(actor=erin, request=request, approve=True)
    erasure_plan_submit(
        actor=SYSTEM,
        request=request,
        categories=["D2", "D3", "D7"],
        summary={"customers.Contact": 1, "billing.PaymentMethod": 1},
    )
    with unchanged(), pytest.raises(PermissionDenied):
        erasure_plan_review(actor=SYSTEM, request=request, approve=True)  # a person decides
    with unchanged(), pytest.raises(ValidationError, match="note is required"):
        erasure_plan_review(actor=erin, request=request, approve=False)
    erasure_plan_review(actor=erin, request=request, approve=True)
    request.refresh_from_db()
    assert request.erasure_plan_status == "approved"
    assert {n.recipient.key for n in RecipientNotice.objects.filter(request=request)} == {
        "datacenter",
        "registry",
        "bank",
    }
    with unchanged(), pytest.raises(ValidationError, match="not been carried out"):
        privacy_request_complete(actor=erin, request=request)
    erasure_plan_executed(actor=SYSTEM, request=request, summary={"customers.Contact": 1})
    for notice in RecipientNotice.objects.filter(request=request):
        recipient_notice_done(actor=erin, notice=notice)
    privacy_request_complete(actor=erin, request=request)
    assert "gewist" in mail.body(mail.wait_for(1)[0])
    assert request.erasure_plan["rows"] == {"billing.PaymentMethod": 1, "customers.Contact": 1}


@pytest.mark.promise("G3")
def test_it_refuses_a_plan_with_values_instead_of_counts(alice, erin):
    request = privacy_request_create(actor=alice, type="erasure", channel="portal")
    before = database_snapshot()
    for categories, summary in [(["D99"], {}), (["D2"], {"customers.Contact": "Alice"}), (["D2"], {"alice@x": 1})]:
        with pytest.raises(ValidationError):
            erasure_plan_submit(actor=SYSTEM, request=request, categories=categories, summary=summary)
    assert_nothing_changed(before)


@pytest.mark.promise("G1", "G6")
def test_it_answers_access_and_portability_with_the_package_reference(alice, erin, mail):
    access = privacy_request_create(actor=alice, type="access", channel="portal")
    privacy_request_complete(actor=erin, request=access, package_ref="pkg-20260302-1")
    move = privacy_request_create(actor=alice, type="portability", channel="portal", transmit_to="Nieuwe Host B.V.")
    privacy_request_complete(actor=erin, request=move, package_ref="pkg-20260302-2")
    first, second = mail.wait_for(2)
    assert "pkg-20260302-1" in mail.body(first) and "bewaartermijnen" in mail.body(first)
    assert "Nieuwe Host B.V." in mail.body(second) and "machineleesbaar" in mail.body(second)
    third = privacy_request_create(actor=alice, type="access", channel="portal")
    with unchanged(), pytest.raises(ValidationError, match="package reference"):
        privacy_request_complete(actor=erin, request=third, package_ref="a b")
