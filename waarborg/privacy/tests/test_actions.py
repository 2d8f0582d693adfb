"""Which actions a privacy request offers now: decided once, and the services agree (G1–G10)."""

import datetime as dt

import pytest

from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import ValidationError
from waarborg.privacy import actions
from waarborg.privacy.actions import available_actions, refusal
from waarborg.privacy.answers import privacy_request_extend, privacy_request_refuse
from waarborg.privacy.erasure_plan import erasure_plan_submit
from waarborg.privacy.identity import privacy_request_verify_by_staff
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.processing_limits import restriction_apply
from waarborg.testing.checks import unchanged

pytestmark = pytest.mark.django_db
ALICE = "alice.devries@example.nl"
REASON = "Wij hebben meer tijd nodig om alle systemen na te lopen."

TYPE_SPECIFIC = {
    actions.ADD_RECTIFICATION,
    actions.DECIDE_RECTIFICATION,
    actions.APPLY_RESTRICTION,
    actions.LIFT_RESTRICTION,
    actions.SUBMIT_ERASURE_PLAN,
    actions.REVIEW_ERASURE_PLAN,
    actions.RECORD_ERASURE,
    actions.DELIVER_PACKAGE,
}


def _by_email(erin, type="access", **kw):
    return privacy_request_create(actor=erin, type=type, channel="email", received_at=clock.today(), email=ALICE, **kw)


def _verified(erin, type, **kw):
    request = _by_email(erin, type=type, **kw)
    privacy_request_verify_by_staff(actor=erin, request=request, note="checked against the file")
    return request


@pytest.mark.promise("G8", "G10")
def test_an_open_request_offers_its_steps_and_a_closed_one_nothing(personas, erin):
    request = _by_email(erin)
    offered = available_actions(request, actor=erin)
    assert {
        actions.ASSIGN,
        actions.START_VERIFICATION,
        actions.VERIFY_BY_STAFF,
        actions.EXTEND,
        actions.REFUSE,
    } <= offered
    assert actions.ANSWER_NO_DATA not in offered  # the request is about someone we know
    privacy_request_refuse(actor=erin, request=request, reason="Wij kunnen uw identiteit niet vaststellen.")
    assert available_actions(request, actor=erin) == frozenset()
    assert "is closed" in str(refusal(request, actions.REFUSE))


@pytest.mark.promise("G8")
def test_a_request_is_answered_only_once_the_identity_is_verified(personas, erin):
    request = _by_email(erin)
    offered = available_actions(request, actor=erin)
    assert actions.COMPLETE not in offered
    assert "not been verified" in str(refusal(request, actions.COMPLETE))
    privacy_request_verify_by_staff(actor=erin, request=request, note="checked against the file")
    offered = available_actions(request, actor=erin)
    assert actions.COMPLETE in offered
    assert not offered & {actions.START_VERIFICATION, actions.VERIFY_BY_STAFF}
    assert not offered & TYPE_SPECIFIC  # an access request has none of the other types' steps


@pytest.mark.promise("G2", "G3", "G6", "X2")
def test_each_type_offers_its_own_steps(personas, erin):
    rectification = _verified(erin, "rectification", changes={"phone": "0612345678"})
    assert available_actions(rectification, actor=erin) & TYPE_SPECIFIC == {
        actions.ADD_RECTIFICATION,
        actions.DECIDE_RECTIFICATION,
    }
    assert actions.COMPLETE not in available_actions(rectification, actor=erin)  # a correction waits

    restriction = _verified(erin, "restriction")
    assert available_actions(restriction, actor=erin) & TYPE_SPECIFIC == {actions.APPLY_RESTRICTION}
    restriction_apply(actor=erin, request=restriction)
    assert available_actions(restriction, actor=erin) & TYPE_SPECIFIC == {actions.LIFT_RESTRICTION}

    erasure = _verified(erin, "erasure")
    assert available_actions(erasure, actor=erin) & TYPE_SPECIFIC == {actions.SUBMIT_ERASURE_PLAN}
    erasure_plan_submit(actor=erin, request=erasure, categories=["D1"], summary={"customers.Contact": 1})
    assert available_actions(erasure, actor=erin) & TYPE_SPECIFIC == {
        actions.SUBMIT_ERASURE_PLAN,  # a proposed plan may be replaced
        actions.REVIEW_ERASURE_PLAN,
    }

    portability = _verified(erin, "portability")
    assert available_actions(portability, actor=erin) & TYPE_SPECIFIC == {actions.DELIVER_PACKAGE}


@pytest.mark.promise("X5")
def test_the_term_is_extended_only_once_and_only_until_the_promised_date(personas, erin, mail):
    request = _by_email(erin)
    last_day = request.promise_due
    assert actions.EXTEND in available_actions(request, actor=erin, today=last_day)
    too_late = last_day + dt.timedelta(days=1)
    assert actions.EXTEND not in available_actions(request, actor=erin, today=too_late)
    assert "too late to extend" in str(refusal(request, actions.EXTEND, today=too_late))

    privacy_request_extend(actor=erin, request=request, reason=REASON)
    assert actions.EXTEND not in available_actions(request, actor=erin)
    assert "extended already" in str(refusal(request, actions.EXTEND))
    with unchanged(), pytest.raises(ValidationError) as refused:
        privacy_request_extend(actor=erin, request=request, reason=REASON)
    assert str(refused.value) == str(refusal(request, actions.EXTEND))  # the service's own words


@pytest.mark.promise("B2")
def test_who_acts_decides_too(personas, alice, carol, erin):
    own = privacy_request_create(actor=alice, type="rectification", channel="portal", changes={"phone": "0612345678"})
    assert available_actions(own, actor=alice) == {actions.ADD_RECTIFICATION}
    assert available_actions(own, actor=carol) == frozenset()  # support registers, never handles
    by_system = available_actions(own, actor=SYSTEM)
    assert actions.COMPLETE not in by_system  # a correction is pending
    assert not by_system & {actions.DECIDE_RECTIFICATION, actions.VERIFY_BY_STAFF}  # decided by a person
    assert actions.DECIDE_RECTIFICATION in available_actions(own, actor=erin)
