#!/usr/bin/env python3
"""Scripted load against the real stack, all on 127.0.0.1, bounded in time.

Starts its own PostgreSQL database (recreated), Redis (a spare port), an SMTP sink
(aiosmtpd, in this process), gunicorn and a Celery worker, then runs simulated
users for a fixed time: teachers file requests, reply and confirm fixes; technicians
work the queue (assign, reply, resolve, close). Afterwards it waits for the outbox
to drain and checks:

  * no answer was a 5xx (or a dropped connection),
  * every ticket a teacher was told about exists,
  * every closed ticket has exactly one survey email in the sink,

and prints the figures (requests, throughput, p50/p95/p99 per kind of request).
Exit status 0 only if every check holds.

    .venv/bin/python loadtest/run.py            # 50 users, 120 s (make load)
    .venv/bin/python loadtest/run.py --users 10 --duration 20
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

# Run as a script (`python loadtest/run.py`, as `make load` does), the repository root is not on
# the path; it is needed for the helpers beside this file.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from loadtest.stack import Stack
from loadtest.users import Stats, Teacher, Technician, User


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--technicians", type=int, default=None, help="default: a quarter of the users")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_load"),
        help="recreated from scratch on every run",
    )
    parser.add_argument("--json", type=Path, default=Path(tempfile.gettempdir()) / "helpdesk-load.json")
    args = parser.parse_args()
    technicians = args.technicians if args.technicians is not None else max(1, args.users // 4)
    teachers = args.users - technicians

    stack = Stack(args.database_url, args.web_workers)
    stats = Stats()
    try:
        print(f"starting the stack (gunicorn ×{args.web_workers}, celery ×2, redis, smtp sink)…", flush=True)
        stack.start(teachers=teachers, technicians=technicians)
        tech_ids = dict(stack.query("SELECT username, id FROM auth_user WHERE username LIKE 'tech%'"))
        rng = random.Random(2026)
        started = time.monotonic()
        deadline = started + args.duration
        users: list[User] = []
        for n in range(teachers):
            users.append(Teacher(stack.base, f"teacher{n}", stats, deadline, random.Random(rng.random())))
        for n in range(technicians):
            tech = Technician(stack.base, f"tech{n}", stats, deadline, random.Random(rng.random()))
            tech.user_id = tech_ids[f"tech{n}"]
            users.append(tech)
        print(f"{teachers} teachers and {technicians} technicians for {args.duration} s…", flush=True)
        threads = [threading.Thread(target=user.run, daemon=True) for user in users]
        for thread in threads:
            thread.start()
            time.sleep(0.05)  # stagger sign-ins (each is a deliberate, slow password hash)
        for thread in threads:
            thread.join(timeout=args.duration + 60)
        elapsed = time.monotonic() - started
        print("load done; waiting for the outbox to drain…", flush=True)
        owed = stack.drain(timeout=120)
        time.sleep(2)

        existing = {row[0] for row in stack.query("SELECT id FROM tickets_ticket")}
        missing = sorted(stats.created - existing)
        closed = stack.query(
            "SELECT t.id, i.token FROM tickets_ticket t LEFT JOIN surveys_surveyinvitation i ON i.ticket_id = t.id"
            " WHERE t.status = 'closed'"
        )
        bodies = stack.sink.bodies()
        survey_counts = {ticket_id: sum(f"/surveys/{token}/" in body for body in bodies) for ticket_id, token in closed}
        without_invitation = [ticket_id for ticket_id, token in closed if token is None]
        not_once = {ticket_id: n for ticket_id, n in survey_counts.items() if n != 1}

        all_samples = [s for samples in stats.samples.values() for s in samples]
        five_xx = sum(n for code, n in stats.statuses.items() if code >= 500 or code == 0)
        result = {
            "users": args.users,
            "teachers": teachers,
            "technicians": technicians,
            "duration_s": round(elapsed, 1),
            "requests": len(all_samples),
            "requests_per_s": round(len(all_samples) / elapsed, 1),
            "p50_ms": round(statistics.median(all_samples) * 1000),
            "p95_ms": round(percentile(all_samples, 0.95) * 1000),
            "p99_ms": round(percentile(all_samples, 0.99) * 1000),
            "statuses": dict(sorted(stats.statuses.items())),
            "server_errors": five_xx,
            "tickets_created": len(stats.created),
            "tickets_missing": missing,
            "tickets_closed": len(closed),
            "closed_without_invitation": without_invitation,
            "survey_emails_not_exactly_one": not_once,
            "emails_in_sink": len(bodies),
            "emails_still_owed": owed,
            "per_request": {
                name: {
                    "n": len(samples),
                    "p50_ms": round(statistics.median(samples) * 1000),
                    "p95_ms": round(percentile(samples, 0.95) * 1000),
                }
                for name, samples in sorted(stats.samples.items())
            },
            "failures": stats.failures[:20],
        }
    finally:
        stack.stop()

    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "per_request"}, indent=2))
    print(f"(figures in {args.json}; service logs in {stack.logs})")
    print(f"\n{'request':<24}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for name, row in result["per_request"].items():
        print(f"{name:<24}{row['n']:>7}{row['p50_ms']:>9}{row['p95_ms']:>9}")
    ok = not five_xx and not missing and not not_once and not without_invitation and owed == 0
    print("\nPASS" if ok else "\nFAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
