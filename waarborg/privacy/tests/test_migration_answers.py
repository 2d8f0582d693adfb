"""The data migration: when each closed request was answered, from the best evidence kept, and
extended dates stored three months after receipt corrected to the law's (G9, X5)."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps

from waarborg.core import clock
from waarborg.privacy.answers import privacy_request_complete, privacy_request_refuse
from waarborg.privacy.intake import privacy_request_create
from waarborg.privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db
D = dt.date
MIGRATION = import_module("waarborg.privacy.migrations.0005_answered_at_from_the_record_and_extension_dates")


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=clock.AMSTERDAM)


def _bare(number: str, received: dt.date, **fields) -> PrivacyRequest:
    """A request row as an earlier version left it (no audit trail of its own)."""
    return PrivacyRequest.objects.create(
        number=number,
        type="access",
        channel="post",
        received_at=_noon(received),
        promise_due=received + dt.timedelta(days=28),
        legal_due=received + dt.timedelta(days=30),
        **fields,
    )


@pytest.mark.promise("G9")
def test_it_fills_answered_at_from_the_answer_event_else_the_closing(personas, alice, bob, erin, mail):
    with clock.as_of(D(2026, 3, 2)):
        answered = privacy_request_create(actor=alice, type="access", channel="portal")
        refused = privacy_request_create(actor=bob, type="access", channel="portal")
        still_open = privacy_request_create(actor=alice, type="erasure", channel="portal")
    with clock.as_of(D(2026, 3, 14)):
        privacy_request_complete(actor=erin, request=answered)
    with clock.as_of(D(2026, 3, 16)):
        privacy_request_refuse(actor=erin, request=refused, reason="U vroeg dit al eerder.")
    without_event = _bare("PV900001", D(2026, 2, 2), status="completed", closed_at=_noon(D(2026, 2, 20)))
    # as an earlier version stored them: no answered_at, and (here) a closing later than the answer
    PrivacyRequest.objects.filter(pk__in=[answered.pk, refused.pk]).update(
        answered_at=None, closed_at=_noon(D(2026, 4, 1))
    )
    MIGRATION.fill_answered_at(apps, None)
    found = dict(PrivacyRequest.objects.values_list("pk", "answered_at"))
    assert found[answered.pk] == _noon(D(2026, 3, 14))  # the answer's audit event, not the closing
    assert found[refused.pk] == _noon(D(2026, 3, 16))
    assert found[without_event.pk] == _noon(D(2026, 2, 20))  # no event: the closing
    assert found[still_open.pk] is None
    MIGRATION.fill_answered_at(apps, None)  # safe to repeat
    assert dict(PrivacyRequest.objects.values_list("pk", "answered_at")) == found


@pytest.mark.promise("G9", "X5")
def test_it_corrects_an_extended_date_stored_too_late_and_keeps_the_others(db):
    # 31 October 2025 + three months = 31 January 2026, a Saturday: stored as 2 February. The law:
    # one month ends 30 November, two further months 30 January 2026 (a Friday).
    too_late = _bare("PV900002", D(2025, 10, 31), extended_due=D(2026, 2, 2))
    right = _bare("PV900003", D(2026, 6, 10), extended_due=D(2026, 9, 10))
    earlier = _bare("PV900004", D(2026, 1, 31), extended_due=D(2026, 4, 27))  # earlier than the law's 28 April
    plain = _bare("PV900005", D(2026, 1, 31))
    MIGRATION.correct_extended_due(apps, None)
    found = dict(PrivacyRequest.objects.values_list("pk", "extended_due"))
    assert found == {too_late.pk: D(2026, 1, 30), right.pk: D(2026, 9, 10), earlier.pk: D(2026, 4, 27), plain.pk: None}
