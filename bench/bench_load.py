"""Load test of `waarborg serve`: throughput and latency of three pages under 4, 16 and 50 connections.

    python bench/bench_load.py [--customers 100000] [--connections 4,16,50] [--duration 10] [--workers 4]
    DATABASE_URL=postgres://user@host:5432/dbname python bench/bench_load.py --backends postgresql

Per backend: a fresh database (SQLite in a temporary data directory; on PostgreSQL a database
`waarborg_bench_load_<pid>` made next to the one DATABASE_URL names, dropped afterwards), `waarborg
migrate` and `waarborg seed --customers N`, then `waarborg serve --workers 4` on 127.0.0.1 and
`wrk` (Debian's package) against it, loopback only, each run bounded by --duration:

- on PostgreSQL, one target at a time at each number of connections: `/healthz` (the baseline:
  three small queries), the public privacy statement, the portal's "my data" signed in as a
  seeded customer, and the API's POST of a privacy request (each request about another seeded
  person, with a token of scope privacy-requests:write);
- on both backends, the mixed load: the four requests in turn on every connection.

It reports requests per second and the 50th, 95th and 99th percentile of the latency, the errors
(connection errors, timeouts, and answers other than 2xx/3xx), and whether the server's log has
a "database is locked". Targets: no error at any level; p95 of "my data" under 150 ms at 4
connections (PostgreSQL); no "database is locked" on SQLite. See README.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from common import backends as chosen_backends
from common import print_rows, say

ROOT = Path(__file__).absolute().parent.parent
HOST = "127.0.0.1"  # loopback only
WRK = shutil.which("wrk") or "/usr/bin/wrk"
PORTAL_PASSWORD = "waarborg-demo"  # the seed's portal accounts (waarborg.demo.data.DEMO_PASSWORD)
POOL_PER_RUN = 6000  # e-mail addresses a POST run may use (fewer on a small data set): one per request
TARGETS = ("healthz", "statement", "my data", "api post")
MY_DATA_P95_MS = 150.0
MAX_DURATION = 120
MAX_CONNECTIONS = 200

LUA = r"""
local kind, pool_file, offset, per_run, token, cookie = "", "", 0, 0, "", ""
local threads, counter, emails, turn = {}, 0, {}, 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter - 1)
  table.insert(threads, thread)
end

function init(args)
  kind, pool_file, offset, per_run, token, cookie = args[1], args[2], tonumber(args[3]), tonumber(args[4]), args[5], args[6]
  local nthreads = tonumber(args[7])
  if pool_file ~= "-" then
    local i = 0
    for line in io.lines(pool_file) do
      if i >= offset and i < offset + per_run and (i % nthreads) == tid then table.insert(emails, line) end
      i = i + 1
    end
  end
end

