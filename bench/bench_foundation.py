"""Foundation benchmark: bulk seeding, database size and the subject finder, per data-set size.

    python bench/bench_foundation.py [--sizes 10000,100000] [--seed 1] [--runs 20]

Each size runs in its own process (settings are read from the environment at import) on a
fresh SQLite database in a temporary data directory; when DATABASE_URL is set, the same again
on PostgreSQL, in a fresh schema of that database that is dropped afterwards. See README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from common import backends as chosen_backends
from common import database, database_bytes, print_rows, run_child

QUERIES = ("email", "phone", "customer", "ip", "name+postcode")
SEED_TARGET_S = 60.0  # 100k customers on SQLite
FINDER_TARGET_MS = 50.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated customer counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20, help="finder runs per query (the median is reported)")
    parser.add_argument(
        "--backends", default="", help="sqlite and/or postgresql (default: both when DATABASE_URL is set)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--schema", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.size, args.seed, args.runs, args.schema)))
        return 0
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes whole numbers, e.g. 10000,100000")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes takes positive numbers")
    results = []
    for backend in chosen_backends(args.backends, parser):
        for size in sizes:
            print(f"… {backend}, {size:,} customers", file=sys.stderr, flush=True)
            child_args = [f"--size={size}", f"--seed={args.seed}", f"--runs={args.runs}"]
            found = run_child(__file__, child_args, backend=backend, schema=f"waarborg_bench_{size}")
            if not found:
                return 1
            results.append(found[-1])
    print_table(results, args)
    return 0


def child(size: int, seed: int, runs: int, schema: str) -> dict:
    with database(schema) as connection:
        from django.core.management import call_command

        from waarborg.demo.seed import seed as seed_data

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_s = time.perf_counter() - started
        report = seed_data(size, seed=seed)
        result = {
            "backend": connection.vendor,
            "customers": size,
            "rows": sum(report.counts.values()),
            "migrate_s": round(migrate_s, 2),
            "seed_s": round(report.seconds, 2),
            "db_bytes": database_bytes(schema),
        }
        result["finder_ms"], result["finder_rows"] = finder_times(report, runs)
        return result


def finder_times(report, runs: int) -> tuple[dict, dict]:
    """Median time of the subject finder per identifier, for a customer in the middle of the set."""
    from waarborg.accounts.models import Account
    from waarborg.customers.models import Contact, Customer
    from waarborg.subjects.finder import Query, subject_find

    middle = (report.first_customer_id + report.last_customer_id) // 2
    contact = (
        Contact.objects.filter(customer_id__gte=middle, role="primary", customer__kind=Customer.Kind.PRIVATE)
        .exclude(phone="")
        .order_by("customer_id")
        .first()
    )
    account = Account.objects.get(contact=contact)
    ip = account.login_events.order_by("pk").values_list("ip_address", flat=True).first()
    queries = {
        "email": Query(email=contact.email),
        "phone": Query(phone=contact.phone),
        "customer": Query(customer_number=contact.customer.number),
        "ip": Query(ip=ip),
        "name+postcode": Query(name=f"{contact.first_name} {contact.last_name}", postcode=contact.postcode),
    }
    times, rows = {}, {}
    for label, query in queries.items():
        rows[label] = len(subject_find(query))  # warm-up, and a sanity check
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            subject_find(query)
            samples.append((time.perf_counter() - started) * 1000)
        times[label] = round(statistics.median(samples), 2)
    return times, rows


def print_table(results: list[dict], args) -> None:
    print(f"\nWaarborg foundation benchmark — seed {args.seed}, finder median of {args.runs} runs (ms)\n")
    head = ["backend", "customers", "rows", "seed s", "db MB"] + [f"{q} ms" for q in QUERIES]
    body = []
    for r in results:
        body.append(
            [
                r["backend"],
                f"{r['customers']:,}",
                f"{r['rows']:,}",
                f"{r['seed_s']:.1f}",
                f"{r['db_bytes'] / 2**20:.0f}",
            ]
            + [f"{r['finder_ms'][q]:.1f}" for q in QUERIES]
        )
    print_rows(head, body)
    print(
        "\nRows found per query:",
        ", ".join(f"{q} {results[-1]['finder_rows'][q]}" for q in QUERIES),
        f"({results[-1]['backend']}, {results[-1]['customers']:,})",
    )

    print("\nTargets:")
    for r in results:
        verdicts = []
        if r["backend"] == "sqlite" and r["customers"] >= 100_000:
            scaled = r["seed_s"] * 100_000 / r["customers"]
            verdicts.append(
                f"seed 100k < {SEED_TARGET_S:.0f} s: {'met' if scaled < SEED_TARGET_S else 'MISSED'} ({scaled:.1f} s per 100k)"
            )
        worst = max(r["finder_ms"].values())
        verdicts.append(
            f"finder < {FINDER_TARGET_MS:.0f} ms: {'met' if worst < FINDER_TARGET_MS else 'MISSED'} (slowest {worst:.1f} ms)"
        )
        print(f"  {r['backend']:<10} {r['customers']:>10,}  " + "; ".join(verdicts))
    for backend in sorted({r["backend"] for r in results}):
        runs = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["customers"])
        if len(runs) > 1:
            small, large = runs[0], runs[-1]
            growth = max(large["finder_ms"][q] / max(small["finder_ms"][q], 0.01) for q in QUERIES)
            print(
                f"  {backend:<10} finder time grows at most ×{growth:.1f} from {small['customers']:,} to {large['customers']:,} customers"
            )


if __name__ == "__main__":
    sys.exit(main())
