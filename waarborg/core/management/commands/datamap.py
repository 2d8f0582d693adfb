import json

from django.core.management.base import BaseCommand

from waarborg.core import datamap_output


class Command(BaseCommand):
    help = "Print the personal-data map: every personal field with category, purposes, basis, retention and erasure."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("markdown", "json"), default="markdown")

    def handle(self, *args, **options):
        if options["format"] == "json":
            self.stdout.write(json.dumps(datamap_output.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(datamap_output.as_markdown(), ending="")
