"""Reads of the incident register, scoped to the viewer: only the privacy officer (scope
"incidents") reads incidents; everyone else gets PermissionDenied (a 403)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from waarborg.accounts.models import Account
from waarborg.audit.models import AuditEvent
from waarborg.core import clock, roles
from waarborg.core.errors import NotFound
from waarborg.incidents.deadline import SOON_HOURS, clock_running, hours_left
from waarborg.incidents.models import Incident, IncidentWarning
from waarborg.incidents.writes import SCOPE

VIEW_ACTION = "incidents.incident.view"


@dataclass(frozen=True)
class Row:
    """An incident with its triage deadline and 72-hour clock as they stand at `now`."""

    incident: Incident
    due_at: dt.datetime | None  # None without a clock (untriaged, abuse, security)
    running: bool  # not assessed, or reportable and not notified
    hours_left: int | None  # while running; negative once past
    overdue: bool
    soon: bool  # running, within 24 hours of the deadline
    late_notice: bool  # notified after the 72 hours
    untriaged: bool = False  # open and not triaged yet
    triage_due_at: dt.datetime | None = None
    triage_overdue: bool = False

    @property
    def hours_past(self) -> int:
        return -self.hours_left if self.hours_left is not None and self.hours_left < 0 else 0


def clock_row(incident: Incident, now: dt.datetime) -> Row:
    running = clock_running(incident)
    left = hours_left(incident, now) if running else None
    notified = incident.authority_notified_at
    untriaged = incident.is_open and not incident.is_triaged
    return Row(
        incident=incident,
        due_at=incident.due_at,
        running=running,
        hours_left=left,
        overdue=running and now >= incident.due_at,
        soon=running and now < incident.due_at and incident.due_at - now <= dt.timedelta(hours=SOON_HOURS),
        late_notice=notified is not None and incident.due_at is not None and notified > incident.due_at,
        untriaged=untriaged,
        triage_due_at=incident.triage_due_at,
        triage_overdue=untriaged and now >= incident.triage_due_at,
    )


def incident_qs_for(*, viewer) -> QuerySet[Incident]:
    roles.require(viewer, SCOPE)
    return Incident.objects.all()


def incident_get_for(*, viewer, pk) -> Incident:
    try:
        return incident_qs_for(viewer=viewer).get(pk=int(pk))
    except (Incident.DoesNotExist, TypeError, ValueError):
        raise NotFound("incidents.not_found") from None


def _rows(qs, now: dt.datetime, *, breach: str = "", due: str = "") -> list[Row]:
    if breach == "yes":
        qs = qs.filter(is_breach=True)
    elif breach == "no":
        qs = qs.filter(is_breach=False)
    elif breach == "unassessed":
        qs = qs.filter(is_breach__isnull=True)
    elif breach == "untriaged":
        qs = qs.filter(kind="")
    elif breach in Incident.Kind.values:
        qs = qs.filter(kind=breach)
    elif breach == "reportable":
        qs = qs.filter(is_breach=True, risk__in=(Incident.Risk.RISK, Incident.Risk.HIGH))
    rows = [clock_row(incident, now) for incident in qs]
    if due == "running":
        rows = [r for r in rows if r.running]
    elif due == "overdue":
        rows = [r for r in rows if r.overdue]
    elif due == "soon":
        rows = [r for r in rows if r.overdue or r.soon]
    elif due == "late":
        rows = [r for r in rows if r.late_notice]
    # Untriaged reports first, the first triage due first; then running clocks, the first due
    # first; then the rest, newest first.
    untriaged = sorted((r for r in rows if r.untriaged), key=lambda r: (r.triage_due_at, r.incident.pk))
    running = sorted((r for r in rows if r.running), key=lambda r: (r.due_at, r.incident.pk))
    rest = sorted(
        (r for r in rows if not r.running and not r.untriaged),
        key=lambda r: (r.incident.received_at, r.incident.pk),
        reverse=True,
    )
    return untriaged + running + rest


def incident_list_for(*, viewer, status: str = "open", breach: str = "", due: str = "", now=None) -> list[Row]:
    qs = incident_qs_for(viewer=viewer)
    if status == "open":
        qs = qs.filter(status__in=Incident.OPEN_STATUSES)
    elif status in Incident.Status.values:
        qs = qs.filter(status=status)
    return _rows(qs, now or clock.now(), breach=breach, due=due)


def incident_list_for_system(*, open_only: bool = False, now=None) -> list[Row]:
    """For the shell (`waarborg incidents list`), which runs as the operator."""
    qs = Incident.objects.all()
    if open_only:
        qs = qs.filter(status__in=Incident.OPEN_STATUSES)
    return _rows(qs, now or clock.now())


# --- The timeline -----------------------------------------------------------------------------


@dataclass
class Entry:
    at: dt.datetime
    kind: str
    what: str
    who: str = ""
    details: list[str] = field(default_factory=list)


ACTIONS = {
    "incidents.incident.report": lambda: _("Received"),
    "incidents.incident.triage": lambda: _("Triaged"),
    "incidents.incident.assess": lambda: _("Assessed"),
    "incidents.incident.notify_authority": lambda: _("Authority notified"),
    "incidents.incident.inform_subjects": lambda: _("People affected: recorded"),
    "incidents.incident.close": lambda: _("Closed"),
}
STAGES = {
    "due_soon": lambda: _("24 hours left"),
    "overdue": lambda: _("deadline passed"),
    "triage": lambda: _("not triaged yet"),
    "triage_late": lambda: _("triage deadline passed"),
}


def _names(events) -> dict[str, str]:
    ids = {e.actor.split(":", 1)[1] for e in events if e.actor.startswith("account:")}
    accounts = Account.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()])
    return {f"account:{a.pk}": a.display_name or a.email for a in accounts}


def _who(actor: str, names: dict[str, str]) -> str:
    if actor in names:
        return names[actor]
    return {"reporter": _("the reporter"), "cli": _("staff, at the shell"), "system": _("the system")}.get(actor, "")


def _details(event: AuditEvent) -> list[str]:
    data = event.data or {}
    out = []
    if event.action == "incidents.incident.report":
        out.append(str(CHANNELS().get(data.get("channel", ""), data.get("channel", ""))))
    if event.action in ("incidents.incident.report", "incidents.incident.triage") and data.get("kind"):
        out.append(str(KINDS().get(data["kind"], data["kind"])))
    if event.action == "incidents.incident.triage" and data.get("late"):
        out.append(_("after the triage deadline"))
    if event.action == "incidents.incident.assess":
        out.append(_("a personal-data breach") if data.get("breach") else _("not a personal-data breach"))
        if data.get("risk"):
            out.append(str(RISKS().get(data["risk"], data["risk"])))
        if data.get("categories"):
            out.append(", ".join(data["categories"]))
    if event.action == "incidents.incident.notify_authority" and data.get("late"):
        out.append(_("after the 72 hours"))
    return out


def CHANNELS() -> dict[str, str]:  # noqa: N802 - a table, built in the active language
    return {"form": _("Public form"), "portal": _("Portal"), "staff": _("Staff"), "system": _("System")}


def KINDS() -> dict[str, str]:  # noqa: N802
    return {
        "abuse": _("Abuse"),
        "security": _("Security incident"),
        "breach": _("Personal-data breach"),
    }


def RISKS() -> dict[str, str]:  # noqa: N802
    return {
        "none": _("Unlikely to result in a risk"),
        "risk": _("A risk to people"),
        "high": _("A high risk to people"),
    }


def timeline_for(*, viewer, incident: Incident) -> list[Entry]:
    """Everything that happened to the incident, oldest first (openings of the page left out)."""
    incident = incident_get_for(viewer=viewer, pk=incident.pk)
    events = list(
        AuditEvent.objects.filter(object_type="incidents.incident", subject_ref=f"incident:{incident.pk}")
        .exclude(action=VIEW_ACTION)
        .order_by("seq")
    )
    names = _names(events)
    entries = [
        Entry(
            at=e.at,
            kind="event",
            what=str(ACTIONS[e.action]()) if e.action in ACTIONS else e.action,
            who=_who(e.actor, names),
            details=_details(e),
        )
        for e in events
    ]
    for warning in IncidentWarning.objects.filter(incident=incident).order_by("sent_at", "pk"):
        stage = STAGES[warning.stage]() if warning.stage in STAGES else warning.stage
        entries.append(
            Entry(
                at=warning.sent_at,
                kind="warning",
                what=_("Warning to the privacy officers: %(stage)s") % {"stage": stage},
                details=[_("%(count)s recipient(s)") % {"count": warning.recipients}],
            )
        )
    order = {"event": 0, "warning": 1}
    return sorted(entries, key=lambda e: (e.at, order[e.kind]))
