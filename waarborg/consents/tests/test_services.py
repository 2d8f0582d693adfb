import datetime as dt

import pytest

from waarborg.consents.models import ConsentRecord
from waarborg.consents.selectors import consent_is_given
from waarborg.consents.services import consent_give, consent_refuse, consent_withdraw
from waarborg.core import clock
from waarborg.core.actors import SYSTEM
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

pytestmark = pytest.mark.django_db

DEVICE = "d3v1c3-c00k13-1d-0042"


@pytest.mark.promise("C1", "G4", "B4")
def test_it_records_what_which_version_and_when_and_withdraws_in_one_call(alice):
    with clock.as_of(dt.date(2025, 2, 1)):
        record = consent_give(actor=alice, kind="marketing_email", policy_version="2025-01")
    stored = ConsentRecord.objects.get(pk=record.pk)
    assert (stored.kind, stored.granted, stored.policy_version) == ("marketing_email", True, "2025-01")
    assert stored.given_at.date() == dt.date(2025, 2, 1)
    assert (stored.account, stored.contact, stored.withdrawn_at) == (alice, alice.contact, None)
    assert consent_is_given(kind="marketing_email", account=alice)
    assert_clean_event(last_event(), action="consent.give", values=["alice.devries"])
    assert last_event().data["policy_version"] == "2025-01"

    with clock.as_of(dt.date(2025, 3, 1)):
        withdrawn = consent_withdraw(actor=alice, kind="marketing_email")
    assert [r.pk for r in withdrawn] == [record.pk]
    stored.refresh_from_db()
    assert stored.withdrawn_at.date() == dt.date(2025, 3, 1)
    assert (stored.policy_version, stored.given_at.date()) == ("2025-01", dt.date(2025, 2, 1))
    assert not consent_is_given(kind="marketing_email", account=alice)
    assert_clean_event(last_event(), action="consent.withdraw")
    assert last_event().object_ids == [str(record.pk)]


@pytest.mark.promise("C1", "B4")
def test_it_records_a_cookie_choice_by_device_and_keeps_the_refusal(db):
    consent_give(actor=SYSTEM, kind="cookies_analytics", policy_version="2025-01", device_id=DEVICE, source="banner")
    assert consent_is_given(kind="cookies_analytics", device_id=DEVICE, policy_version="2025-01")
    assert not consent_is_given(kind="cookies_analytics", device_id=DEVICE, policy_version="2025-02")
    assert_clean_event(last_event(), action="consent.give", values=[DEVICE])
    consent_refuse(actor=SYSTEM, kind="cookies_marketing", policy_version="2025-01", device_id=DEVICE, source="banner")
    assert not consent_is_given(kind="cookies_marketing", device_id=DEVICE)
    assert ConsentRecord.objects.filter(device_id=DEVICE, granted=False).count() == 1
    assert_clean_event(last_event(), action="consent.refuse", values=[DEVICE])


@pytest.mark.promise("G4")
def test_it_withdraws_nothing_when_nothing_stands(alice):
    before = database_snapshot()
    assert consent_withdraw(actor=alice, kind="cookies_marketing") == []
    assert_nothing_changed(before)


@pytest.mark.promise("G4", "B2")
def test_it_lets_the_privacy_officer_withdraw_on_request_but_not_give(erin, alice):
    consent_give(actor=alice, kind="marketing_email", policy_version="2025-01")
    consent_withdraw(actor=erin, kind="marketing_email", account=alice)
    assert not consent_is_given(kind="marketing_email", account=alice)
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        consent_give(actor=erin, kind="marketing_email", policy_version="2025-01", account=alice)
    assert_nothing_changed(before)


@pytest.mark.promise("B2")
def test_it_answers_not_found_when_a_customer_withdraws_someone_elses_consent(alice, bob):
    record = consent_give(actor=bob, kind="marketing_email", policy_version="2025-01")
    before = database_snapshot()
    with pytest.raises(NotFound):
        consent_withdraw(actor=alice, kind="marketing_email", account=bob)
    with pytest.raises(NotFound):
        consent_give(actor=alice, kind="marketing_email", policy_version="2025-01", contact=bob.contact)
    assert_nothing_changed(before)
    assert ConsentRecord.objects.get(pk=record.pk).withdrawn_at is None


@pytest.mark.promise("M1")
def test_it_refuses_an_under_16_consent_without_a_parents_consent(db):
    before = database_snapshot()
    with pytest.raises(ValidationError) as exc:
        consent_give(
            actor=SYSTEM, kind="marketing_email", policy_version="2025-01", device_id=DEVICE, subject_under_16=True
        )
    assert exc.value.field == "parental_consent_ref"
    assert_nothing_changed(before)
    record = consent_give(
        actor=SYSTEM,
        kind="marketing_email",
        policy_version="2025-01",
        device_id=DEVICE,
        subject_under_16=True,
        parental_consent_ref="OUDER-2025-17",
    )
    assert record.parental_consent_ref == "OUDER-2025-17"


@pytest.mark.promise("C1")
@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "telemarketing", "policy_version": "2025-01", "device_id": DEVICE},
        {"kind": "marketing_email", "policy_version": "", "device_id": DEVICE},
        {"kind": "marketing_email", "policy_version": "2025-01"},  # nobody
        {"kind": "marketing_email", "policy_version": "2025-01", "device_id": "bad id!"},
    ],
)
def test_it_refuses_an_incomplete_consent_and_stores_nothing(db, kwargs):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        consent_give(actor=SYSTEM, **kwargs)
    assert_nothing_changed(before)
