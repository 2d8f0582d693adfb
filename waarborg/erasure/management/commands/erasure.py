import json

from django.core.management.base import BaseCommand, CommandError

from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.errors import NotFound, ValidationError
from waarborg.core.identifiers import NORMALISERS, normalise_customer_number
from waarborg.customers.models import Customer
from waarborg.customers.termination import customer_terminate
from waarborg.erasure.cases import erasure_plan_preview, minor_report_register
from waarborg.erasure.models import ErasureCase
from waarborg.erasure.replay import erasure_replay
from waarborg.erasure.residual import residual_scan_recorded
from waarborg.erasure.rules import AlreadyErased, ErasureFailed, clean_note
from waarborg.privacy.erasure_answer import offline_erasure_request, registered_request_erase
from waarborg.subjects.finder import Query

EXIT_NOT_FOUND = 1  # unknown, already erased, or the residual scan found data
EXIT_BAD_INPUT = 2
EXIT_HOLD = 3


def _identifier_args(parser, *, name_help="full name; only with --postcode"):
    parser.add_argument("--email")
    parser.add_argument("--phone")
    parser.add_argument("--customer", help="customer number, e.g. K100001")
    parser.add_argument("--ip")
    parser.add_argument("--name", help=name_help)
    parser.add_argument("--postcode")
    parser.add_argument("--country", default="NL", help="the country of --phone and --postcode (ISO code, default NL)")


def _query(o) -> Query:
    return Query(
        email=o.get("email"),
        phone=o.get("phone"),
        customer_number=o.get("customer"),
        ip=o.get("ip"),
        name=o.get("name"),
        postcode=o.get("postcode"),
        country=o.get("country") or "NL",
    )