local function post()
  turn = turn + 1
  local email = emails[((turn - 1) % #emails) + 1]
  local body = '{"type": "access", "email": "' .. email .. '"}'
  return wrk.format("POST", "/api/v1/privacy-requests",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

local function get(path, with_cookie)
  local headers = {}
  if with_cookie then headers["Cookie"] = cookie end
  return wrk.format("GET", path, headers)
end

local mixed = 0
function request()
  if kind == "healthz" then return get("/healthz") end
  if kind == "statement" then return get("/privacy/") end
  if kind == "mydata" then return get("/portaal/gegevens/", true) end
  if kind == "post" then return post() end
  mixed = mixed + 1
  local m = mixed % 4
  if m == 0 then return get("/healthz") elseif m == 1 then return get("/privacy/")
  elseif m == 2 then return get("/portaal/gegevens/", true) else return post() end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, e.connect, e.read, e.write, e.status, e.timeout))
end
"""
KINDS = {"healthz": "healthz", "statement": "statement", "my data": "mydata", "api post": "post", "mixed": "mixed"}


def run(args: list[str], env: dict, *, timeout: int = 7200) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "waarborg", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise SystemExit(f"waarborg {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


PREPARE = """
import json
from waarborg.accounts.models import Account
from waarborg.api.services import api_token_create
from waarborg.customers.models import Contact, Customer

issued = api_token_create(actor="cli", name="load-test", scopes=["privacy-requests:write"], days=1)
emails = Contact.objects.exclude(email="").order_by("pk").values_list("email", flat=True)
pool = [e for e in emails.iterator() if e.count("@") == 1]
counted = {}
for e in pool:
    counted[e] = counted.get(e, 0) + 1
pool = [e for e in pool if counted[e] == 1]  # one person each: the API answers 422 for several
active = Account.objects.filter(role="customer", is_active=True, contact__customer__status=Customer.Status.ACTIVE)
middle = active.order_by("pk")[active.count() // 2]
print(json.dumps({"token": issued.secret, "pool": pool, "portal": middle.email}))
"""


def prepare(env: dict, customers: int, seed: int, work: Path) -> dict:
    say("migrate")
    run(["migrate", "-v0"], env)
    say(f"seed {customers:,} customers")
    started = time.perf_counter()
    run(["seed", "--customers", str(customers), "--seed", str(seed)], env)
    seeded = time.perf_counter() - started
    say(f"seeded in {seeded:.0f} s; the statement, a daily run and an audit check (for a healthy /healthz)")
    run(["daily", "--only", "statement"], env)
    run(["audit", "verify"], env)
    facts = json.loads(run(["shell", "-v0", "-c", PREPARE], env).strip().splitlines()[-1])
    (work / "pool.txt").write_text("\n".join(facts.pop("pool")) + "\n")
    facts["seed_seconds"] = seeded
    return facts


def sign_in(base: str, email: str) -> str:
    """The Cookie header of a signed-in portal session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/aanmelden/", timeout=30).read().decode()  # noqa: S310 (loopback)
    csrf = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "email": email, "password": PORTAL_PASSWORD}).encode()
    request = urllib.request.Request(base + "/aanmelden/", data=body, headers={"Referer": base + "/aanmelden/"})  # noqa: S310
    opener.open(request, timeout=30).read()  # noqa: S310
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit("could not sign in as the seeded portal account")
    check = opener.open(base + "/portaal/gegevens/", timeout=30)  # noqa: S310
    if check.status != 200 or "/aanmelden" in check.url:
        raise SystemExit("the signed-in session does not open 'my data'")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def serve(env: dict, port: int, workers: int, work: Path):
    out, err = (work / "serve.out").open("w"), (work / "serve.err").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "waarborg", "serve", "--bind", f"{HOST}:{port}", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=out,
        stderr=err,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5).read()  # noqa: S310
            return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"waarborg serve did not start: {(work / 'serve.err').read_text()[-800:]}") from None
            time.sleep(0.5)


