"""Data: when each closed request was answered, and extended dates stored too late.

1. `answered_at` of every request already answered or refused, from the best evidence kept: the
   audit event of the answer (`privacy.request.complete`, `.refuse`, `.answer_no_data`), written
   in the same transaction as the answer; without one, the moment the request was closed.

2. `extended_due` was computed as three months after receipt. The law gives one month "extended
   by two further months" (art. 12(3)): two months from the end of the first month, which for a
   request received on the 29th to the 31st of a month can end one to three days earlier. A
   stored date later than the law's is corrected to the law's date: the legal term is the law's
   and not the one we wrote down, and keeping the later date would make staff work to a date
   past the term and the month overview count an answer after the term as within it (the proof
   of art. 5(2) would be wrong). An earlier stored date (none is expected) is kept. The requester
   was told the later date in the extension notice; answering by the earlier one keeps that word.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ANSWER_ACTIONS = ("privacy.request.complete", "privacy.request.refuse", "privacy.request.answer_no_data")
CLOSED = ("completed", "refused")


def _answer_events(AuditEvent) -> dict[str, dt.datetime]:
    first: dict[str, dt.datetime] = {}
    events = AuditEvent.objects.filter(action__in=ANSWER_ACTIONS, object_type="privacy.privacyrequest")
    for data, at in events.order_by("seq").values_list("data", "at").iterator():
        number = (data or {}).get("request")
        if number and number not in first:
            first[number] = at
    return first


def fill_answered_at(apps, schema_editor):
    PrivacyRequest = apps.get_model("privacy", "PrivacyRequest")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    todo = PrivacyRequest.objects.filter(status__in=CLOSED, answered_at__isnull=True)
    if not todo.exists():
        return
    events = _answer_events(AuditEvent)
    for pk, number, closed_at in list(todo.values_list("pk", "number", "closed_at")):
        answered = events.get(number) or closed_at
        if answered is not None:
            PrivacyRequest.objects.filter(pk=pk).update(answered_at=answered)


def correct_extended_due(apps, schema_editor):
    from waarborg.core.datamap import add_term
    from waarborg.core.holidays import next_working_day

    PrivacyRequest = apps.get_model("privacy", "PrivacyRequest")
    extended = PrivacyRequest.objects.filter(extended_due__isnull=False)
    for pk, received_at, stored in list(extended.values_list("pk", "received_at", "extended_due")):
        received = received_at.astimezone(AMSTERDAM).date()
        lawful = next_working_day(add_term(add_term(received, months=1), months=2))
        if stored > lawful:
            PrivacyRequest.objects.filter(pk=pk).update(extended_due=lawful)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_answered_at"),
        ("audit", "0002_append_only"),
    ]

    operations = [
        migrations.RunPython(fill_answered_at, migrations.RunPython.noop),
        migrations.RunPython(correct_extended_due, migrations.RunPython.noop),
    ]
