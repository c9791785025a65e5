#!/usr/bin/env python3
"""Benchmarks the credits service against the database's own ceiling, side by side.

Starts the built service (embedded PostgreSQL, or --db-url for an external one), seeds users
through a bulk SQL path that keeps balance = sum of ledger, drives load with wrk over loopback
(a real JWT per user), runs pgbench with the same SQL against the same PostgreSQL, and prints a
table plus a JSON file. Standard library only. See docs/benchmarks.md.
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
JAR = os.path.join(ROOT, "bootstrap", "target", "credits-service.jar")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# The users seeded with five lots each, named in their own users file (see seed and write_tokens).
FIVE_LOT_USERS = "five-lot-users"

# name, wrk script, extra env, pgbench scripts (file@weight), pgbench variables besides users and prefix
SCENARIOS = {
    "balance": ("balance.lua", {}, ["select.sql"], {}),
    "deduct_many": ("deductions.lua", {}, ["deduct.sql"], {}),
    # One hot user: pgbench draws its user from 1..1.
    "deduct_hot": ("deductions.lua", {"BENCH_HOT_USER": "bench_user_1"}, ["deduct.sql"], {"users": 1}),
    "mixed_90_10": ("deductions.lua", {"BENCH_READ_PERCENT": "90"}, ["select.sql@9", "deduct.sql@1"], {}),
    # Deductions on users whose balance is spread over five lots of different priorities.
    "deduct_5_lots": ("deductions.lua", {"BENCH_USERS": FIVE_LOT_USERS}, ["deduct.sql"], {"prefix": "bench5_user_"}),
    # A hold, then a capture of half of it, per call (two requests); pgbench's row is one deduction's write.
    "hold_capture": ("holds.lua", {}, ["deduct.sql"], {}),
}


def main():
    args = parse_args()
    ensure_tools()
    if not args.no_build:
        build()
    work = tempfile.mkdtemp(prefix="credits-bench-")
    secret = secrets.token_hex(32)
    service = Service(args, work, secret, free_port())
    services = [service]
    results = {"started_at": now_iso(), "machine": machine(), "settings": vars(args).copy(),
               # Service settings given through the environment (e.g. CREDITS_DB_POOL_SIZE), secrets left out.
               "service_env": {k: v for k, v in os.environ.items()
                               if k.startswith("CREDITS_") and not any(s in k for s in ("SECRET", "PASSWORD", "DB_URL"))},
               "scenarios": []}
    try:
        service.start()
        results["first_start_ready_ms"] = service.ready_ms
        db = service.database()
        seed(db, args.users)
        # Start to ready on an existing data dir is a target of its own: measure a restart.
        if not args.db_url:
            service.stop()
            service.start()
            results["restart_ready_ms"] = service.ready_ms
            db = service.database()
        # More instances on the same database, started after the seed and the restart: they share
        # everything but the process (see docs/operations.md, "Running several instances").
        for n in range(2, args.instances + 1):
            other = Service(args, os.path.join(work, f"instance-{n}"), secret, free_port(), database=service.shared_database())
            os.makedirs(other.work, exist_ok=True)
            other.start()
            services.append(other)
        results["instances"] = len(services)
        tokens_file, users_file, meter = write_tokens(work, secret, args.users)
        five_lot_users_file = os.path.join(work, "five-lot-users.txt")
        with open(five_lot_users_file, "w") as names:
            names.writelines(f"bench5_user_{i}\n" for i in range(1, args.users + 1))
        # The JIT is still compiling the hot paths after a 5 s run on a fresh JVM: the first scenario
        # measured right after start came out a third slower than the same scenario measured again.
        first_warmup = args.warmup if args.smoke else max(args.warmup, 20)
        for name in args.scenarios:
            script, extra_env, pg_scripts, pg_variables = SCENARIOS[name]
            for connections in args.concurrency:
                env = dict(os.environ, BENCH_LUA_DIR=os.path.join(BENCH, "lua"), BENCH_TOKENS=tokens_file,
                           BENCH_USERS=users_file, BENCH_METER_TOKEN=meter,
                           BENCH_RUN_ID=f"{name}-{connections}-{secrets.token_hex(4)}")
                env.update(extra_env)
                if env["BENCH_USERS"] == FIVE_LOT_USERS:
                    env["BENCH_USERS"] = five_lot_users_file
                run_wrk(services, script, connections, first_warmup, env)  # warm-up, not reported
                first_warmup = args.warmup
                for s in services:
                    s.reset_peak_rss()
                cpu_before = service_cpu(services), db.cpu_seconds(), service_cpu(services, kernel_only=True)
                batches_before = batch_counts(services)
                wrk = run_wrk(services, script, connections, args.duration, env)
                cpu_after = service_cpu(services), db.cpu_seconds(), service_cpu(services, kernel_only=True)
                batches_after = batch_counts(services)
                row = {
                    "scenario": name, "connections": connections, "instances": len(services),
                    "requests_per_s": round(wrk["requests"] / (wrk["duration_us"] / 1e6), 1),
                    "p50_ms": wrk["p50_ms"], "p99_ms": wrk["p99_ms"], "p999_ms": wrk["p999_ms"],
                    "non_2xx": wrk["non_2xx"], "socket_errors": wrk["socket_errors"],
                    "service_cpu_s": round(cpu_after[0] - cpu_before[0], 2),
                    "db_cpu_s": round(cpu_after[1] - cpu_before[1], 2),
                    # Of the service's CPU, the part spent in the kernel (loopback sockets, futexes, page faults).
                    "service_sys_cpu_s": round(cpu_after[2] - cpu_before[2], 2),
                    # The largest instance's peak (each instance is its own process with its own heap).
                    "peak_rss_mib": round(max(s.peak_rss_kib() for s in services) / 1024, 1),
                    # Requests per natural batch over the run (1.0: every request went alone).
                    "avg_move_batch": average_batch(batches_before, batches_after, "move"),
                    "avg_read_batch": average_batch(batches_before, batches_after, "read"),
                }
                requests = wrk["requests"]
                if requests:
                    row["service_cpu_us_per_request"] = round(row["service_cpu_s"] * 1e6 / requests, 1)
                    row["db_cpu_us_per_request"] = round(row["db_cpu_s"] * 1e6 / requests, 1)
                pg = db.pgbench(pg_scripts, connections, args.duration, {"users": args.users, "prefix": "bench_user_",
                                                                         **pg_variables})
                row["pgbench_tps"] = pg["tps"]
                row["pgbench_latency_avg_ms"] = pg["latency_avg_ms"]
                row["ratio_to_ceiling"] = round(row["requests_per_s"] / pg["tps"], 3) if pg["tps"] else None
                results["scenarios"].append(row)
                print_row(row)
    finally:
        for s in reversed(services):  # the first instance owns the embedded PostgreSQL: it stops last
            s.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["finished_at"] = now_iso()
    write_results(args, results)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=10_000, help="users to seed (default 10000)")
    p.add_argument("--duration", type=int, default=20, help="seconds per measured run (default 20)")
    p.add_argument("--warmup", type=int, default=5, help="seconds of warm-up before each run (default 5)")
    p.add_argument("--concurrency", type=lambda s: [int(c) for c in s.split(",")], default=[16, 64])
    p.add_argument("--scenarios", type=lambda s: s.split(","), default=list(SCENARIOS))
    p.add_argument("--instances", type=int, default=1,
                   help="service instances on the one database, the load split evenly over them (default 1)")
    p.add_argument("--db-url", help="postgresql://user:pass@host:port/db of an external PostgreSQL (default: embedded)")
    p.add_argument("--jvm-options", default=os.path.join(ROOT, "bin", "jvm.options"),
                   help="the service's JVM options file, as bin/credits uses it (default bin/jvm.options; 'none' for JVM defaults)")
    p.add_argument("--java-opts", default=os.environ.get("CREDITS_JAVA_OPTS", ""),
                   help="JVM options added after the options file (e.g. a JFR recording)")
    p.add_argument("--smoke", action="store_true", help="seconds, not minutes: 200 users, 2 s runs, c16 only")
    p.add_argument("--no-build", action="store_true", help="use the jar already built")
    p.add_argument("--keep", action="store_true", help="keep the work dir (data, logs, tokens)")
    p.add_argument("--out", default=os.path.join(BENCH, "results"), help="where the JSON goes")
    args = p.parse_args()
    if args.smoke:
        args.users, args.duration, args.warmup, args.concurrency = 200, 2, 1, [16]
    if args.instances < 1:
        p.error("--instances must be at least 1")
    unknown = [s for s in args.scenarios if s not in SCENARIOS]
    if unknown:
        p.error(f"unknown scenarios {unknown}; known: {list(SCENARIOS)}")
    return args


def ensure_tools():
    missing = [pkg for tool, pkg in (("wrk", "wrk"), ("pgbench", "postgresql-client"), ("psql", "postgresql-client"))
               if shutil.which(tool) is None]
    if missing:
        print(f"installing {sorted(set(missing))} from Debian packages...", file=sys.stderr)
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + sorted(set(missing)), check=True)


def build():
    print("building the service...", file=sys.stderr)
    subprocess.run(["bash", "-c", f'. "{ROOT}/bin/java-home.sh" && cd "{ROOT}" && mvn -B -q -ntp -DskipTests package'],
                   check=True)


class Service:
    """The credits service as a child process, and what /proc says about it."""

    def __init__(self, args, work, secret, port, database=None):
        """database: (jdbc url, user, password, migration user, migration password) of a database another
        instance already runs on; None for --db-url or the embedded one."""
        self.args, self.work, self.secret, self.port, self.shared = args, work, secret, port, database
        self.process = None
        self.ready_ms = None
        self.log_path = os.path.join(work, "service.log")

    def start(self):
        env = dict(os.environ, CREDITS_PORT=str(self.port), CREDITS_HOST="127.0.0.1",
                   CREDITS_DATA_DIR=os.path.join(self.work, "data"), CREDITS_JWT_HMAC_SECRET=self.secret,
                   CREDITS_RATE_LIMIT_CAPACITY="0", CREDITS_SERVICE_RATE_LIMIT_CAPACITY="0")
        if self.shared:
            jdbc, user, password, owner, owner_password = self.shared
            env.update(CREDITS_DB_URL=jdbc, CREDITS_DB_USER=user, CREDITS_DB_PASSWORD=password,
                       CREDITS_DB_MIGRATION_USER=owner, CREDITS_DB_MIGRATION_PASSWORD=owner_password)
        elif self.args.db_url:
            jdbc, user, password = jdbc_parts(self.args.db_url)
            env.update(CREDITS_DB_URL=jdbc, CREDITS_DB_USER=user, CREDITS_DB_PASSWORD=password)
        java = os.path.join(java_home(), "bin", "java")
        options = [] if self.args.jvm_options == "none" else ["@" + self.args.jvm_options]
        command = [java] + options + self.args.java_opts.split() + ["-jar", JAR]
        started = time.monotonic()
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = started + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"the service exited with {self.process.returncode}; see {self.log_path}")
            if http_status(f"http://127.0.0.1:{self.port}/api/billing/credits") == 401:
                self.ready_ms = round((time.monotonic() - started) * 1000)
                print(f"service ready in {self.ready_ms} ms (pid {self.process.pid})", file=sys.stderr)
                return
            time.sleep(0.05)
        sys.exit("the service did not become ready in 120 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def database(self):
        if self.args.db_url:
            return Database(self.args.db_url, None)
        # Every connection needs a password; the schema owner may seed, ANALYZE and run pgbench.
        return Database(f"postgresql://credits_owner@127.0.0.1:{self.embedded_port()}/postgres",
                        os.path.join(self.work, "data", "postgres"), self.embedded_password("credits_owner"))

    def shared_database(self):
        """How another instance reaches the database this one runs on: as an operator would configure it."""
        if self.args.db_url:
            jdbc, user, password = jdbc_parts(self.args.db_url)
            return jdbc, user, password, user, password
        return (f"jdbc:postgresql://127.0.0.1:{self.embedded_port()}/postgres", "credits_app",
                self.embedded_password("credits_app"), "credits_owner", self.embedded_password("credits_owner"))

    def embedded_port(self):
        with open(self.log_path) as log:
            ports = re.findall(r"embedded PostgreSQL on port (\d+)", log.read())
        if not ports:
            sys.exit(f"could not find the embedded PostgreSQL port in {self.log_path}")
        return ports[-1]

    def embedded_password(self, role):
        with open(os.path.join(self.work, "data", "postgres-credentials")) as f:
            return next(line.split("=", 1)[1].strip() for line in f if line.startswith(role + "="))

    def batch_counts(self):
        """The service's natural-batch counters from /metrics (empty for a build without them)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=10) as response:
                text = response.read().decode()
        except (urllib.error.URLError, OSError):
            return {}
        counts = {}
        for line in text.splitlines():
            match = re.match(r"^(credits_db_(?:move|read)_batch(?:es|_requests))(?:\{[^}]*\})? ([0-9.eE+]+)$", line)
            if match:
                counts[match.group(1)] = float(match.group(2))
        return counts

    def reset_peak_rss(self):
        try:
            with open(f"/proc/{self.process.pid}/clear_refs", "w") as f:
                f.write("5")  # resets VmHWM, so each scenario reports its own peak
        except OSError:
            pass

    def peak_rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0


