"""`waarborg exports access|portability|schema`: the packages of art. 15 and art. 20 from the command line.

For tests, benchmarks and manual work: a request from a data subject is handled by the privacy
workflow, which records the request and calls the same services.
"""

from django.core.management.base import BaseCommand, CommandError

from waarborg.core import clock
from waarborg.core.actors import CLI
from waarborg.core.errors import ValidationError
from waarborg.exports.schema import (
    SCHEMA_VERSION,
    VERSIONS_FILE,
    next_version,
    schema_changes,
    schema_text,
    versions_text,
)
from waarborg.exports.services import DEFAULT_PURPOSE, access_export, portability_export
from waarborg.subjects.finder import Query, subject_find


def _identifiers(parser):
    parser.add_argument("--email")
    parser.add_argument("--phone")
    parser.add_argument("--customer", help="customer number, e.g. K100001")
    parser.add_argument("--ip")
    parser.add_argument("--name", help="full name; only with --postcode")
    parser.add_argument("--postcode")
    parser.add_argument("--country", default="NL", help="the country of --phone and --postcode (ISO code, default NL)")
    parser.add_argument("--out", required=True, help="the ZIP file to write")
    parser.add_argument("--purpose", default=DEFAULT_PURPOSE, help="purpose id recorded in the audit trail")


class Command(BaseCommand):
    help = "Build the access (art. 15) or portability (art. 20) package of a data subject, or print the schema."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        access = sub.add_parser("access", help="the access package: a copy of the data and the art. 15(1) information")
        _identifiers(access)
        access.add_argument("--lang", choices=("nl", "en"), default="nl", help="the report shown first")
        portability = sub.add_parser("portability", help="the portability package: provided and observed data")
        _identifiers(portability)
        schema = sub.add_parser("schema", help="print the JSON Schema of the portability package's data.json")
        schema.add_argument(
            "--changes",
            action="store_true",
            help="say how the package's tables and columns differ from the current schema version "
            "(exit 1 when they do, with the version to record)",
        )

    def handle(self, *args, action, **o):
        if action == "schema":
            self._schema(o["changes"])
            return
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
            searched_by = sorted(query.normalised())
            hits = subject_find(query)
            if not hits:
                raise CommandError("no subject found for these identifiers", returncode=1)
            common = {
                "actor": CLI,
                "hits": hits,
                "out": o["out"],
                "purpose": o["purpose"],
                "searched_by": searched_by,
            }
            if action == "access":
                _, counts = access_export(lang_primary=o["lang"], **common)
            else:
                _, counts = portability_export(**common)
        except ValidationError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except OSError as exc:
            raise CommandError(f"cannot write {o['out']}: {exc.strerror or exc}", returncode=2) from None
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(f"{action} package written to {o['out']} ({summary})")

    def _schema(self, changes: bool) -> None:
        if not changes:
            self.stdout.write(schema_text(), ending="")
            return
        found = schema_changes()
        if not found:
            self.stdout.write(f"schema version {SCHEMA_VERSION}: the package's tables and columns match it")
            return
        for line in found:
            self.stdout.write(line)
        entry = next_version(found, clock.today().isoformat())
        self.stdout.write(
            f"\nRecord them as version {entry['version']}: add this version to {VERSIONS_FILE.name} "
            "(say in its changes what a reader of the package must know):\n"
        )
        self.stdout.write(versions_text([entry]), ending="")
        raise CommandError(f"the package differs from schema version {SCHEMA_VERSION}", returncode=1)
