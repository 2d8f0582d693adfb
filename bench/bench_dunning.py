"""Dunning benchmark: the daily run over many customers, of whom a share is overdue.

    python bench/bench_dunning.py [--customers 1000000] [--invoices 12] [--overdue 0.05,0.01] [--seed 1]

For each overdue share a separate process (settings are read from the environment at import)
gets a fresh SQLite database in a temporary data directory (and, with DATABASE_URL set, the same
again on PostgreSQL in a fresh schema that is dropped afterwards), fills it with the bench-only
generator (bench/dunning_data.py) and times, on the day of the run:

- cold: the first run, which opens a case for every customer in arrears and takes its first step;
- again: the same day once more (idempotent: nothing to do);
- notices: rendering and sending the queued notices (Django's dummy mail backend: the text is
  rendered and handed to the backend, nothing leaves the machine);
- next day: the run one day later (the steps are a week apart: almost nothing is due);
- week later: the run seven days later, when every case takes its second step.

See README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time

from common import backends as chosen_backends
from common import checkpoint, database, database_bytes, print_rows, run_child, say

DAY = dt.date(2026, 7, 1)
TARGET_S = 60.0  # 1M customers, 12M invoices, 5 % overdue, SQLite: the cold run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--invoices", type=int, default=12, help="invoices per customer")
    parser.add_argument("--overdue", default="0.05,0.01", help="comma-separated shares of invoices overdue")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--backends", default="", help="sqlite and/or postgresql (default: both when DATABASE_URL is set)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--share", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--schema", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.customers, args.invoices, args.share, args.seed, args.schema)))
        return 0
    try:
        shares = [float(s) for s in args.overdue.split(",") if s.strip()]
    except ValueError:
        parser.error("--overdue takes numbers, e.g. 0.05,0.01")
    if not shares or not all(0 < s <= 1 for s in shares) or args.customers < 1 or args.invoices < 2:
        parser.error("--overdue shares lie in (0, 1]; --customers >= 1; --invoices >= 2")
    results, failed = [], False
    for backend in chosen_backends(args.backends, parser):
        for share in shares:
            print(f"… {backend}, {args.customers:,} customers, {share:.0%} overdue", file=sys.stderr, flush=True)
            child_args = [
                f"--customers={args.customers}",
                f"--invoices={args.invoices}",
                f"--share={share}",
                f"--seed={args.seed}",
            ]
            found = run_child(__file__, child_args, backend=backend, schema="waarborg_bench_dunning")
            if not found:
                failed = True
                continue
            results.append(found[-1])
    if results:
        print_table(results)
    return 1 if failed else 0


def _timed(func):
    """(wall seconds, CPU seconds of this process, value): the machine may be shared."""
    started, cpu = time.perf_counter(), time.process_time()
    value = func()
    return round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2), value


def child(customers: int, invoices: int, share: float, seed: int, schema: str) -> dict:
    with database(schema) as connection:
        from django.conf import settings
        from django.core.management import call_command
        from dunning_data import generate

        from waarborg.core.daily import run_daily

        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        call_command("migrate", verbosity=0, interactive=False)
        say(f"generating {customers:,} customers × {invoices} invoices, {share:.0%} overdue")
        data = generate(customers, day=DAY, overdue=share, invoices=invoices, seed=seed)
        say(f"generated in {data['seconds']:.0f} s: {json.dumps(data)}")
        checkpoint()
        db_mb = round(database_bytes(schema) / 1e6)
        phases = {}
        for name, day, jobs in (
            ("cold", DAY, ["dunning"]),
            ("again", DAY, ["dunning"]),
            ("notices", DAY, ["dunning-notices"]),
            ("next day", DAY + dt.timedelta(days=1), ["dunning"]),
            ("week later", DAY + dt.timedelta(days=7), ["dunning"]),
        ):
            seconds, cpu, counts = _timed(lambda day=day, jobs=jobs: run_daily(day, only=jobs))
            phases[name] = {"s": seconds, "cpu": cpu, "counts": counts[jobs[0]]}
            say(f"{name}: {seconds:.1f} s, {json.dumps(phases[name]['counts'])}")
        return {
            "backend": connection.vendor,
            "customers": customers,
            "invoices": data["invoices"],
            "overdue_share": share,
            "overdue_invoices": data["overdue_invoices"],
            "late_customers": data["late_customers"],
            "generate_s": data["seconds"],
            "db_mb": db_mb,
            "phases": phases,
        }


def print_table(results: list[dict]) -> None:
    print("\nWaarborg dunning benchmark — the daily run, seconds (and µs per overdue invoice)\n")
    names = ["cold", "again", "notices", "next day", "week later"]
    head = ["backend", "customers", "invoices", "overdue", "cases", "generate s", "db MB"] + names
    body = []
    for r in results:
        per = 1e6 / max(r["overdue_invoices"], 1)
        body.append(
            [
                r["backend"],
                f"{r['customers']:,}",
                f"{r['invoices']:,}",
                f"{r['overdue_invoices']:,} ({r['overdue_share']:.0%})",
                f"{r['late_customers']:,}",
                f"{r['generate_s']:.0f}",
                f"{r['db_mb']:,}",
            ]
            + [f"{r['phases'][n]['s']:.1f} ({r['phases'][n]['s'] * per:.0f})" for n in names]
        )
    print_rows(head, body)
    print("\nWhat each run did (wall and CPU seconds of the run's own process):")
    for r in results:
        for n in names:
            phase = r["phases"][n]
            counts = ", ".join(f"{k}={v}" for k, v in phase["counts"].items()) or "nothing"
            print(
                f"  {r['backend']:<10} {r['overdue_share']:>4.0%}  {n:<10} {phase['s']:>7.1f} s {phase['cpu']:>7.1f} cpu  {counts}"
            )
    print("\nTargets:")
    full = 12_000_000 * 0.05  # overdue invoices at 1M customers, 12M invoices, 5 %
    for r in results:
        if abs(r["overdue_share"] - 0.05) > 1e-9:
            continue
        cold = r["phases"]["cold"]["s"]
        day = cold + r["phases"]["notices"]["s"]
        at_size = r["invoices"] >= 12_000_000
        scale = 1.0 if at_size else full / max(r["overdue_invoices"], 1)
        verdict = "met" if cold * scale < TARGET_S else "MISSED"
        note = "" if at_size else f", {cold * scale:.1f} s scaled to {full:,.0f} overdue invoices"
        if r["backend"] != "sqlite":
            verdict = "(the target is for SQLite)"
        print(
            f"  {r['backend']:<10} dunning run < {TARGET_S:.0f} s at 1M customers / 12M invoices, 5 % overdue: "
            f"{verdict} ({cold:.1f} s for {r['overdue_invoices']:,} overdue invoices{note}); "
            f"with its notices rendered and sent: {day:.1f} s" + ("" if at_size else f" ({day * scale:.1f} s scaled)")
        )
    for backend in sorted({r["backend"] for r in results}):
        runs = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["overdue_share"])
        if len(runs) > 1:
            low, high = runs[0], runs[-1]
            lc, hc = low["phases"]["cold"]["s"], high["phases"]["cold"]["s"]
            ln, hn = lc + low["phases"]["notices"]["s"], hc + high["phases"]["notices"]["s"]
            print(
                f"  {backend:<10} dunning run at {low['overdue_share']:.0%} overdue: {lc:.1f} s, "
                f"at {high['overdue_share']:.0%}: {hc:.1f} s ({hc / max(lc, 0.01):.1f}× as long for "
                f"{high['overdue_invoices'] / max(low['overdue_invoices'], 1):.1f}× the overdue invoices); "
                f"with notices {ln:.1f} s vs {hn:.1f} s"
            )


if __name__ == "__main__":
    sys.exit(main())