class Command(BaseCommand):
    help = "Erasure: show the plan for a subject, run it, prove it (residual scan), replay after a restore."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        plan = sub.add_parser("plan", help="what erasing this subject would delete, change and keep, and why")
        _identifier_args(plan)
        plan.add_argument("--lang", choices=("nl", "en"), default="nl", help="language of the notice to the subject")
        plan.add_argument("--format", choices=("text", "json"), default="text")
        run = sub.add_parser("run", help="erase the subject (one transaction), then prove it")
        _identifier_args(run)
        run.add_argument("--reason", required=True, help="why (no personal data), e.g. 'verzoek per e-mail'")
        run.add_argument("--yes", action="store_true", help="confirm: without it nothing is erased")
        run.add_argument("--lang", choices=("nl", "en"), default="nl", help="language of the answer to the subject")
        run.add_argument(
            "--channel", choices=("email", "post", "phone"), default="email", help="how the request came in"
        )
        run.add_argument("--received", help="the date the request was received (YYYY-MM-DD); default today")
        run.add_argument(
            "--handler", default="", help="e-mail address of the privacy officer; default the only active one"
        )
        run.add_argument(
            "--checked",
            default="identity checked by the privacy officer against the details on file",
            help="how the identity was checked (no personal values)",
        )
        run.add_argument(
            "--request", default="", help="carry out this registered request (its plan approved), e.g. PV000012"
        )
        minor = sub.add_parser(
            "minor-report",
            help="record a report that a child's data was collected without a parent's consent, and erase it (M2)",
        )
        _identifier_args(minor)
        minor.add_argument("--details", required=True, help="what was reported, by whom (no personal values)")
        minor.add_argument("--yes", action="store_true", help="confirm: without it nothing is recorded or erased")
        end = sub.add_parser(
            "terminate", help="end a customer's contract: services end, the erasure runs once they have (R2)"
        )
        end.add_argument("--customer", required=True, help="customer number, e.g. K100001")
        end.add_argument("--reason", required=True, help="why (no personal data), e.g. 'opzegging per brief'")
        end.add_argument("--end-date", help="the day the services end (YYYY-MM-DD); default today")
        end.add_argument("--yes", action="store_true", help="confirm: without it nothing changes")
        sub.add_parser("replay", help="after restoring a backup: erase again what the ledger records")
        scan = sub.add_parser("scan", help="search every table and stored file for these identifiers")
        _identifier_args(scan, name_help="full name as written")
        scan.add_argument("--iban")
        scan.add_argument("--no-files", action="store_true", help="skip the stored files")
        cases = sub.add_parser("cases", help="list erasure cases (ids, status, holds)")
        cases.add_argument("--status", choices=ErasureCase.Status.values)
        cases.add_argument("--limit", type=int, default=50)

    def handle(self, *args, action, **o):
        try:
            return getattr(self, f"_{action.replace('-', '_')}")(o)
        except ValidationError as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from None

    # --- plan ---

    def _plan(self, o):
        try:
            plan = erasure_plan_preview(actor=CLI, query=_query(o))
        except (AlreadyErased, NotFound) as exc:
            raise CommandError(str(exc), returncode=EXIT_NOT_FOUND) from None
        if o["format"] == "json":
            data = plan.as_dict()
            data["notice"] = {"nl": plan.notice("nl"), "en": plan.notice("en")}
            self.stdout.write(json.dumps(data, indent=2, default=str))
            return
        self._print_plan(plan, o["lang"])

    def _print_plan(self, plan, lang):
        self.stdout.write(f"Erasure plan for {len(plan.subjects)} subject row(s), {len(plan.rows)} rows in all")
        for h in plan.holds:
            self.stdout.write(f"HOLD {h.code} ({h.article}): {h.en}")
        self.stdout.write("")
        self.stdout.write(f"{'action':<8} {'rows':>5}  {'model':<28} {'until':<10} {'locked':<6} fields")
        for g in plan.groups():
            until = g.until.isoformat() if g.until else ("-" if g.action == "delete" else "refs")
            self.stdout.write(
                f"{g.action:<8} {g.rows:>5}  {g.model:<28} {until:<10} {'yes' if g.restricted else '':<6} "
                f"{', '.join(g.fields)}"
            )
            for field_action in ("anonymise", "pseudonymise", "delete", "retain"):
                names = g.actions.get(field_action)
                if names:
                    why = f"  [{g.basis}, until {until}]" if field_action == "retain" else ""
                    self.stdout.write(f"{'':<16}{field_action:<13} {', '.join(names)}{why}")
        if not plan.changes and not plan.holds:
            self.stdout.write("\nNothing left to erase: this subject has been erased already.")
        self.stdout.write("")
        self.stdout.write(plan.notice(lang))

    # --- run ---

    def _run(self, o):
        if not o["yes"]:
            raise CommandError("add --yes to erase (see 'waarborg erasure plan' first)", returncode=EXIT_BAD_INPUT)
        reason = clean_note(o["reason"], field="reason", max_length=200, required=True)
        try:
            if o["request"]:
                case = registered_request_erase(number=o["request"], handler_email=o["handler"])
            else:
                case = offline_erasure_request(
                    query=_query(o),
                    reason=reason,
                    channel=o["channel"],
                    checked=o["checked"],
                    received=o["received"],
                    language=o["lang"],
                    handler_email=o["handler"],
                    on_recorded=lambda request: self.stdout.write(
                        f"privacy request {request.number} recorded (erasure, {o['channel']})"
                    ),
                )
        except (AlreadyErased, NotFound, ErasureFailed) as exc:
            raise CommandError(str(exc), returncode=EXIT_NOT_FOUND) from None
        self._report(case)

    def _report(self, case: ErasureCase) -> None:
        if case.status == ErasureCase.Status.ON_HOLD:
            holds = case.result.get("holds", [])
            named = "; ".join(f"{h['code']} ({h['article']}, {len(h['refs'])} item(s))" for h in holds)
            raise CommandError(
                f"erasure case {case.pk} is on hold: {named}; it runs by itself once released",
                returncode=EXIT_HOLD,
            )
        result = case.result
        self.stdout.write(f"erasure case {case.pk}: {case.status}")
        deleted = result.get("deleted", {})
        for label, n in deleted.items():
            self.stdout.write(f"  deleted {n:>6}  {label}")
        self.stdout.write(f"  changed {result.get('updated', 0):>6}  rows (anonymised or cleared)")
        self.stdout.write(f"  locked  {result.get('restricted', 0):>6}  rows (fiscal archive)")
        self.stdout.write(f"  files   {result.get('files', 0):>6}  stored files removed")
        scan = result.get("scan")
        if isinstance(scan, dict):
            self.stdout.write(
                f"  residual scan: {scan['fail']} failing, {scan['review']} to review, {scan['allowed']} in kept "
                f"records ({scan['tables']} tables, {scan['columns']} columns, {scan['files']} files)"
            )
        elif scan == "pending":
            self.stdout.write("  residual scan: runs after the commit")
            return
        if result.get("request"):
            self.stdout.write(f"  privacy request: {result['request']}")
        for line in result.get("scan_hits", []):
            self.stdout.write(f"    {line}")
        if case.status != ErasureCase.Status.COMPLETE:
            raise CommandError(
                f"erasure case {case.pk} is incomplete: personal data remained (see above)", returncode=EXIT_NOT_FOUND
            )

    # --- minor report (M2) and termination (R2) ---

    def _minor_report(self, o):
        if not o["yes"]:
            raise CommandError("add --yes to record the report and erase", returncode=EXIT_BAD_INPUT)
        query = _query(o)
        if not query.normalised():
            raise ValidationError("erasure.identifier_missing")
        try:
            case = minor_report_register(
                actor=CLI,
                details=o["details"],
                email=query.email,
                phone=query.phone,
                customer_number=query.customer_number,
                ip=query.ip,
                name=query.name,
                postcode=query.postcode,
                country=query.country,
            )
        except (AlreadyErased, ErasureFailed) as exc:
            raise CommandError(str(exc), returncode=EXIT_NOT_FOUND) from None
        if case.result == {"found": 0}:
            self.stdout.write(
                f"minor report recorded as erasure case {case.pk}: nothing is held under these identifiers"
            )
            return
        self.stdout.write(f"minor report recorded as erasure case {case.pk}")
        self._report(case)

    def _terminate(self, o):
        if not o["yes"]:
            raise CommandError("add --yes to end the contract", returncode=EXIT_BAD_INPUT)
        number = normalise_customer_number(o["customer"])
        customer = Customer.objects.filter(number=number, restricted_at__isnull=True).first()
        if customer is None:
            raise CommandError("no such customer", returncode=EXIT_NOT_FOUND)
        end = clock.parse_date(o["end_date"]) if o.get("end_date") else None
        case = customer_terminate(actor=CLI, customer=customer, reason=o["reason"], end_date=end)
        self.stdout.write(
            f"contract ended (services end {(end or clock.today()).isoformat()}); erasure case {case.pk} "
            "runs by itself once the last service has ended and nothing is owed"
        )

    # --- replay ---

    def _replay(self, o):
        counts = erasure_replay(actor=CLI)
        self.stdout.write(
            f"ledger entries: {counts['entries']} ({counts['restored_entries']} put back from the ledger file); "
            f"subjects erased again: {counts['erased_again']}"
        )

    # --- scan ---

    def _scan(self, o):
        identifiers: dict[str, set[str]] = {}
        for option, kind in (("email", "email"), ("phone", "phone"), ("customer", "customer_number"), ("ip", "ip")):
            if o.get(option):
                identifiers[kind] = {NORMALISERS[kind](o[option])}
        if o.get("iban"):
            identifiers["iban"] = {NORMALISERS["iban"](o["iban"])}
        if o.get("name"):
            identifiers["name"] = {" ".join(o["name"].split())}
        if not identifiers:
            raise ValidationError("erasure.scan_identifier_missing")
        result = residual_scan_recorded(actor=CLI, identifiers=identifiers, files=not o["no_files"])
        for hit in result.hits:
            self.stdout.write(hit.describe())
        s = result.summary()
        self.stdout.write(
            f"{s['fail']} failing, {s['review']} to review, {s['allowed']} in kept records "
            f"({s['tables']} tables, {s['columns']} columns, {s['files']} files searched)"
        )
        if not result.ok:
            raise CommandError("personal data of this subject remains outside the kept records", returncode=1)

    # --- cases ---

    def _cases(self, o):
        qs = ErasureCase.objects.all().order_by("-pk")
        if o.get("status"):
            qs = qs.filter(status=o["status"])
        for case in qs[: o["limit"]]:
            self.stdout.write(
                f"{case.pk:>6}  {case.source:<12} {case.status:<10} {case.hold or '-':<24} "
                f"opened {case.opened_at:%Y-%m-%d}  {case.subject_ref}"
            )
