"""`python -m bench --tickets N` (or `make bench N=...`): seed, serve, measure, write a Markdown report.

1. migrate and `seed_demo --tickets N --flush` into the benchmark database (timed);
2. `collectstatic`, a private Redis on 127.0.0.1 for the cache, and gunicorn
   (2 workers, DEBUG off, manifest static files, the X-Query-Count header) on 127.0.0.1;
3. each row of bench/scenarios.py: warm-up requests, then `--requests` timed ones, one at a time;
4. the floor (bench/floor.py): each row's main query as raw SQL, and EXPLAIN ANALYZE of the slowest;
5. throughput: `--clients` threads filing tickets through the API for `--seconds`;
6. bench/results/N<N>.md and .json; gunicorn and Redis are stopped whatever happens.

Traffic goes to 127.0.0.1 only, and every loop is bounded in count or time.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.client import Answer, Session, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SETTLE = 6
MAX_EXTRA_WARMUP = 40
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/helpdesk_bench"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="tickets to seed (default 100000)")
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per row (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per row first (default 5)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for throughput (default 8)")
    parser.add_argument("--seconds", type=float, default=30.0, help="throughput duration (default 30)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (1 = sync workers)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--no-seed", action="store_true", help="keep the database as it is (it must be seeded)")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL), help="PostgreSQL only"
    )
    return parser.parse_args()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "WHITENOISE_USE_FINDERS": "false",
            "QUERY_COUNT_HEADER": "true",
            "CONN_MAX_AGE": "60",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "WARNING",
            # Emails are queued to the private Redis and never sent: the bench mails no one.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    if shutil.which("redis-server"):
        env["REDIS_URL"] = f"redis://127.0.0.1:{args.redis_port}/0"
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], *arguments: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)
    return time.monotonic() - started


def ensure_database(url: str) -> None:
    import psycopg2
    from environ import Env
    from psycopg2 import sql

    settings = Env.db_url_config(url)
    if "postgresql" not in settings["ENGINE"]:
        raise SystemExit("The benchmark needs PostgreSQL (--database-url postgres://...).")
    admin = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
    admin.close()


def redis_command(port: int) -> list[str]:
    return ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]


class Processes:
    """gunicorn and Redis, each in its own process group, stopped on exit by their own ids."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []
        self.logdir = Path(tempfile.mkdtemp(prefix="helpdesk-bench-"))

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        logfile = (self.logdir / f"{name}.log").open("w")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append(process)
        return process

    def start_redis(self, port: int, env: dict[str, str]) -> subprocess.Popen:
        """A private Redis (cache and broker) on 127.0.0.1, kept in memory only."""
        process = self.start("redis", redis_command(port), env)
        time.sleep(0.5)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.running):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.running.clear()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # nearest rank
    return ordered[int(rank) - 1]


def run_row(row: Any, session: Session, requests: int, warmup: int) -> dict[str, Any]:
    def once() -> Answer:
        if row.setup is not None:
            row.state["form"] = row.setup(session, row)
        if row.call is not None:
            return row.call(session, row)
        return session.get(row.path)

    first = once()
    if row.optional and first.status == 404:
        return {"name": row.name, "path": row.path, "skipped": "not built (the URL answers 404)"}
    recent = [first.queries]
    for _ in range(warmup - 1):
        recent.append(once().queries)
    # Each gunicorn worker reads the district calendar and SLA targets once, on its first
    # ticket: keep warming up until SETTLE requests in a row make the same number of
    # queries, so the timed requests measure the steady state of every worker.
    for _ in range(MAX_EXTRA_WARMUP):
        if len(set(recent[-SETTLE:])) == 1:
            break
        recent.append(once().queries)
    seconds, queries, statuses = [], {}, {}
    for _ in range(requests):
        answer = once()
        seconds.append(answer.seconds)
        if answer.queries is not None:
            queries[answer.queries] = queries.get(answer.queries, 0) + 1
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    bad = {status: n for status, n in statuses.items() if status not in row.expect}
    return {
        "name": row.name,
        "path": row.path,
        "method": row.method,
        "requests": requests,
        "median_ms": statistics.median(seconds) * 1000,
        "p95_ms": percentile(seconds, 0.95) * 1000,
        "queries": sorted(queries),
        # How many timed requests made each count: a one-off count is a worker's first ticket.
        "queries_seen": {str(q): n for q, n in sorted(queries.items())},
        "unexpected_statuses": bad,
    }


