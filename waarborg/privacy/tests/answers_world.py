"""Seven requests answered (or not) around April 2026, each judged by hand (G9, X5, G10).

Dates (Regulation 1182/71; 3 April 2026 is Goede Vrijdag, 5 and 6 April Easter):

| key          | type / who             | received | promised | legal     | what happened                                          |
|--------------|------------------------|----------|----------|-----------|--------------------------------------------------------|
| day12        | access, alice          | 20 Mar   | 17 Apr   | 20 Apr    | answered 1 Apr (day 12): in time on both counts        |
| day30        | access, bob            | 2 Mar    | 30 Mar   | 2 Apr     | answered 1 Apr (day 30): after the promise, legal ok   |
| extended     | objection, alice       | 2 Mar    | 30 Mar   | 2 Jun ext | extended 20 Mar, answered 20 Apr: in time on both      |
| refused_late | restriction, bob       | 20 Feb   | 20 Mar   | 20 Mar    | refused 8 Apr: late on both counts                     |
| paused       | withdrawal, alice      | 3 Mar    | 5 Apr *  | 7 Apr     | waited 3→8 Mar for the ID check (5 days), answered 4 Apr |
| no_data      | access, someone unknown| 30 Mar   | 27 Apr   | 30 Apr    | answered 10 Apr that nothing is held                   |
| open         | rectification, bob     | 10 Mar   | 7 Apr    | 10 Apr    | never answered                                         |

* 31 March + 5 days waited for the identity check.
"""

import datetime as dt

from waarborg.core import clock
from waarborg.privacy.answers import privacy_request_complete, privacy_request_extend, privacy_request_refuse
from waarborg.privacy.identity import privacy_request_start_verification, privacy_request_verify_by_staff
from waarborg.privacy.intake import privacy_request_create

D = dt.date


def build(personas) -> dict:
    alice, bob, erin = personas.alice, personas.bob, personas.erin
    made = {}
    with clock.as_of(D(2026, 2, 20)):
        made["refused_late"] = privacy_request_create(actor=bob, type="restriction", channel="portal")
    with clock.as_of(D(2026, 3, 2)):
        made["day30"] = privacy_request_create(actor=bob, type="access", channel="portal")
        made["extended"] = privacy_request_create(actor=alice, type="objection", channel="portal", purposes=["U10"])
    with clock.as_of(D(2026, 3, 3)):
        made["paused"] = privacy_request_create(
            actor=erin, type="withdrawal", channel="email", received_at=D(2026, 3, 3), email="alice.devries@example.nl"
        )
        privacy_request_start_verification(actor=erin, request=made["paused"])
    with clock.as_of(D(2026, 3, 8)):
        privacy_request_verify_by_staff(actor=erin, request=made["paused"], note="called back on the number on file")
    with clock.as_of(D(2026, 3, 10)):
        made["open"] = privacy_request_create(actor=bob, type="rectification", channel="portal")
    with clock.as_of(D(2026, 3, 20)):
        made["day12"] = privacy_request_create(actor=alice, type="access", channel="portal")
        privacy_request_extend(actor=erin, request=made["extended"], reason="Uw gegevens staan in oude systemen.")
    with clock.as_of(D(2026, 4, 1)):
        privacy_request_complete(actor=erin, request=made["day12"])
        privacy_request_complete(actor=erin, request=made["day30"])
    with clock.as_of(D(2026, 4, 4)):
        privacy_request_complete(actor=erin, request=made["paused"])
    with clock.as_of(D(2026, 4, 8)):
        privacy_request_refuse(actor=erin, request=made["refused_late"], reason="Er is niets om te beperken.")
    with clock.as_of(D(2026, 4, 10)):
        made["no_data"] = privacy_request_create(
            actor=erin, type="access", channel="email", received_at=D(2026, 3, 30), email="niemand@example.nl"
        )
    with clock.as_of(D(2026, 4, 20)):
        privacy_request_complete(actor=erin, request=made["extended"])
    for request in made.values():
        request.refresh_from_db()
    return made
