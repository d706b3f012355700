"""`python -m bench.light`: each light page as a multiple of the framework floor, and where its time goes.

The floor is `/bench/floor/` (bench/floor_urls.py, served only under `bench.floor_settings`): a
signed-in view rendering `base.html`, through every middleware and context processor. gunicorn
(2 sync workers, DEBUG off, manifest static files, a private Redis cache, as `python -m bench`)
serves both; each round times the floor and the page back to back, alternating which goes first,
and the figure is the median of the paired ratios (page ms ÷ floor ms), so the machine's drift
cancels. `--profile` then runs each page in-process under cProfile and writes the functions
that take the most time to `bench/results/light_profile.txt`.

    python -m bench.light --database-url postgres://…/seeded [--rounds 40] [--profile]

The database must already be seeded (`python -m bench` or `manage.py seed_demo`). Writes
`bench/results/light_N<N>.md` and `.json`. Traffic goes to 127.0.0.1 only.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.__main__ import Processes, server_env
from bench.client import Answer, Session, form_token, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FLOOR = "/bench/floor/"
TARGET = 2.0  # issue 22: a light page within 2x the floor


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.light", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench"),
    )
    parser.add_argument("--rounds", type=int, default=40, help="paired requests per page (default 40)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--redis-port", type=int, default=6393)
    parser.add_argument("--profile", action="store_true", help="also profile each page in-process")
    parser.add_argument("--profile-requests", type=int, default=40)
    return parser.parse_args()


def pages(fixture: Any) -> list[tuple[str, str, Callable[[Session], Answer], Callable[[Session], None] | None]]:
    """(name, role, the timed request, an untimed step before it)."""
    from bench.scenarios import ticket_payload

    counter = iter(range(1, 10**9))
    state: dict[str, str] = {}

    def fetch_form(session: Session) -> None:
        state["form_token"] = form_token(session.get("/tickets/new/"))

    def post_form(session: Session) -> Answer:
        data = {**ticket_payload(fixture, next(counter)), "form_token": state.pop("form_token")}
        return session.post_form("/tickets/new/", data)

    return [
        (
            "Ticket page (20 comments), technician",
            "technician",
            lambda s: s.get(f"/tickets/{fixture.detail_id}/"),
            None,
        ),
        ("New-ticket form, technician", "technician", lambda s: s.get("/tickets/new/"), None),
        ("New-ticket form, teacher", "teacher", lambda s: s.get("/tickets/new/"), None),
        ("Filing a ticket: form POST, teacher", "teacher", post_form, fetch_form),
        ("Requester start page, teacher", "teacher", lambda s: s.get("/"), None),
    ]


def measure(args: argparse.Namespace, fixture: Any) -> list[dict[str, Any]]:
    sessions = {}
    for role in ("technician", "teacher"):
        sessions[role] = Session(args.port)
        sessions[role].sign_in(*fixture.users[role])
    rows = []
    for name, role, call, before in pages(fixture):
        session = sessions[role]

        def page(
            call: Callable[[Session], Answer] = call, before: Callable | None = before, session: Session = session
        ) -> Answer:
            if before is not None:
                before(session)
            return call(session)

        def floor(session: Session = session) -> Answer:
            return session.get(FLOOR)

        for _ in range(args.warmup):
            page(), floor()
        page_ms, floor_ms, queries, floor_queries = [], [], set(), set()
        for i in range(args.rounds):
            order = (floor, page) if i % 2 == 0 else (page, floor)
            for fn in order:
                answer = fn()
                if answer.status not in (200, 302):
                    raise RuntimeError(f"{name}: HTTP {answer.status}")
                (floor_ms if fn is floor else page_ms).append(answer.seconds * 1000)
                (floor_queries if fn is floor else queries).add(answer.queries)
        rows.append(
            {
                "name": name,
                "role": role,
                "page_median_ms": statistics.median(page_ms),
                "floor_median_ms": statistics.median(floor_ms),
                "paired_multiple": statistics.median(p / f for p, f in zip(page_ms, floor_ms, strict=True)),
                "queries": sorted(q for q in queries if q is not None),
                "floor_queries": sorted(q for q in floor_queries if q is not None),
                "page_ms": page_ms,
                "floor_ms": floor_ms,
            }
        )
        print(f"  {name:45s} page {rows[-1]['page_median_ms']:6.1f} ms  floor {rows[-1]['floor_median_ms']:5.1f} ms"
              f"  {rows[-1]['paired_multiple']:4.2f}x", flush=True)  # fmt: skip
    return rows


def profile(fixture: Any, requests: int) -> str:
    """cProfile each page in-process (Django's test client, the same settings), top functions by own time."""
    from django.test import Client

    out = io.StringIO()
    clients = {}
    for role in ("technician", "teacher"):
        clients[role] = Client()
        assert clients[role].login(username=fixture.users[role][0], password=fixture.users[role][1])
    targets = [
        ("Framework floor", "technician", "get", FLOOR),
        ("Ticket page (20 comments), technician", "technician", "get", f"/tickets/{fixture.detail_id}/"),
        ("New-ticket form, teacher", "teacher", "get", "/tickets/new/"),
        ("Filing a ticket: API POST, teacher", "teacher", "api", "/api/tickets/"),
    ]
    from bench.scenarios import ticket_payload

    for name, role, method, path in targets:
        client = clients[role]

        def once(
            n: int, client: Any = client, method: str = method, path: str = path, role: str = role, name: str = name
        ) -> None:
            if method == "api":
                headers = {"HTTP_AUTHORIZATION": f"Token {fixture.tokens[role]}"}
                response = client.post(path, ticket_payload(fixture, n), content_type="application/json", **headers)
            else:
                response = client.get(path)
            assert response.status_code in (200, 201), (name, response.status_code)

        for n in range(5):
            once(n)
        profiler = cProfile.Profile(time.process_time)
        started = time.perf_counter()
        profiler.enable()
        for n in range(requests):
            once(1000 + n)
        profiler.disable()
        per = (time.perf_counter() - started) / requests * 1000
        out.write(
            f"\n=== {name}: {per:.1f} ms of wall time per request in-process under cProfile ({requests} requests)\n"
        )
        out.write(
            "(cumulative CPU time: the profiler's clock is time.process_time, so other work on the machine\n"
            " does not count; cProfile itself roughly doubles the per-request figure)\n"
        )
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(
            r"(helpdesk|schools|tickets|people|surveys|devices|notif|django/(template|middleware|contrib/(sessions|auth|messages))|crispy)",
            35,
        )
    return out.getvalue()


def write_report(result: dict[str, Any]) -> Path:
    n = result["tickets"]
    lines = [
        f"# Light pages against the framework floor at N = {n:,} ({result['tickets_in_database']:,} in the database)",
        "",
        f"Measured {result['date']} by `python -m bench.light` ({result['server']}, DEBUG off, private Redis cache).",
        "The floor is a signed-in view rendering `base.html` (`/bench/floor/`, bench-only). Each round times",
        "the floor and the page back to back, alternating the order; the multiple is the median of the paired",
        f"ratios (page ÷ floor). Load average before {result['load_before']}, after {result['load_after']}.",
        "",
        "| Page | Page median ms | Floor median ms | Multiple of the floor | Queries (floor) | ≤ 2x |",
        "|---|---:|---:|---:|---|:---:|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['name']} | {row['page_median_ms']:.1f} | {row['floor_median_ms']:.1f} | "
            f"{row['paired_multiple']:.2f}x | {', '.join(map(str, row['queries']))} "
            f"({', '.join(map(str, row['floor_queries']))}) | {'yes' if row['paired_multiple'] <= TARGET else 'NO'} |"
        )
    lines.append("")
    path = RESULTS / f"light_N{n}.md"
    path.write_text("\n".join(lines))
    (RESULTS / f"light_N{n}.json").write_text(json.dumps(result, indent=1))
    return path


def main() -> int:
    args = parse_args()
    env = server_env(args)
    env["QUERY_COUNT_HEADER"] = "true"
    env["DJANGO_SETTINGS_MODULE"] = "bench.floor_settings"
    if not shutil.which("redis-server"):
        env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    result: dict[str, Any] = {"date": datetime.now().astimezone().isoformat(timespec="seconds")}
    processes = Processes()
    try:
        if "REDIS_URL" in env:
            processes.start_redis(args.redis_port, env)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from bench.scenarios import prepare
        from tickets.models import Ticket

        result["tickets_in_database"] = Ticket.objects.count()
        # Named by the seeded size: each run files a few tickets of its own (100,023 -> 100,000).
        result["tickets"] = int(float(f"{result['tickets_in_database']:.2g}"))
        fixture = prepare()
        gunicorn = [
            sys.executable, "-m", "gunicorn", "helpdesk.wsgi:application",
            "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
        ]  # fmt: skip
        processes.start("gunicorn", gunicorn, env)
        wait_until_up(args.port, seconds=120)  # a busy machine boots workers slowly
        result["server"] = f"gunicorn {args.workers} sync workers"
        result["load_before"] = [round(x, 2) for x in os.getloadavg()]
        result["rows"] = measure(args, fixture)
        result["load_after"] = [round(x, 2) for x in os.getloadavg()]
        if args.profile:  # while the private Redis still runs: filing hands its emails to it
            (RESULTS / "light_profile.txt").write_text(profile(fixture, args.profile_requests))
    finally:
        processes.stop_all()
    path = write_report(result)
    print(path.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
