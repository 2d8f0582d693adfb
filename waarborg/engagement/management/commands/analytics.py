import json

from django.core.management.base import BaseCommand, CommandError

from waarborg.core import clock
from waarborg.core.datamap import add_term
from waarborg.engagement.selectors import page_view_totals


class Command(BaseCommand):
    help = "Website use from the first-party page views (with consent only): views and browsers per page."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="first day (YYYY-MM-DD); default 30 days ago")
        parser.add_argument("--to", dest="end", help="last day (YYYY-MM-DD); default today")
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, **o):
        end = clock.parse_date(o["end"]) if o["end"] else clock.today()
        start = clock.parse_date(o["start"]) if o["start"] else add_term(end, days=-29)
        if start > end:
            raise CommandError("--from lies after --to", returncode=2)
        rows = page_view_totals(start=start, end=end)
        if o["format"] == "json":
            data = {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "pages": [{"path": r.path, "views": r.views, "browsers": r.browsers} for r in rows],
            }
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(f"page views {start.isoformat()} to {end.isoformat()} (browsers that consented only)")
        for r in rows:
            self.stdout.write(f"{r.views:>8} views {r.browsers:>6} browsers  {r.path}")
        self.stdout.write(f"{sum(r.views for r in rows):>8} views in total")