class Database:
    def __init__(self, url, data_dir, password=None):
        self.url, self.data_dir = url, data_dir
        # In the environment, not the URL: a command line is visible to every local user.
        self.env = dict(os.environ, PGPASSWORD=password) if password else None

    def psql(self, sql):
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url, "-c", sql], check=True,
                       stdout=subprocess.DEVNULL, env=self.env)

    def pgbench(self, scripts, connections, duration, variables):
        command = ["pgbench", "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(duration)]
        for variable, value in variables.items():
            command += ["-D", f"{variable}={value}"]
        for script in scripts:
            name, _, weight = script.partition("@")
            command += ["-f", os.path.join(BENCH, "sql", name) + (f"@{weight}" if weight else "")]
        out = subprocess.run(command + [self.url], check=True, capture_output=True, text=True, env=self.env).stdout
        tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
        latency = re.search(r"latency average = ([\d.]+) ms", out)
        return {"tps": round(float(tps.group(1)), 1) if tps else None,
                "latency_avg_ms": float(latency.group(1)) if latency else None}

    def cpu_seconds(self):
        """The embedded postmaster and its backends; exited backends count through cutime/cstime."""
        if not self.data_dir:
            return 0.0
        try:
            with open(os.path.join(self.data_dir, "postmaster.pid")) as f:
                postmaster = int(f.readline())
        except (OSError, ValueError):
            return 0.0
        total = proc_cpu_seconds(postmaster, include_children=True)
        for pid in children(postmaster):
            total += proc_cpu_seconds(pid)
        return total


def seed(db, users):
    """Bulk path that keeps the invariants: each account gets a grant entry equal to its balance. The seeded
    entries carry a placeholder hash (not chained): a benchmark database is not one to reconcile."""
    print(f"seeding {users} users...", file=sys.stderr)
    balance = 100_000 * 10_000_000  # 100,000 USDC each, in units
    db.psql(f"""
        INSERT INTO credits (user_id, balance_units, held_units, created_at, updated_at)
        SELECT 'bench_user_' || i, {balance}, 0, now(), now() FROM generate_series(1, {users}) AS i
        ON CONFLICT (user_id) DO NOTHING;
        WITH granted AS (
            INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reason, grant_id, category,
                                        priority, caller, operation, idempotency_key, fingerprint, created_at, hash)
            SELECT ids.id, 'bench_user_' || ids.i, 'grant', {balance}, {balance}, 'bench seed', ids.id, 'promotional', 50,
                   'bench-seed', 'grant', 'seed-' || ids.i, repeat('0', 64), now(), repeat('0', 64)
            FROM (SELECT i, gen_random_uuid() AS id FROM generate_series(1, {users}) AS i) AS ids
            ON CONFLICT (caller, operation, idempotency_key) DO NOTHING
            RETURNING id, user_id, seq, amount_units, created_at)
        -- Each seeded user has one lot holding its whole balance, as a grant through the API leaves it.
        INSERT INTO lots (lot_id, user_id, entry_seq, category, priority, original_units, remaining_units, created_at)
        SELECT id, user_id, seq, 'promotional', 50, amount_units, amount_units, created_at FROM granted;
        -- The same balance over five lots (priorities 10-50) for the bench5_ users: a deduction reads
        -- all five and draws from the first.
        INSERT INTO credits (user_id, balance_units, held_units, created_at, updated_at)
        SELECT 'bench5_user_' || i, {balance}, 0, now(), now() FROM generate_series(1, {users}) AS i
        ON CONFLICT (user_id) DO NOTHING;
        WITH granted AS (
            INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reason, grant_id, category,
                                        priority, caller, operation, idempotency_key, fingerprint, created_at, hash)
            SELECT ids.id, 'bench5_user_' || ids.i, 'grant', {balance // 5}, {balance // 5} * ids.n, 'bench seed', ids.id,
                   'promotional', 10 * ids.n, 'bench-seed', 'grant', 'seed5-' || ids.i || '-' || ids.n, repeat('0', 64), now(),
                   repeat('0', 64)
            FROM (SELECT i, n, gen_random_uuid() AS id
                  FROM generate_series(1, {users}) AS i CROSS JOIN generate_series(1, 5) AS n ORDER BY i, n) AS ids
            ON CONFLICT (caller, operation, idempotency_key) DO NOTHING
            RETURNING id, user_id, seq, amount_units, priority, created_at)
        INSERT INTO lots (lot_id, user_id, entry_seq, category, priority, original_units, remaining_units, created_at)
        SELECT id, user_id, seq, 'promotional', priority, amount_units, amount_units, created_at FROM granted;
        ANALYZE credits; ANALYZE ledger_entries; ANALYZE lots;  -- the owner may analyze its own tables, not the catalogs
    """)


def write_tokens(work, secret, users):
    """HS256 tokens, minted here so thousands cost nothing; the service verifies each one."""
    expires = int(time.time()) + 3 * 3600
    tokens_file, users_file = os.path.join(work, "tokens.txt"), os.path.join(work, "users.txt")
    with open(tokens_file, "w") as tokens, open(users_file, "w") as names:
        for i in range(1, users + 1):
            tokens.write(jwt(secret, {"sub": f"bench_user_{i}", "exp": expires}) + "\n")
            names.write(f"bench_user_{i}\n")
    meter = jwt(secret, {"sub": "bench_meter", "scope": "credits:meter", "exp": expires})
    return tokens_file, users_file, meter


def jwt(secret, claims):
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


def run_wrk(services, script, connections, duration, env):
    """One wrk per instance at the same time, the connections split evenly (a load balancer's round robin).
    Counts add up; of the latencies, the worst instance's is reported (percentiles do not add)."""
    runs = []
    for n, service in enumerate(services):
        share = connections // len(services) + (1 if n < connections % len(services) else 0)
        if share == 0:
            continue
        # A run id of its own for every wrk run: the scripts' keys restart with each run, and a measured run
        # that reused its warm-up's keys would be answered with replays of the warm-up's moves.
        run_env = dict(env, BENCH_RUN_ID=f"{env.get('BENCH_RUN_ID', 'run')}-{secrets.token_hex(4)}",
                       BENCH_THREAD_BASE=str(n * 1000))
        command = ["wrk", "-t", str(min(2, share)), "-c", str(share), "-d", f"{duration}s", "--timeout", "10s",
                   "-s", os.path.join(BENCH, "lua", script), f"http://127.0.0.1:{service.port}"]
        runs.append(subprocess.Popen(command, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    summaries = []
    for run in runs:
        out, err = run.communicate()
        line = next((l for l in out.splitlines() if l.startswith("BENCH_JSON ")), None)
        if run.returncode != 0 or line is None:
            sys.exit(f"wrk failed ({run.returncode}) or printed no summary:\n{out}{err}")
        summaries.append(json.loads(line[len("BENCH_JSON "):]))
    total = {key: sum(s[key] for s in summaries) for key in ("requests", "non_2xx", "socket_errors")}
    total["duration_us"] = max(s["duration_us"] for s in summaries)
    for key in ("p50_ms", "p99_ms", "p999_ms", "max_ms"):
        total[key] = max(s[key] for s in summaries)
    return total


def service_cpu(services, kernel_only=False):
    return sum(proc_cpu_seconds(s.process.pid, kernel_only=kernel_only) for s in services)


def batch_counts(services):
    counts = {}
    for service in services:
        for name, value in service.batch_counts().items():
            counts[name] = counts.get(name, 0) + value
    return counts


HEADER = (f"{'scenario':<13} {'conn':>4} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'p99.9 ms':>8} {'non2xx':>6} "
          f"{'svc cpu s':>9} {'of it sys':>9} {'db cpu s':>8} {'rss MiB':>7} {'pgbench':>9} {'ratio':>6} {'batch':>6}")


def average_batch(before, after, kind):
    batches = after.get(f"credits_db_{kind}_batches", 0) - before.get(f"credits_db_{kind}_batches", 0)
    requests = after.get(f"credits_db_{kind}_batch_requests", 0) - before.get(f"credits_db_{kind}_batch_requests", 0)
    return round(requests / batches, 2) if batches else None


def print_row(row):
    if not getattr(print_row, "header_done", False):
        print(HEADER)
        print_row.header_done = True
    print(f"{row['scenario']:<13} {row['connections']:>4} {row['requests_per_s']:>9.0f} {row['p50_ms']:>7.2f} "
          f"{row['p99_ms']:>7.2f} {row['p999_ms']:>8.2f} {row['non_2xx']:>6} {row['service_cpu_s']:>9.1f} "
          f"{row['service_sys_cpu_s']:>9.1f} {row['db_cpu_s']:>8.1f} {row['peak_rss_mib']:>7.0f} {row['pgbench_tps'] or 0:>9.0f} "
          f"{row['ratio_to_ceiling'] or 0:>6.2f} {row.get('avg_move_batch') or row.get('avg_read_batch') or 0:>6.1f}", flush=True)


def write_results(args, results):
    os.makedirs(args.out, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = "smoke" if args.smoke else "run"
    for path in (os.path.join(args.out, f"{name}-{stamp}.json"), os.path.join(args.out, f"latest-{name}.json")):
        with open(path, "w") as f:
            json.dump(results, f, indent=2)
    print(f"results: {os.path.join(args.out, f'latest-{name}.json')}", file=sys.stderr)
    if "restart_ready_ms" in results:
        print(f"start to ready on an existing data dir: {results['restart_ready_ms']} ms", file=sys.stderr)


def proc_cpu_seconds(pid, include_children=False, kernel_only=False):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime, cutime, cstime = (int(fields[i]) for i in (11, 12, 13, 14))
    if kernel_only:
        return stime / CLOCK_TICKS
    ticks = utime + stime + ((cutime + cstime) if include_children else 0)
    return ticks / CLOCK_TICKS


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def java_home():
    out = subprocess.run(["bash", "-c", f'. "{ROOT}/bin/java-home.sh" && echo "$JAVA_HOME"'],
                         check=True, capture_output=True, text=True).stdout.strip()
    return out


def jdbc_parts(url):
    m = re.match(r"postgres(?:ql)?://(?:([^:@/]+)(?::([^@/]*))?@)?([^/]+)/(\S+)", url)
    if not m:
        sys.exit("--db-url must look like postgresql://user:password@host:port/database")
    user, password, host, database = m.groups()
    return f"jdbc:postgresql://{host}/{database}", user or "", password or ""


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gib": round(os.sysconf("SC_PAGE_SIZE") *
            os.sysconf("SC_PHYS_PAGES") / 2**30, 1), "kernel": os.uname().release}


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


if __name__ == "__main__":
    main()
