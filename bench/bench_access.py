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
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).absolute().parent.parent
TARGET_MS = 1000.0  # finder + access package, per subject
GROWTH_LIMIT = 2.0  # largest size against the smallest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated customer counts, ascending")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (the median is reported)")
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
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    results = []
    for backend in backends:
        print(f"… {backend}: {', '.join(f'{s:,}' for s in sizes)} customers", file=sys.stderr, flush=True)
        found = run_child(backend, sizes, args.seed, args.runs)
        if found is None:
            return 1
        results += found
    print_table(results, args)
    return 0


def run_child(backend: str, sizes: list[int], seed: int, runs: int) -> list[dict] | None:
    data_dir = tempfile.mkdtemp(prefix="waarborg-bench-")
    env = dict(os.environ, WAARBORG_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="config.settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        f"--sizes={','.join(map(str, sizes))}",
        f"--seed={seed}",
        f"--runs={runs}",
    ]
    if backend == "sqlite":
        env.pop("DATABASE_URL", None)
    else:
        command.append(f"--schema=waarborg_bench_access_{os.getpid()}")
    try:
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if done.returncode != 0:
        print(f"benchmark failed for {backend}:\n{done.stderr.strip()}", file=sys.stderr)
        return None
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def child(sizes: list[int], seed: int, runs: int, schema: str):
    import django
    from django.conf import settings

    if schema:
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"-c search_path={schema}"
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from waarborg.customers.models import Customer

    if schema:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
    try:
        call_command("migrate", verbosity=0, interactive=False)
        seeded, subject = 0, None
        for step, size in enumerate(sizes):
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
    finally:
        if schema:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.close()


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
    widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(head, widths, strict=True))))
    print("  ".join("-" * w for w in widths))
    for row in body:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
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
