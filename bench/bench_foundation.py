"""Foundation benchmark: bulk seeding, database size and the subject finder, per data-set size.

    python bench/bench_foundation.py [--sizes 10000,100000] [--seed 1] [--runs 20]

Each size runs in its own process (settings are read from the environment at import) on a
fresh SQLite database in a temporary data directory; when DATABASE_URL is set, the same again
on PostgreSQL, in a fresh schema of that database that is dropped afterwards. See README.md.
"""

from __future__ import annotations

import argparse
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
QUERIES = ("email", "phone", "customer", "ip", "name+postcode")
SEED_TARGET_S = 60.0  # 100k customers on SQLite
FINDER_TARGET_MS = 50.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated customer counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20, help="finder runs per query (the median is reported)")
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
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    results = []
    for backend in backends:
        for size in sizes:
            print(f"… {backend}, {size:,} customers", file=sys.stderr, flush=True)
            result = run_child(backend, size, args.seed, args.runs)
            if result is None:
                return 1
            results.append(result)
    print_table(results, args)
    return 0


def run_child(backend: str, size: int, seed: int, runs: int) -> dict | None:
    data_dir = tempfile.mkdtemp(prefix="waarborg-bench-")
    env = dict(os.environ, WAARBORG_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="config.settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        f"--size={size}",
        f"--seed={seed}",
        f"--runs={runs}",
    ]
    if backend == "sqlite":
        env.pop("DATABASE_URL", None)
    else:
        command.append(f"--schema=waarborg_bench_{size}_{os.getpid()}")
    try:
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if done.returncode != 0:
        print(f"benchmark failed for {backend} at {size:,} customers:\n{done.stderr.strip()}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(size: int, seed: int, runs: int, schema: str) -> dict:
    import django
    from django.conf import settings

    if schema:
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"-c search_path={schema}"
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    if schema:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_s = time.perf_counter() - started

        from waarborg.demo.seed import seed as seed_data

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
    finally:
        if schema:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.close()


def database_bytes(schema: str) -> int:
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
                [schema],
            )
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    name = Path(settings.DATABASES["default"]["NAME"])
    return sum(p.stat().st_size for p in (name, Path(f"{name}-wal"), Path(f"{name}-shm")) if p.exists())


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
    widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(head, widths, strict=True))))
    print("  ".join("-" * w for w in widths))
    for row in body:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
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
