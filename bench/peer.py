"""`python -m bench.peer`: side by side with django-helpdesk 2.6.1, requests interleaved.

The peer, its seed and the interleaved timing are the shared peer folder's
(`/work/shared/peer-django-helpdesk`, README there: `setup.sh`, `seed.py`, `interleaved.py`);
this command runs a copy of its `interleaved.py` (`bench/peer_interleaved.py`, with the peer's
Python; changed only to wait for servers on a loaded machine) and prepares our side the way
`python -m bench` serves it (DEBUG off, `collectstatic` with the manifest storage, a private
Redis for the cache), then writes `bench/results/peer_N<N>.md` and `.json`.

Before it, once (the peer folder must be a writable copy; it writes venv/ and static/ beside itself):

    cp -r /work/shared/peer-django-helpdesk /tmp/peer && cd /tmp/peer
    PEER_DB=peer_helpdesk bash setup.sh && PEER_DB=peer_helpdesk venv/bin/python seed.py --tickets 100000
    DATABASE_URL=postgres://…/ours manage.py seed_demo --tickets 100000 --flush

Then: `python -m bench.peer --peer-dir /tmp/peer --peer-db peer_helpdesk --database-url postgres://…/ours`.
Both databases must hold the same number of tickets; the report prints both counts.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.__main__ import redis_command

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# Issue 22: heavy pages (the staff queue, search, the director's views) ≥ 10x, light pages ≥ 2x.
HEAVY_TARGET, LIGHT_TARGET = 10.0, 2.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__.split("\n")[0])
    parser.add_argument("--peer-dir", default=os.environ.get("PEER_DIR", "/tmp/peer"), help="writable peer folder")
    parser.add_argument("--peer-db", default=os.environ.get("PEER_DB", "peer_helpdesk"))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench"),
    )
    parser.add_argument("--rounds", type=int, default=30, help="paired requests per row (default 30)")
    parser.add_argument("--redis-port", type=int, default=6392)
    parser.add_argument("--no-redis", action="store_true", help="cache in the database instead of a private Redis")
    return parser.parse_args()


def count(database_url: str | None, dbname: str | None, table: str) -> int:
    import psycopg2
    from environ import Env

    if database_url:
        cfg = Env.db_url_config(database_url)
        kwargs = {"dbname": cfg["NAME"], "user": cfg["USER"], "host": cfg["HOST"], "port": cfg["PORT"] or 5432}
    else:
        kwargs = {"dbname": dbname, "user": os.environ.get("PGUSER", "postgres"), "host": "127.0.0.1", "port": 5432}
    with psycopg2.connect(**kwargs) as conn, conn.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a constant table name)
        return int(cursor.fetchone()[0])


def our_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "WHITENOISE_USE_FINDERS": "false",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PROJ": str(ROOT),
            "PROJ_VENV": sys.prefix,
            "PEER_DB": args.peer_db,
            "PEER_DIR": args.peer_dir,
        }
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if not args.no_redis and shutil.which("redis-server"):
        env["REDIS_URL"] = f"redis://127.0.0.1:{args.redis_port}/0"
    else:
        env.pop("REDIS_URL", None)
    return env


def write_report(result: dict[str, Any]) -> Path:
    # Named by the seeded size: every run files a few tickets of its own (100,084 -> 100,000).
    n = int(float(f"{result['tickets_ours']:.2g}"))
    lines = [
        f"# Side by side with django-helpdesk 2.6.1 at N = {n:,}",
        "",
        f"Measured {result['date']} by `python -m bench.peer` (the peer folder's `interleaved.py`): both served",
        "at once by gunicorn with 2 sync workers on the same PostgreSQL, one request at a time, alternating",
        "peer/ours per round; the figure is the median of the paired ratios (peer ms ÷ our ms).",
        f"Tickets: ours {result['tickets_ours']:,}, the peer {result['tickets_peer']:,}. "
        f"Load average (1/5/15 min) before {result['load_before']}, after {result['load_after']} on "
        f"{os.cpu_count()} cores shared with other work.",
        "",
        "| Row | Kind | Peer median ms | Our median ms | Paired ratio | Target | Met |",
        "|---|---|---:|---:|---:|---:|:---:|",
    ]
    for job, data in result["jobs"].items():
        target = HEAVY_TARGET if data["heavy"] else LIGHT_TARGET
        ratio = data["paired_ratio"]
        lines.append(
            f"| {job} | {'heavy' if data['heavy'] else 'light'} | {data['peer_median']:.1f} | "
            f"{data['ours_median']:.1f} | {ratio:.1f}x | ≥ {target:.0f}x | {'yes' if ratio >= target else 'NO'} |"
        )
    lines += [
        "",
        "Ours files a ticket through the API (`POST /api/tickets/`), the peer through its form; the",
        "director's two rows are both our dashboard for the school year (the peer's /dashboard/ and /reports/).",
        "",
    ]
    path = RESULTS / f"peer_N{n}.md"
    path.write_text("\n".join(lines))
    (RESULTS / f"peer_N{n}.json").write_text(json.dumps(result, indent=1))
    return path


def main() -> int:
    args = parse_args()
    peer_dir = Path(args.peer_dir)
    python = peer_dir / "venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{python} is missing: copy the peer folder and run its setup.sh and seed.py first.")
    env = our_env(args)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    redis = None
    result: dict[str, Any] = {"date": datetime.now().astimezone().isoformat(timespec="seconds")}
    result["tickets_ours"] = count(args.database_url, None, "tickets_ticket")
    result["tickets_peer"] = count(None, args.peer_db, "helpdesk_ticket")
    try:
        if "REDIS_URL" in env:
            redis = subprocess.Popen(
                redis_command(args.redis_port),
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
            time.sleep(0.5)
        result["load_before"] = [round(x, 2) for x in os.getloadavg()]
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                [
                    str(python),
                    str(ROOT / "bench" / "peer_interleaved.py"),
                    "--out",
                    out.name,
                    "--rounds",
                    str(args.rounds),
                ],
                cwd=peer_dir,
                env=env,
                check=True,
            )
            result.update(json.loads(Path(out.name).read_text()))
        result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        if redis is not None:
            os.killpg(redis.pid, signal.SIGTERM)
            redis.wait(timeout=10)
    path = write_report(result)
    print(path.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
