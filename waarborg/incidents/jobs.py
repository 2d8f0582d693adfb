"""Daily job of the incident register (run by `waarborg daily`; safe to repeat)."""

from __future__ import annotations

import datetime as dt

from waarborg.core import clock
from waarborg.core.daily import daily_job
from waarborg.incidents.deadline import incident_warnings_send


@daily_job("incident-deadlines", order=62, outgoing=True)
def incident_deadline_warnings(day: dt.date) -> dict[str, int]:
    """The triage deadline and the 72-hour clock (art. 33): warn the privacy officers about a
    report not triaged yet (before and after its 24-hour triage deadline), and when 24 hours are
    left and when the deadline has passed, for a breach not yet assessed or a reportable breach
    not yet notified — each warning once. Run it more often with `waarborg incidents warn`."""
    return incident_warnings_send(now=clock.now())