def server_cpu_seconds(master: int) -> float:
    """User and system CPU time of the application server's processes (the master and its workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == master or ppid == master:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wrk(base: str, kind: str, connections: int, duration: int, *, pool: Path, offset: int, facts: dict, work: Path):
    script = work / "load.lua"
    script.write_text(LUA)
    threads = min(2, connections)
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
    command += [base, "--", kind, str(pool), str(offset), str(facts["per_run"]), facts["token"], facts["cookie"]]
    command += [str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result: {done.stdout[-500:]} {done.stderr[-500:]}")
    result = json.loads(line[len("WRKJSON ") :])
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def bench_backend(backend: str, args) -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix="waarborg-bench-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAARBORG_", "PROMETHEUS_"))}
    env.update(WAARBORG_DATA_DIR=str(work / "data"), WAARBORG_MAIL="file", WAARBORG_LOG_LEVEL="WARNING")
    database = ""
    if backend == "postgresql":
        database = f"waarborg_bench_load_{os.getpid()}"
        env["DATABASE_URL"] = _admin(os.environ["DATABASE_URL"], f'CREATE DATABASE "{database}"', database)
    else:
        env.pop("DATABASE_URL", None)
    results, process = [], None
    try:
        facts = prepare(env, args.customers, args.seed, work)
        port = _free_port()
        say(f"serve with {args.workers} workers")
        process = serve(env, port, args.workers, work)
        base = f"http://{HOST}:{port}"
        facts["cookie"] = sign_in(base, facts["portal"])
        offset = 0
        plan = [(t, c) for c in args.connections for t in TARGETS] if backend == "postgresql" else []
        plan += [("mixed", c) for c in args.connections]
        pool_size = len((work / "pool.txt").read_text().split())
        facts["per_run"] = min(POOL_PER_RUN, pool_size // sum(t in ("api post", "mixed") for t, _ in plan))
        for target, connections in plan:
            say(f"{backend}: {target} at {connections} connections for {args.duration} s")
            cpu_before = server_cpu_seconds(process.pid)
            result = wrk(
                base,
                KINDS[target],
                connections,
                args.duration,
                pool=work / "pool.txt",
                offset=offset,
                facts=facts,
                work=work,
            )
            if target in ("api post", "mixed"):
                offset += facts["per_run"]
            result["cpu_ms"] = (server_cpu_seconds(process.pid) - cpu_before) * 1000 / max(result["requests"], 1)
            result["load"] = os.getloadavg()[0]
            results.append({"backend": backend, "target": target, "connections": connections, **result})
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log = (work / "serve.err").read_text()
        locked = log.count("database is locked")
        for row in results:
            row["customers"], row["seed_seconds"], row["locked"] = args.customers, facts["seed_seconds"], locked
        return results
    finally:
        if process is not None and process.poll() is None:
            process.kill()
        if database:
            _admin(os.environ["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', database)
        shutil.rmtree(work, ignore_errors=True)


def _admin(url: str, sql: str, database: str) -> str:
    """Run `sql` on the server of `url` (its maintenance database); the URL of `database`."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def report(results: list[dict]) -> int:
    head = ["backend", "target", "conns", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "cpu ms/req", "load"]
    body = [
        [
            r["backend"],
            r["target"],
            str(r["connections"]),
            f"{r['rps']:.1f}",
            f"{r['p50']:.1f}",
            f"{r['p95']:.1f}",
            f"{r['p99']:.1f}",
            str(r["errors"]),
            f"{r['cpu_ms']:.1f}",
            f"{r['load']:.1f}",
        ]
        for r in results
    ]
    print()
    print_rows(head, body)
    print()
    failed = 0
    errors = [r for r in results if r["errors"]]
    print(f"no errors at any level: {'met' if not errors else 'MISSED'}")
    failed += bool(errors)
    my_data = [r for r in results if r["target"] == "my data" and r["connections"] == 4]
    for r in my_data:
        met = r["p95"] < MY_DATA_P95_MS
        failed += not met
        print(
            f"p95 of 'my data' at 4 connections ({r['backend']}): {r['p95']:.1f} ms, target {MY_DATA_P95_MS:.0f} ms: "
            f"{'met' if met else 'MISSED'}"
        )
    for backend in sorted({r["backend"] for r in results}):
        locked = max(r["locked"] for r in results if r["backend"] == backend)
        print(f"'database is locked' in the server log ({backend}): {locked}")
        failed += bool(locked)
    seeds = {r["backend"]: r["seed_seconds"] for r in results}
    customers = results[0]["customers"] if results else 0
    print("seeding " + ", ".join(f"{b} {s:.0f} s" for b, s in seeds.items()) + f" ({customers:,} customers)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--connections", default="4,16,50", help="comma-separated connection counts")
    parser.add_argument("--duration", type=int, default=10, help=f"seconds per run (at most {MAX_DURATION})")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--backends", default="", help="sqlite and/or postgresql (default: both with DATABASE_URL)")
    args = parser.parse_args(argv)
    try:
        args.connections = [int(c) for c in args.connections.split(",") if c.strip()]
    except ValueError:
        parser.error("--connections takes whole numbers, e.g. 4,16,50")
    if not args.connections or not all(1 <= c <= MAX_CONNECTIONS for c in args.connections):
        parser.error(f"--connections takes numbers from 1 to {MAX_CONNECTIONS}")
    if not 1 <= args.duration <= MAX_DURATION:
        parser.error(f"--duration takes 1 to {MAX_DURATION} seconds")
    if args.customers < 100 or not 1 <= args.workers <= 16:
        parser.error("--customers takes at least 100, --workers 1 to 16")
    if not Path(WRK).exists():
        parser.error("wrk is not installed (Debian: apt install wrk)")
    results = []
    for backend in chosen_backends(args.backends, parser):
        results += bench_backend(backend, args)
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
