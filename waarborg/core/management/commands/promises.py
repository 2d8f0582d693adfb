import json

from django.core.management.base import BaseCommand

from waarborg.core.promises import load_catalogue, scan_tests


class Command(BaseCommand):
    help = "Each promise of the privacy statement with the tests that prove it."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--missing", action="store_true", help="list only promises without a test")

    def handle(self, *args, **options):
        catalogue = load_catalogue()
        proofs = scan_tests()
        proven = [pid for pid in catalogue if proofs.get(pid)]
        if options["format"] == "json":
            out = {pid: {"text": p.text, "tests": proofs.get(pid, [])} for pid, p in catalogue.items()}
            self.stdout.write(json.dumps({"promises": out, "proven": len(proven), "total": len(catalogue)}, indent=2))
        else:
            for pid, promise in catalogue.items():
                tests = proofs.get(pid, [])
                if options["missing"] and tests:
                    continue
                self.stdout.write(f"{pid:<4} {promise.text}")
                for test in tests:
                    self.stdout.write(f"       {test}")
                if not tests:
                    self.stdout.write("       (no test yet)")
        self.stdout.write(f"proven: {len(proven)} of {len(catalogue)} promises")
