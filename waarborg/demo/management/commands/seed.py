from django.core.management.base import BaseCommand, CommandError

from waarborg.core.errors import ConfigError
from waarborg.demo.seed import seed as seed_data


class Command(BaseCommand):
    help = "Append a deterministic synthetic data set of any size (for load tests and benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=1000, help="how many customers to add (default 1000)")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed; the same seed on the same database gives the same rows"
        )
        parser.add_argument("--batch", type=int, default=5000, help="customers per insert batch (default 5000)")

    def handle(self, *args, customers: int, seed: int, batch: int, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        verbose = options["verbosity"] >= 2

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stdout.write(f"  {done}/{total} customers")

        try:
            report = seed_data(customers, seed=seed, batch=batch, progress=progress)
        except ConfigError as exc:
            raise CommandError(str(exc)) from None
        width = max(len(k) for k in report.counts)
        for key, value in report.counts.items():
            self.stdout.write(f"{key:<{width}}  {value:>10}")
        total = sum(report.counts.values())
        self.stdout.write(
            f"Seeded {total} rows for customers #{report.first_customer_id}–#{report.last_customer_id} "
            f"in {report.seconds:.1f} s (seed {seed})."
        )
