"""Erasure benchmark: erasing one subject, the residual scan, and the daily retention sweep.

    python bench/bench_erasure.py [--sizes 100000,1000000] [--seed 1] [--subjects 5] [--scans 2]
    DATABASE_URL=postgres://user@host:5432/dbname python bench/bench_erasure.py --backends postgresql --sizes 100000

Each size runs in its own process on a fresh SQLite database in a temporary data directory
(seeded with `waarborg.demo.seed.seed`, as `waarborg seed --customers N --seed S`); with
DATABASE_URL set, the same again on PostgreSQL in a fresh schema that is dropped afterwards.
See README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time

from common import backends as chosen_backends
from common import checkpoint, database, print_rows, run_child, say

ERASE_TARGET_S = 1.0
SWEEP_TARGET_S = 60.0  # 1M customers, 1 % of the rows due, SQLite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated customer counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--subjects", type=int, default=5, help="subjects erased per size (the median is reported)")
    parser.add_argument("--scans", type=int, default=2, help="residual scans timed per size")
    parser.add_argument("--due", type=float, default=0.01, help="share of all rows due in the sweep run")
    parser.add_argument(
        "--backends", default="", help="sqlite and/or postgresql (default: both when DATABASE_URL is set)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--schema", default="", help=argparse.SUPPRESS)
    parser.add_argument("--fixed-due", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args)))
        return 0
    try:
        sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    except ValueError:
        parser.error("--sizes takes whole numbers, e.g. 100000,1000000")
    if not sizes or min(sizes) < 1000:
        parser.error("--sizes takes numbers of at least 1000")
    results = []
    for backend in chosen_backends(args.backends, parser):
        fixed_due = 0
        for size in sizes:
            print(f"… {backend}, {size:,} customers", file=sys.stderr, flush=True)
            child_args = [
                f"--size={size}",
                f"--seed={args.seed}",
                f"--subjects={args.subjects}",
                f"--scans={args.scans}",
                f"--due={args.due}",
                f"--fixed-due={fixed_due}",
            ]
            found = run_child(__file__, child_args, backend=backend, schema=f"waarborg_bench_erasure_{size}")
            if not found:
                return 1
            result = found[-1]
            fixed_due = fixed_due or result["sweep"]["due"]["rows"]  # the smallest size's 1 %, at every size
            results.append(result)
    print_table(results, args)
    return 0


# --- In the child process ---------------------------------------------------------------------


def child(args) -> dict:
    import logging

    with database(args.schema) as connection:
        from django.core.management import call_command

        from waarborg.demo.seed import seed as seed_data

        logging.disable(logging.WARNING)
        call_command("migrate", verbosity=0, interactive=False)
        say(f"seeding {args.size:,} customers")
        report = seed_data(args.size, seed=args.seed)
        say(f"seeded in {report.seconds:.0f} s")
        checkpoint()
        rows = sum(report.counts.values())
        result = {
            "backend": connection.vendor,
            "customers": args.size,
            "rows": rows,
            "seed_s": round(report.seconds, 1),
        }
        result["erase"] = erase_subjects(report, args.subjects, args.scans)
        say(f"erasure: {json.dumps(result['erase'])}")
        result["sweep"] = sweep(rows, args.due, args.fixed_due)
        say(f"sweep: {json.dumps(result['sweep'])}")
        return result


def erase_subjects(report, n: int, scans: int) -> dict:
    """Erase `n` private customers whose contract ended (nothing owed, no hold) from the middle."""
    from waarborg.customers.models import Contact, Customer
    from waarborg.erasure import services
    from waarborg.erasure.models import ErasureCase
    from waarborg.erasure.plan import erasure_plan
    from waarborg.erasure.residual import kept_from_plan, residual_scan
    from waarborg.subjects.finder import Query, subject_find

    middle = (report.first_customer_id + report.last_customer_id) // 2
    contacts = list(
        Contact.objects.filter(
            customer_id__gte=middle, role="primary", customer__kind=Customer.Kind.PRIVATE, customer__status="ended"
        )
        .exclude(phone="")
        .order_by("customer_id")[:n]
    )
    erase_ms, cpu_ms, scan_ms, rows, statuses, scan_result = [], [], [], [], [], {}
    for index, contact in enumerate(contacts):
        query = Query(email=contact.email)
        plan = erasure_plan(subject_find(query))  # not timed: what the scan looks for, and where it may
        identifiers, kept = plan.identifiers, kept_from_plan(plan)
        started, cpu = time.perf_counter(), time.process_time()
        case = services.erasure_request(actor="cli", query=query, reason="benchmark", source="cli", scan=False)
        erase_ms.append((time.perf_counter() - started) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        rows.append(sum(sum(c.values()) for c in case.result["counts"].values()))
        if index < scans:
            started = time.perf_counter()
            result = residual_scan(identifiers, kept=kept, case_id=case.pk)
            scan_ms.append((time.perf_counter() - started) * 1000)
            scan_result = result.summary()
            statuses.append("clean" if result.ok else "FOUND")
        assert case.status in (ErasureCase.Status.COMPLETE, ErasureCase.Status.INCOMPLETE), case.status
    return {
        "subjects": len(contacts),
        "rows_per_subject": round(statistics.median(rows)),
        "erase_ms": round(statistics.median(erase_ms), 1),
        "erase_max_ms": round(max(erase_ms), 1),
        "erase_cpu_ms": round(statistics.median(cpu_ms), 1),
        "scan_ms": round(statistics.median(scan_ms), 1) if scan_ms else None,
        "scan": scan_result,
        "scan_verdicts": statuses,
    }


def _due_login_events(day: dt.date) -> int:
    from waarborg.accounts.models import LoginEvent
    from waarborg.core.datamap import LOGIN_6M
    from waarborg.retention.jobs import cutoff, on_or_before

    return LoginEvent.objects.filter(on_or_before(LoginEvent, "at", cutoff(LOGIN_6M, day))).count()


def _run_sweep(day: dt.date) -> tuple[float, dict]:
    from waarborg.core.daily import run_daily

    started, cpu = time.perf_counter(), time.process_time()
    counts = run_daily(day, only=["retention"])["retention"]
    seconds = time.perf_counter() - started
    say(
        f"sweep for {day} ({day:%a}): {seconds:.2f} s, {time.process_time() - cpu:.2f} s CPU, {sum(counts.values()):,} rows"
    )
    return seconds, counts


def _pick_day(today: dt.date, wanted: int) -> dt.date:
    """The day (from today on) on which about `wanted` sign-ins are due (sign-ins are the bulk)."""
    best, best_gap = today, None
    for offset in range(0, 60):
        day = today + dt.timedelta(days=offset)
        due = _due_login_events(day)
        gap = abs(due - wanted)
        if best_gap is None or gap < best_gap:
            best, best_gap = day, gap
        if due > wanted:
            break
    return best


def sweep(rows: int, share: float, fixed_due: int) -> dict:
    """The sweep on top of the seeded data:

    1. `settle` — today: what the seed made due already (withdrawn consents, ended contracts →
       erasure cases opened);
    2. `fixed` — a day on which as many rows are due as the smallest size's 1 % (same work,
       larger tables);
    3. `share` — a later day on which `share` of all rows is due;
    4. `idle` — the same day again: nothing is due.
    """
    from waarborg.core import clock

    today = clock.today()
    out = {}
    seconds, counts = _run_sweep(today)
    out["settle"] = {"s": round(seconds, 2), "rows": sum(counts.values()), "counts": counts, "day": today.isoformat()}
    target = int(rows * share)
    if fixed_due and fixed_due < target:
        day = _pick_day(today, fixed_due)
        seconds, counts = _run_sweep(day)
        out["fixed"] = {
            "s": round(seconds, 2),
            "rows": sum(counts.values()),
            "counts": counts,
            "day": day.isoformat(),
            "weekday": day.strftime("%a"),
        }
    already = _due_login_events(today)
    day = _pick_day(today, target + already)
    seconds, counts = _run_sweep(day)
    out["due"] = {
        "s": round(seconds, 2),
        "rows": sum(counts.values()),
        "counts": counts,
        "day_offset": (day - today).days,
        "day": day.isoformat(),
        "weekday": day.strftime("%a"),
    }
    seconds, counts = _run_sweep(day)
    out["idle"] = {"s": round(seconds, 2), "rows": sum(counts.values())}
    return out


# --- Report -----------------------------------------------------------------------------------


def print_table(results: list[dict], args) -> None:
    print(f"\nWaarborg erasure benchmark — seed {args.seed}\n")
    head = [
        "backend",
        "customers",
        "rows",
        "erase ms (median/max)",
        "rows/subject",
        "scan s",
        "sweep 1% s",
        "rows due",
        "idle s",
    ]
    body = []
    for r in results:
        e, s = r["erase"], r["sweep"]
        body.append(
            [
                r["backend"],
                f"{r['customers']:,}",
                f"{r['rows']:,}",
                f"{e['erase_ms']:.0f} / {e['erase_max_ms']:.0f}",
                str(e["rows_per_subject"]),
                f"{e['scan_ms'] / 1000:.1f}" if e["scan_ms"] is not None else "-",
                f"{s['due']['s']:.1f}",
                f"{s['due']['rows']:,}",
                f"{s['idle']['s']:.2f}",
            ]
        )
    print_rows(head, body)
    print("\nSweep runs (seconds, rows erased or cases opened):")
    for r in results:
        s = r["sweep"]
        parts = [f"settle {s['settle']['s']:.1f} s / {s['settle']['rows']:,}"]
        if "fixed" in s:
            parts.append(f"fixed ({s['fixed']['weekday']}) {s['fixed']['s']:.1f} s / {s['fixed']['rows']:,}")
        parts.append(f"1% ({s['due']['weekday']}) {s['due']['s']:.1f} s / {s['due']['rows']:,}")
        parts.append(f"idle {s['idle']['s']:.2f} s")
        print(f"  {r['backend']:<10} {r['customers']:>10,}  " + "; ".join(parts))
        print(f"  {'':<10} {'':>10}  1% run per rule: {json.dumps(s['due']['counts'])}")
    print("\nResidual scan (one subject):")
    for r in results:
        e = r["erase"]
        print(f"  {r['backend']:<10} {r['customers']:>10,}  {json.dumps(e['scan'])} {e['scan_verdicts']}")
    print("\nTargets:")
    for r in results:
        e, s = r["erase"], r["sweep"]
        verdicts = [
            f"erasure < {ERASE_TARGET_S:.0f} s: {'met' if e['erase_max_ms'] < ERASE_TARGET_S * 1000 else 'MISSED'} "
            f"(slowest {e['erase_max_ms']:.0f} ms)"
        ]
        if r["backend"] == "sqlite" and r["customers"] >= 1_000_000:
            verdicts.append(
                f"sweep with 1% due < {SWEEP_TARGET_S:.0f} s: {'met' if s['due']['s'] < SWEEP_TARGET_S else 'MISSED'} "
                f"({s['due']['s']:.1f} s)"
            )
        print(f"  {r['backend']:<10} {r['customers']:>10,}  " + "; ".join(verdicts))
    for backend in sorted({r["backend"] for r in results}):
        runs = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["customers"])
        if len(runs) > 1:
            small, large = runs[0], runs[-1]
            if "fixed" in large["sweep"]:
                print(
                    f"  {backend:<10} the same work ({small['sweep']['due']['rows']:,} vs {large['sweep']['fixed']['rows']:,} "
                    f"rows due) takes {small['sweep']['due']['s']:.1f} s at {small['customers']:,} customers and "
                    f"{large['sweep']['fixed']['s']:.1f} s at {large['customers']:,}; nothing due: "
                    f"{small['sweep']['idle']['s']:.2f} s vs {large['sweep']['idle']['s']:.2f} s"
                )
            print(
                f"  {backend:<10} erasing one subject: {small['erase']['erase_ms']:.0f} ms at {small['customers']:,}, "
                f"{large['erase']['erase_ms']:.0f} ms at {large['customers']:,} customers"
            )


if __name__ == "__main__":
    sys.exit(main())
