import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from waarborg.audit.services import audit_record
from waarborg.core.actors import CLI
from waarborg.core.errors import ValidationError
from waarborg.subjects.finder import Query, subject_find


class Command(BaseCommand):
    help = "Find every row about a data subject, with the rule that linked each row."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        find = sub.add_parser("find", help="find a subject by one identifier (or name with postcode)")
        find.add_argument("--email")
        find.add_argument("--phone")
        find.add_argument("--customer", help="customer number, e.g. K100001")
        find.add_argument("--ip")
        find.add_argument("--name", help="full name; only with --postcode")
        find.add_argument("--postcode")
        find.add_argument(
            "--country", default="NL", help="the country of --phone and --postcode (ISO code, default NL)"
        )
        find.add_argument("--format", choices=("text", "json"), default="text")
        find.add_argument("--purpose", default="U15", help="purpose id recorded in the audit trail")

    def handle(self, *args, action, **o):
        query = Query(
            email=o["email"],
            phone=o["phone"],
            customer_number=o["customer"],
            ip=o["ip"],
            name=o["name"],
            postcode=o["postcode"],
            country=o["country"],
        )
        try:
            with transaction.atomic():
                hits = subject_find(query)
                audit_record(
                    actor=CLI,
                    action="subject.find",
                    purpose=o["purpose"],
                    object_type="subject",
                    data={"by": sorted(query.normalised()), "rows": len(hits)},
                )
        except ValidationError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if o["format"] == "json":
            self.stdout.write(json.dumps([h.as_dict() for h in hits], indent=2))
        else:
            for h in hits:
                self.stdout.write(f"{h.model:<28} {str(h.pk):>8}  {h.field:<24} {h.rule}")
        if not hits:
            raise CommandError("no subject found for these identifiers", returncode=1)
        if o["format"] == "text":
            self.stdout.write(f"{len(hits)} rows")
