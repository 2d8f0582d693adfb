import json

from django.core.management.base import BaseCommand

from waarborg.register import processing


class Command(BaseCommand):
    help = "Print the record of processing activities (art. 30 GDPR), generated from the personal-data map."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("markdown", "json", "csv"), default="markdown")
        parser.add_argument("--lang", choices=("nl", "en"), default="nl")

    def handle(self, *args, **options):
        record = processing.processing_record(options["lang"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(processing.as_json(record), indent=2, ensure_ascii=False))
        elif options["format"] == "csv":
            self.stdout.write(processing.as_csv(record), ending="")
        else:
            self.stdout.write(processing.as_markdown(record), ending="")
