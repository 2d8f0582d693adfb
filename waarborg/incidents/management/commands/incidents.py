"""`waarborg incidents`: the incident register at the shell (B6, X6)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.incidents.deadline import incident_warnings_send
from waarborg.incidents.intake import incident_register
from waarborg.incidents.models import Incident
from waarborg.incidents.selectors import incident_list_for_system
from waarborg.incidents.triage import incident_triage
from waarborg.incidents.validation import parse_moment


class Command(BaseCommand):
    help = (
        "Incidents and personal-data breaches: list the register, report one, triage a report, send the "
        "triage and 72-hour warnings."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="the register with the 72-hour clock, running clocks first")
        listing.add_argument("--open", action="store_true", help="only incidents that are not closed")
        listing.add_argument("--format", choices=("text", "json"), default="text")
        listing.add_argument("--at", help="compute the clock at this moment (YYYY-MM-DD HH:MM); default now")

        report = sub.add_parser("report", help="record an incident learnt of by staff or monitoring")
        report.add_argument("--description", required=True, help="what happened (never a BSN)")
        report.add_argument(
            "--aware",
            help="when we became reasonably certain of it, Amsterdam time (YYYY-MM-DD HH:MM); default now",
        )
        report.add_argument("--received", help="when it reached us (YYYY-MM-DD HH:MM); default now")
        report.add_argument("--channel", choices=("staff", "system"), default="staff")
        report.add_argument("--email", default="", help="the reporter's e-mail address, for replies")
        report.add_argument(
            "--kind",
            default="breach",
            help="abuse, security (no personal data) or breach (default: a suspected breach, the clock runs)",
        )

        triage = sub.add_parser("triage", help="triage a report: abuse, a security incident or a personal-data breach")
        triage.add_argument("number", help="the incident number, e.g. I00012")
        triage.add_argument("--kind", required=True, help="abuse, security or breach")
        triage.add_argument("--reasons", required=True, help="why this kind; for a breach, why aware from then")
        triage.add_argument(
            "--aware",
            help="a breach: when we became reasonably certain of it (YYYY-MM-DD HH:MM, Amsterdam); default now",
        )

        warn = sub.add_parser("warn", help="send the 72-hour warnings due now (the daily run does this too)")
        warn.add_argument("--at", help="as if it were this moment (YYYY-MM-DD HH:MM); default now")

    def handle(self, *args, action, **o):
        with translation.override("en"):
            try:
                if action == "report":
                    return self._report(o)
                if action == "triage":
                    return self._triage(o)
                if action == "warn":
                    return self._warn(o)
                return self._list(o)
            except (ValidationError, NotFound, PermissionDenied) as exc:
                raise CommandError(str(exc), returncode=2) from None

    def _at(self, value):
        return parse_moment(value, field="at") if value else clock.now()

    def _report(self, o):
        incident = incident_register(
            actor=CLI,
            description=o["description"],
            channel=o["channel"],
            received_at=o["received"] or None,
            aware_at=o["aware"] or None,
            reporter_email=o["email"],
            kind=o["kind"],
        )
        if incident.due_at is None:
            self.stdout.write(f"registered {incident.number} ({incident.channel}) as {incident.kind}; no 72-hour clock")
            return
        due = incident.due_at.astimezone(clock.AMSTERDAM)
        self.stdout.write(
            f"registered {incident.number} ({incident.channel}); aware since "
            f"{incident.aware_at.astimezone(clock.AMSTERDAM):%Y-%m-%d %H:%M}; assess it, and notify a reportable "
            f"breach by {due:%Y-%m-%d %H:%M} (Amsterdam time)"
        )

    def _triage(self, o):
        try:
            incident = Incident.objects.get(number=o["number"].strip().upper())
        except Incident.DoesNotExist:
            raise NotFound("incidents.not_found") from None
        incident = incident_triage(
            actor=CLI, incident=incident, kind=o["kind"], aware_at=o["aware"] or None, reasons=o["reasons"]
        )
        if incident.due_at is None:
            self.stdout.write(f"triaged {incident.number} as {incident.kind}; no 72-hour clock")
            return
        self.stdout.write(
            f"triaged {incident.number} as breach; aware since "
            f"{incident.aware_at.astimezone(clock.AMSTERDAM):%Y-%m-%d %H:%M}; assess it, and notify a reportable "
            f"breach by {incident.due_at.astimezone(clock.AMSTERDAM):%Y-%m-%d %H:%M} (Amsterdam time)"
        )

    def _warn(self, o):
        counts = incident_warnings_send(now=self._at(o["at"]))
        self.stdout.write(f"warnings sent: {counts['warnings']}, failed: {counts['failed']}")
        if counts["failed"]:
            raise CommandError("some warnings could not be e-mailed; run again later", returncode=1)

    def _list(self, o):
        now = self._at(o["at"])
        rows = incident_list_for_system(open_only=o["open"], now=now)
        if o["format"] == "json":
            self.stdout.write(json.dumps([_as_dict(r) for r in rows], indent=2))
            return
        if not rows:
            self.stdout.write("no incidents" + (" open" if o["open"] else ""))
            return
        for r in rows:
            i = r.incident
            if r.untriaged:
                clock_text = "TRIAGE OVERDUE" if r.triage_overdue else f"triage by {_moment(r.triage_due_at)}"
            elif r.running:
                clock_text = "OVERDUE" if r.overdue else f"{r.hours_left} h left"
            elif i.authority_notified_at:
                clock_text = "notified" + (" late" if r.late_notice else "")
            else:
                clock_text = "-"
            self.stdout.write(
                f"{i.number}  {i.status:<8}  {i.channel:<6}  {i.kind or 'untriaged':<9}  aware {_moment(i.aware_at):<16}"
                f"  {_assessment(i):<16}  due {_moment(r.due_at):<16}  {clock_text}"
            )


def _moment(value) -> str:
    return f"{value.astimezone(clock.AMSTERDAM):%Y-%m-%d %H:%M}" if value else "-"


def _assessment(incident) -> str:
    if incident.is_triaged and not incident.is_breach_kind:  # abuse or a security incident: no assessment
        return "-"
    if incident.is_breach is None:
        return "not assessed"
    if not incident.is_breach:
        return "no breach"
    return f"breach ({incident.risk})"


def _as_dict(row) -> dict:
    i = row.incident
    return {
        "number": i.number,
        "status": i.status,
        "channel": i.channel,
        "received_at": i.received_at.isoformat(),
        "aware_at": i.aware_at.isoformat() if i.aware_at else None,
        "due_at": row.due_at.isoformat() if row.due_at else None,
        "is_breach": i.is_breach,
        "risk": i.risk or None,
        "categories": i.categories,
        "subjects_count": i.subjects_count,
        "authority_notified_at": i.authority_notified_at.isoformat() if i.authority_notified_at else None,
        "subjects_informed": i.subjects_settled,
        "clock_running": row.running,
        "hours_left": row.hours_left,
        "overdue": row.overdue,
        "late_notice": row.late_notice,
        "closed_at": i.closed_at.isoformat() if i.closed_at else None,
        "kind": i.kind or None,
        "triaged": i.is_triaged,
        "triaged_at": i.triaged_at.isoformat() if i.triaged_at else None,
        "triage_due_at": row.triage_due_at.isoformat(),
        "triage_overdue": row.triage_overdue,
    }
