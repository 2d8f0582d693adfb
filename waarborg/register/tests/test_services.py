import datetime as dt

import pytest

from waarborg.core.errors import PermissionDenied, ValidationError
from waarborg.register.models import Recipient
from waarborg.register.selectors import recipients_without_valid_agreement
from waarborg.register.services import recipient_agreement_record, recipient_register
from waarborg.testing.checks import assert_clean_event, assert_nothing_changed, database_snapshot, last_event

pytestmark = pytest.mark.django_db

DATACENTER = {
    "key": "datacenter-ams",
    "name": "Amsterdam Datacenter B.V.",
    "kind": "processor",
    "category": "datacenter",
    "purpose": "Hosting van servers en back-ups",
    "data_categories": ["D1", "D2", "D3", "D10"],
}


@pytest.mark.promise("T3", "B4")
def test_it_registers_a_recipient_with_its_agreement_dates(erin):
    recipient = recipient_register(
        actor=erin, agreement_signed_at=dt.date(2024, 1, 15), agreement_expires_at=dt.date(2026, 1, 14), **DATACENTER
    )
    stored = Recipient.objects.get(pk=recipient.pk)
    assert (stored.agreement_signed_at, stored.agreement_expires_at) == (dt.date(2024, 1, 15), dt.date(2026, 1, 14))
    assert stored.data_categories == ["D1", "D2", "D3", "D10"]
    assert stored.agreement_valid_on(dt.date(2025, 6, 1))
    assert not stored.agreement_valid_on(dt.date(2026, 1, 15))
    assert_clean_event(last_event(), action="recipient.register")
    assert last_event().data["data_categories"] == ["D1", "D2", "D3", "D10"]


@pytest.mark.promise("T3")
def test_it_lists_a_processor_without_agreement_as_unable_to_receive(frank):
    recipient = recipient_register(actor=frank, **DATACENTER)
    assert recipient in recipients_without_valid_agreement(day=dt.date(2025, 1, 1))
    recipient_agreement_record(actor=frank, recipient=recipient, signed_at=dt.date(2024, 12, 1))
    assert recipient not in recipients_without_valid_agreement(day=dt.date(2025, 1, 1))
    assert_clean_event(last_event(), action="recipient.agreement")


@pytest.mark.promise("T3")
@pytest.mark.parametrize(
    "change",
    [
        {"key": "Bad Key"},
        {"kind": "friend"},
        {"category": "advertiser"},
        {"data_categories": []},
        {"data_categories": ["D1", "D99"]},
        {"country": "Nederland"},
        {"agreement_signed_at": dt.date(2025, 1, 1), "agreement_expires_at": dt.date(2024, 1, 1)},
        {"agreement_expires_at": dt.date(2026, 1, 1)},
        {"purpose": ""},
    ],
)
def test_it_refuses_an_incomplete_registration_and_stores_nothing(erin, change):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        recipient_register(actor=erin, **{**DATACENTER, **change})
    assert_nothing_changed(before)


@pytest.mark.promise("T3", "B2")
def test_it_keeps_the_register_to_privacy_and_administration(personas):
    recipient_register(actor=personas.erin, **DATACENTER)
    before = database_snapshot()
    with pytest.raises(ValidationError):
        recipient_register(actor=personas.erin, **DATACENTER)  # the key is taken
    for viewer in (personas.alice, personas.carol, personas.dave):
        with pytest.raises(PermissionDenied):
            recipient_register(actor=viewer, **{**DATACENTER, "key": "other"})
    assert_nothing_changed(before)
