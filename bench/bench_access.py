"""Access-package benchmark: the art. 15 and art. 20 packages for one subject, as the data set grows.

    python bench/bench_access.py [--sizes 100000,1000000] [--seed 1] [--runs 7]

Per backend one process seeds a fresh database with `waarborg seed` up to the first size, picks
one private customer from the middle of the set, and times for that subject: the subject finder
plus the access package, the access package alone, and the finder plus the portability package
(median of --runs runs after a warm-up). Then it seeds on to the next size and times the same
subject again. SQLite in a temporary data directory; when DATABASE_URL is set, PostgreSQL too,
in a fresh schema of that database that is dropped afterwards. See README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time

from common import backends as chosen_backends
from common import database, print_rows, run_child, say

TARGET_MS = 1000.0  # finder + access package, per subject
GROWTH_LIMIT = 2.0  # largest size against the smallest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated customer counts, ascending")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (the median is reported)")
    parser.add_argument(
        "--backends", default="", help="sqlite and/or postgresql (default: both when DATABASE_URL is set)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--schema", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers, e.g. 100000,1000000")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes takes positive numbers")
    if args.runs < 1:
        parser.error("--runs takes a positive number")
    if args.child:
        for line in child(sizes, args.seed, args.runs, args.schema):
            print(json.dumps(line), flush=True)
        return 0
    results = []
    for backend in chosen_backends(args.backends, parser):
        print(f"… {backend}: {', '.join(f'{s:,}' for s in sizes)} customers", file=sys.stderr, flush=True)
        child_args = [f"--sizes={','.join(map(str, sizes))}", f"--seed={args.seed}", f"--runs={args.runs}"]
        found = run_child(__file__, child_args, backend=backend, schema="waarborg_bench_access")
        if not found:
            return 1
        results += found
    print_table(results, args)
    return 0


def child(sizes: list[int], seed: int, runs: int, schema: str):
    with database(schema) as connection:
        from django.core.management import call_command

        from waarborg.customers.models import Customer

        call_command("migrate", verbosity=0, interactive=False)
        seeded, subject = 0, None
        for step, size in enumerate(sizes):
            say(f"seeding up to {size:,} customers")
            started = time.perf_counter()
            # `waarborg seed` appends: each step adds the customers up to the next size.
            call_command("seed", customers=size - seeded, seed=seed + step, verbosity=0, stdout=io.StringIO())
            seed_s = time.perf_counter() - started
            seeded = size
            if subject is None:
                subject = pick_subject()
            result = {
                "backend": connection.vendor,
                "customers": Customer.objects.count(),
                "seed_s": round(seed_s, 1),
            }
            result.update(measure(subject, runs))
            yield result


def pick_subject() -> str:
    """The e-mail address of a private customer from the middle of the set, with a mandate and tickets."""
    from django.db.models import Exists, OuterRef

    from waarborg.billing.models import PaymentMethod
    from waarborg.correspondence.models import Ticket
    from waarborg.customers.models import Contact, Customer

    bounds = Customer.objects.order_by("pk").values_list("pk", flat=True)
    middle = (bounds.first() + bounds.last()) // 2
    contact = (
        Contact.objects.filter(customer_id__gte=middle, role="primary", customer__kind=Customer.Kind.PRIVATE)
        .filter(Exists(PaymentMethod.objects.filter(customer=OuterRef("customer"))))
        .filter(Exists(Ticket.objects.filter(customer=OuterRef("customer"))))
        .order_by("customer_id")
        .first()
    )
    if contact is None:  # a small set may have no customer with both
        contact = Contact.objects.filter(customer_id__gte=middle, role="primary").order_by("customer_id").first()
    return contact.email


def measure(email: str, runs: int) -> dict:
    from waarborg.exports.access import access_package_build
    from waarborg.exports.portability import portability_package_build
    from waarborg.subjects.finder import Query, subject_find

    def median_ms(work) -> float:
        work()  # warm-up
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            work()
            samples.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(samples), 1)

    query = Query(email=email)
    hits = subject_find(query)
    access = access_package_build(hits=hits)
    portability = portability_package_build(hits=hits)
    return {
        "rows": len(hits),
        "access_kb": round(len(access) / 1024, 1),
        "portability_kb": round(len(portability) / 1024, 1),
        "find_access_ms": median_ms(lambda: access_package_build(hits=subject_find(query))),
        "access_ms": median_ms(lambda: access_package_build(hits=hits)),
        "find_portability_ms": median_ms(lambda: portability_package_build(hits=subject_find(query))),
    }


def print_table(results: list[dict], args) -> None:
    print(f"\nWaarborg access-package benchmark — seed {args.seed}, median of {args.runs} runs (ms)\n")
    head = ["backend", "customers", "seed s", "rows", "access KB", "find+access", "access", "find+portability"]
    body = [
        [
            r["backend"],
            f"{r['customers']:,}",
            f"{r['seed_s']:.0f}",
            str(r["rows"]),
            f"{r['access_kb']:.0f}",
            f"{r['find_access_ms']:.1f}",
            f"{r['access_ms']:.1f}",
            f"{r['find_portability_ms']:.1f}",
        ]
        for r in results
    ]
    print_rows(head, body)
    print("\nTargets:")
    for r in results:
        met = r["find_access_ms"] < TARGET_MS
        print(
            f"  {r['backend']:<10} {r['customers']:>10,}  find + access < {TARGET_MS:.0f} ms: "
            f"{'met' if met else 'MISSED'} ({r['find_access_ms']:.1f} ms)"
        )
    for backend in sorted({r["backend"] for r in results}):
        runs = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["customers"])
        if len(runs) > 1:
            small, large = runs[0], runs[-1]
            growth = large["find_access_ms"] / max(small["find_access_ms"], 0.01)
            print(
                f"  {backend:<10} {large['customers']:,} against {small['customers']:,} customers: "
                f"×{growth:.2f} (within ×{GROWTH_LIMIT:.0f}: {'met' if growth <= GROWTH_LIMIT else 'MISSED'})"
            )


if __name__ == "__main__":
    sys.exit(main())
