import json
import smtplib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from waarborg.accounts.models import Account
from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.errors import NotFound, PermissionDenied, ValidationError
from waarborg.privacy.answers import privacy_request_extend
from waarborg.privacy.fulfil import privacy_request_fulfil
from waarborg.privacy.identity import privacy_request_start_verification, privacy_request_verify_by_staff
from waarborg.privacy.intake import privacy_request_answer_no_data, privacy_request_create
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.selectors import queue_for_system, queue_row

STAFF_CHANNELS = ("email", "post", "phone")


def _fail(exc: Exception) -> CommandError:
    return CommandError(str(exc), returncode=1 if isinstance(exc, NotFound) else 2)


class Command(BaseCommand):
    help = "Privacy requests: register one that came by e-mail, post or phone; list the open ones."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reg = sub.add_parser("register", help="register a request received by e-mail, post or phone")
        reg.add_argument("--type", required=True, choices=[t for t, _ in PrivacyRequest.Type.choices])
        reg.add_argument("--channel", required=True, choices=STAFF_CHANNELS)
        reg.add_argument("--received", required=True, help="the date it was received (YYYY-MM-DD)")
        reg.add_argument("--email", default="", help="the requester's e-mail address (answers go there)")
        reg.add_argument("--phone", default="")
        reg.add_argument("--customer", default="", help="customer number, e.g. K100001")
        reg.add_argument("--name", default="", help="full name (found together with --postcode)")
        reg.add_argument("--postcode", default="")
        reg.add_argument("--country", default="NL", help="the country of --phone and --postcode (ISO code, default NL)")
        reg.add_argument("--details", default="", help="what the requester asks, in their words (never a BSN)")
        reg.add_argument("--purpose", action="append", default=[], help="objection: a purpose to stop (U-id)")
        reg.add_argument("--consent", action="append", default=[], help="withdrawal: a consent kind")
        reg.add_argument("--transmit-to", default="", help="portability: the organisation to send the data to")
        reg.add_argument("--language", choices=("nl", "en"), default="nl")
        reg.add_argument("--handler", default="", help="e-mail address of the privacy officer handling it")
        reg.add_argument("--no-verify", action="store_true", help="do not start the identity check yet")

        acc = sub.add_parser(
            "access",
            help="answer an access request that came by post or phone: record it, verify, write the package",
        )
        acc.add_argument("--email", default="")
        acc.add_argument("--phone", default="")
        acc.add_argument("--customer", default="", help="customer number, e.g. K100001")
        acc.add_argument("--name", default="", help="full name (found together with --postcode)")
        acc.add_argument("--postcode", default="")
        acc.add_argument("--country", default="NL", help="the country of --phone and --postcode (ISO code, default NL)")
        acc.add_argument("--out", required=True, help="where to write the package (a .zip file)")
        acc.add_argument("--channel", choices=STAFF_CHANNELS, default="post")
        acc.add_argument("--received", help="the date it was received (YYYY-MM-DD); default today")
        acc.add_argument("--handler", required=True, help="e-mail address of the privacy officer answering it")
        acc.add_argument(
            "--checked",
            default="identity checked by the privacy officer against the details on file",
            help="how the identity was checked (no personal values)",
        )
        acc.add_argument("--language", choices=("nl", "en"), default="nl")

        verify = sub.add_parser("verify", help="(re)send the identity check of a request")
        verify.add_argument("number", help="the request number, e.g. PV000012")

        extend = sub.add_parser(
            "extend", help="extend the term by two further months, with reasons told to the requester (art. 12(3))"
        )
        extend.add_argument("number", help="the request number, e.g. PV000012")
        extend.add_argument("--reason", required=True, help="why it needs more time; told to the requester")
        extend.add_argument("--handler", required=True, help="e-mail address of the privacy officer extending it")
        extend.add_argument("--by-post", action="store_true", help="print the notice to post today, do not e-mail it")

        queue = sub.add_parser("queue", help="open requests with their due dates, overdue flagged")
        queue.add_argument("--as-of", help="the day to compute for (YYYY-MM-DD); default today")
        queue.add_argument("--all", action="store_true", help="include closed requests, judged at their answer")
        queue.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, action, **o):
        try:
            if action == "register":
                return self._register(o)
            if action == "verify":
                return self._verify(o["number"])
            if action == "access":
                return self._access(o)
            if action == "extend":
                return self._extend(o)
            return self._queue(o)
        except (ValidationError, NotFound, PermissionDenied) as exc:
            raise _fail(exc) from None

    def _register(self, o):
        handler = None
        if o["handler"]:
            handler = Account.objects.filter(email=o["handler"].strip().lower(), is_active=True).first()
            if handler is None:
                raise ValidationError("privacy.account_unknown", field="handler")
        request = privacy_request_create(
            actor=CLI,
            type=o["type"],
            channel=o["channel"],
            received_at=clock.parse_date(o["received"]),
            email=o["email"],
            phone=o["phone"],
            customer_number=o["customer"],
            name=o["name"],
            postcode=o["postcode"],
            country=o["country"],
            details=o["details"],
            purposes=o["purpose"],
            consent_kinds=o["consent"],
            transmit_to=o["transmit_to"],
            language=o["language"],
            handler=handler,
        )
        self.stdout.write(
            f"registered {request.number} ({request.type}, by {request.channel}), received "
            f"{request.received_at.astimezone(clock.AMSTERDAM).date().isoformat()}; promised by "
            f"{request.promise_due.isoformat()}, legally due {request.legal_due.isoformat()}"
        )
        if not request.subject_rows:
            return self._answer_no_data(request)
        if not o["no_verify"]:
            self._verify(request.number)

    def _answer_no_data(self, request):
        if not request.is_open:
            self.stdout.write("no personal data is held under these identifiers: answered by e-mail, and closed")
            return
        notice = privacy_request_answer_no_data(actor=CLI, request=request, by_post=not request.email)
        if notice.emailed:
            self.stdout.write("no personal data is held under these identifiers: answered by e-mail, and closed")
            return
        self.stdout.write("no personal data is held under these identifiers: post this answer, then it is closed")
        self.stdout.write(notice.subject)
        self.stdout.write(notice.body)

    def _access(self, o):
        out = Path(o["out"])
        if out.suffix.lower() != ".zip" or not out.parent.is_dir():
            raise ValidationError("privacy.out_not_zip", field="out")
        handler = Account.objects.filter(email=o["handler"].strip().lower(), is_active=True).first()
        if handler is None:
            raise ValidationError("privacy.account_unknown", field="handler")
        with transaction.atomic():
            request = privacy_request_create(
                actor=handler,
                type=PrivacyRequest.Type.ACCESS,
                channel=o["channel"],
                received_at=clock.parse_date(o["received"]) if o["received"] else clock.today(),
                email=o["email"],
                phone=o["phone"],
                customer_number=o["customer"],
                name=o["name"],
                postcode=o["postcode"],
                country=o["country"],
                language=o["language"],
                handler=handler,
            )
            privacy_request_verify_by_staff(actor=handler, request=request, note=o["checked"])
            path, counts = privacy_request_fulfil(
                actor=handler, request=request, by_post=True, copy_to=out, note="sent by post"
            )
        self.stdout.write(
            f"{request.number}: access package written to {out} ({counts.get('records', counts.get('rows', 0))} records); "
            f"stored as {path.name}; the request is recorded and answered"
        )

    def _handler(self, email: str) -> Account:
        handler = Account.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
        if handler is None:
            raise ValidationError("privacy.account_unknown", field="handler")
        return handler

    def _extend(self, o):
        handler = self._handler(o["handler"])
        request = PrivacyRequest.objects.filter(number=(o["number"] or "").strip().upper()).first()
        if request is None:
            raise NotFound("privacy.no_such_request")
        try:
            notice = privacy_request_extend(actor=handler, request=request, reason=o["reason"], by_post=o["by_post"])
        except (OSError, smtplib.SMTPException) as exc:
            raise CommandError(
                f"the notice of extension of {request.number} could not be e-mailed ({type(exc).__name__}); "
                "nothing was changed — try again, or use --by-post",
                returncode=1,
            ) from None
        line = f"{request.number}: extended to {request.extended_due.isoformat()}"
        if notice.emailed:
            self.stdout.write(f"{line}; the requester was told why by e-mail")
            return
        self.stdout.write(f"{line}; post this notice today:")
        self.stdout.write(notice.subject)
        self.stdout.write(notice.body)

    def _verify(self, number: str):
        request = PrivacyRequest.objects.filter(number=(number or "").strip().upper()).first()
        if request is None:
            raise NotFound("privacy.no_such_request")
        try:
            started = privacy_request_start_verification(actor=CLI, request=request)
        except (OSError, smtplib.SMTPException) as exc:
            raise CommandError(
                f"the identity check of {request.number} could not be e-mailed ({type(exc).__name__}); "
                f"the request is registered — try again with: waarborg privacy verify {request.number}",
                returncode=1,
            ) from None
        if started.emailed:
            what = "a one-time confirmation link" if started.kind == "email_link" else "a link to upload an ID copy"
            self.stdout.write(f"identity check: {what} was e-mailed to the requester")
        else:
            self.stdout.write("identity check: no e-mail address — post this one-time link to upload an ID copy:")
            self.stdout.write(f"  {started.url}")

    def _queue(self, o):
        day = clock.parse_date(o["as_of"]) if o["as_of"] else clock.today()
        if o["all"]:
            qs = PrivacyRequest.objects.select_related("handler")
            rows = sorted((queue_row(r, day) for r in qs), key=lambda r: (r.due, r.promise_due, r.request.pk))
        else:
            rows = queue_for_system(today=day)
        if o["format"] == "json":
            self.stdout.write(json.dumps([_json_row(r) for r in rows], indent=2))
            return
        self.stdout.write(
            f"{'number':<9} {'type':<13} {'status':<11} {'received':<10} {'day':>4} {'promised':<10} {'due':<10} "
            f"{'answered':<10}  flags"
        )
        for r in rows:
            answered = r.answered.isoformat() if r.answered else "-"
            self.stdout.write(
                f"{r.request.number:<9} {r.request.type:<13} {r.request.status:<11} {r.received.isoformat():<10} "
                f"{r.day:>4} {r.promise_due.isoformat():<10} {r.due.isoformat():<10} {answered:<10}  "
                f"{', '.join(_flags(r))}"
            )
        overdue = sum(1 for r in rows if r.overdue)
        self.stdout.write(f"{len(rows)} requests as of {day.isoformat()}; {overdue} overdue")