def throughput(port: int, token: str, fixture: Any, clients: int, seconds: float) -> dict[str, Any]:
    from bench.scenarios import ticket_payload

    created, errors, latencies = [0] * clients, [0] * clients, [[] for _ in range(clients)]
    start_at = time.monotonic() + 0.5
    deadline = start_at + seconds

    def client(index: int) -> None:
        session = Session(port, token=token, timeout=30)
        n = 0
        while time.monotonic() < start_at:
            time.sleep(0.01)
        while time.monotonic() < deadline:
            n += 1
            try:
                answer = session.post_json("/api/tickets/", ticket_payload(fixture, 10**7 * (index + 1) + n))
            except OSError:
                errors[index] += 1
                continue
            latencies[index].append(answer.seconds)
            if answer.status == 201:
                created[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - start_at
    every = [s for per in latencies for s in per]
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "created": sum(created),
        "per_second": sum(created) / elapsed,
        "errors": sum(errors),
        "median_ms": statistics.median(every) * 1000 if every else None,
        "p95_ms": percentile(every, 0.95) * 1000 if every else None,
    }


def machine() -> dict[str, Any]:
    import django
    import gunicorn
    import psycopg2
    from django.db import connection

    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cores": os.cpu_count(),
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres.split(" ")[0],
        "gunicorn": gunicorn.__version__,
        "psycopg2": psycopg2.__version__.split(" ")[0],
    }


def main() -> int:
    args = parse_args()
    env = server_env(args)
    ensure_database(args.database_url)
    result: dict[str, Any] = {
        "tickets": args.tickets,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    if not args.no_seed:
        log(f"seed_demo --tickets {args.tickets} --schools {args.schools} --flush")
        result["seed_seconds"] = manage(
            env, "seed_demo", "--tickets", str(args.tickets), "--schools", str(args.schools), "--flush"
        )
        log(f"seeded in {result['seed_seconds']:.0f}s")
    else:
        # Re-measuring a seeded database: keep the seed time of the run that seeded it, saying so.
        previous = RESULTS / f"N{args.tickets}.json"
        if previous.exists():
            earlier = json.loads(previous.read_text())
            if "seed_seconds" in earlier:
                result["seed_seconds"] = earlier["seed_seconds"]
                result["seed_date"] = earlier.get("seed_date", earlier["date"])
    manage(env, "collectstatic", "--noinput", "-v", "0")

    processes = Processes()
    try:
        if "REDIS_URL" in env:
            processes.start_redis(args.redis_port, env)
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        from bench import floor
        from bench.scenarios import prepare, rows

        with connection.cursor() as cursor:
            # Seeding wrote the tables with COPY; autovacuum would soon set the visibility map that
            # index-only scans need. Doing it now measures the steady state, not the first minute.
            started = time.monotonic()
            cursor.execute(
                "VACUUM (ANALYZE) tickets_ticket, tickets_comment, tickets_ticketevent, "
                "surveys_surveyinvitation, surveys_surveyresponse"
            )
            result["vacuum_seconds"] = time.monotonic() - started
            cursor.execute("SELECT count(*) FROM tickets_ticket")
            result["tickets_in_database"] = cursor.fetchone()[0]
        result["machine"] = machine()
        fixture = prepare()
        gunicorn = [
            sys.executable, "-m", "gunicorn", "helpdesk.wsgi:application",
            "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
        ]  # fmt: skip
        if args.threads > 1:
            gunicorn += ["--worker-class", "gthread", "--threads", str(args.threads)]
        processes.start("gunicorn", gunicorn, env)
        wait_until_up(args.port)
        result["server"] = f"gunicorn {args.workers} workers" + (
            f" × {args.threads} threads" if args.threads > 1 else " (sync)"
        )

        sessions: dict[str, Session] = {}
        for role, (username, password) in fixture.users.items():
            sessions[role] = Session(args.port)
            sessions[role].sign_in(username, password)
        api_sessions = {role: Session(args.port, token=token) for role, token in fixture.tokens.items()}

        # Other work on the machine skews every figure; the report prints the load around the run.
        result["load_before"] = [round(x, 2) for x in os.getloadavg()]
        measured = []
        for row in rows(fixture):
            log(row.name)
            session = api_sessions[row.role] if row.api else sessions[row.role]
            outcome = run_row(row, session, args.requests, args.warmup)
            if "skipped" not in outcome:
                main_query = floor.find_main_query(row, fixture)
                if main_query is not None:
                    outcome["main_sql"] = main_query.sql
                    outcome["raw_ms"] = floor.time_raw(main_query.sql, args.requests) * 1000
                    outcome["ratio"] = outcome["median_ms"] / outcome["raw_ms"] if outcome["raw_ms"] else None
                    outcome["queries_in_process"] = main_query.queries
            measured.append(outcome)
        result["rows"] = measured

        slowest = sorted((r for r in measured if "raw_ms" in r), key=lambda r: r["raw_ms"], reverse=True)[:4]
        result["explain"] = [
            {"name": r["name"], "sql": r["main_sql"], "plan": floor.explain(r["main_sql"])} for r in slowest
        ]

        log(f"throughput: {args.clients} clients for {args.seconds:.0f}s")
        result["throughput"] = throughput(args.port, fixture.tokens["teacher"], fixture, args.clients, args.seconds)
        result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        processes.stop_all()

    from bench.report import write_report

    path = write_report(result, RESULTS)
    print(path.read_text())
    log(f"wrote {path.relative_to(ROOT)} (server logs in {processes.logdir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