def _flags(r) -> list[str]:
    """LATE: after the legal term; OVERDUE: not answered and past the promised (or extended)
    date; PROMISE MISSED: answered, but the first response came after the promised date."""
    flags = []
    if r.late:
        flags.append("LATE")
    if r.overdue:
        flags.append("OVERDUE")
    if r.answered and r.within_promise is False:
        flags.append("PROMISE MISSED")
    if r.extended_due:
        flags.append("extended")
    if r.sla_paused:
        flags.append("SLA paused (awaiting ID)")
    elif r.paused_days:
        flags.append(f"promise moved {r.paused_days} day(s): awaited the requester")
    return flags


def _date(value):
    return value.isoformat() if value else None


def _json_row(r) -> dict:
    return {
        "number": r.request.number,
        "type": r.request.type,
        "status": r.request.status,
        "channel": r.request.channel,
        "received": r.received.isoformat(),
        "day": r.day,
        "promise_due": r.promise_due.isoformat(),
        "legal_due": r.legal_due.isoformat(),
        "extended_due": _date(r.extended_due),
        "due": r.due.isoformat(),
        "days_left": r.days_left,
        "overdue": r.overdue,
        "late": r.late,
        "sla_paused": r.sla_paused,
        "sla_due": r.sla_due.isoformat(),
        "paused_days": r.paused_days,
        "answered": _date(r.answered),
        "first_response": _date(r.first_response),
        "within_promise": r.within_promise,
        "within_legal": r.within_legal,
        "handler": r.request.handler_id,
    }
