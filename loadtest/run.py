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
import email
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psycopg2
import requests
from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-2026"
SEED = """
from django.contrib.auth.models import Group, User
from django.contrib.auth.hashers import make_password
from schools.models import Profile, School
from tickets.models import Category
hashed = make_password({password!r})
schools = [School.objects.create(name=f"Load School {{n}}", code=f"L{{n:02d}}", level="elementary") for n in range(4)]
for n in range(5):
    Category.objects.create(name=f"Load category {{n}}", slug=f"load-{{n}}")
tech = Group.objects.get(name="technician")
for n in range({teachers}):
    user = User.objects.create(username=f"teacher{{n}}", email=f"teacher{{n}}@district.example", password=hashed)
    Profile.objects.filter(user=user).update(school=schools[n % len(schools)])
for n in range({technicians}):
    user = User.objects.create(username=f"tech{{n}}", email=f"tech{{n}}@district.example", password=hashed)
    user.groups.add(tech)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the SMTP sink -----------------------------------------------------------------------


class Sink:
    """Keeps every message it accepts; thread-safe enough for counting."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted"

    def bodies(self) -> list[str]:
        texts = []
        with self.lock:
            for message in self.messages:
                parts = [
                    part.get_payload(decode=True).decode("utf-8", "replace")
                    for part in message.walk()
                    if part.get_content_type() == "text/plain"
                ]
                texts.append("\n".join(parts))
        return texts


# --- simulated users ---------------------------------------------------------------------


@dataclass
class Stats:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)
    created: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, status: int, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.samples[name].append(seconds)
            self.statuses[status] += 1
            if status >= 500 or status == 0:
                self.failures.append(f"{name}: {status} {detail}"[:300])


class User:
    def __init__(self, base: str, username: str, stats: Stats, deadline: float, rng: random.Random) -> None:
        self.base = base
        self.username = username
        self.stats = stats
        self.deadline = deadline
        self.rng = rng
        self.session = requests.Session()

    def request(self, name: str, method: str, path: str, **kwargs) -> requests.Response | None:
        if method == "post":
            data = kwargs.setdefault("data", {})
            data["csrfmiddlewaretoken"] = self.session.cookies.get("csrftoken", "")
            kwargs.setdefault("headers", {})["Referer"] = self.base + path
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, allow_redirects=False, timeout=30, **kwargs)
        except requests.RequestException as error:
            self.stats.record(name, 0, time.perf_counter() - started, repr(error))
            return None
        self.stats.record(name, response.status_code, time.perf_counter() - started, path)
        return response

    def login(self) -> bool:
        self.request("login page", "get", "/accounts/login/")
        response = self.request(
            "sign in", "post", "/accounts/login/", data={"username": self.username, "password": PASSWORD}
        )
        return response is not None and response.status_code == 302

    def pause(self) -> None:
        time.sleep(self.rng.uniform(0.3, 1.2))

    def run(self) -> None:
        if not self.login():
            return
        while time.monotonic() < self.deadline:
            self.step()
            self.pause()

    def open_tickets(self, query: str) -> list[dict]:
        response = self.request("api ticket list", "get", f"/api/tickets/?{query}")
        if response is None or response.status_code != 200:
            return []
        return response.json()["results"]


class Teacher(User):
    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.35:
            self.file()
        elif roll < 0.55:
            self.request("home", "get", "/")
            self.request("my requests", "get", "/tickets/")
        elif roll < 0.8:
            mine = self.open_tickets("page_size=10")
            if mine:
                ticket = self.rng.choice(mine)
                self.request("ticket page", "get", f"/tickets/{ticket['id']}/")
                self.request(
                    "reply", "post", f"/tickets/{ticket['id']}/comment/", data={"body": "Still happening this morning."}
                )
        else:
            for ticket in self.open_tickets("status=resolved&page_size=5"):
                self.request("confirm fix", "post", f"/tickets/{ticket['id']}/close/", data={"reason": ""})

    def file(self) -> None:
        page = self.request("new request form", "get", "/tickets/new/")
        if page is None or page.status_code != 200:
            return
        token = re.search(r'name="form_token" value="([^"]+)"', page.text)
        category = re.search(r'<option value="(\d+)"', page.text)
        if not (token and category):
            self.stats.failures.append("new request form without token or categories")
            return
        response = self.request(
            "file request",
            "post",
            "/tickets/new/",
            data={
                "title": f"Projector in room {self.rng.randint(1, 300)} shows no picture",
                "description": "The lamp light blinks orange.",
                "category": category.group(1),
                "impact": self.rng.choice(["low", "medium", "high"]),
                "urgency": self.rng.choice(["low", "medium", "high"]),
                "asset_tag": "",
                "needed_by": "",
                "form_token": token.group(1),
            },
        )
        if response is not None and response.status_code == 302:
            match = re.search(r"/tickets/(\d+)/$", response.headers["Location"])
            if match:
                with self.stats.lock:
                    self.stats.created.add(int(match.group(1)))
                self.request("ticket page", "get", match.group(0))


class Technician(User):
    user_id: int = 0

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.2:
            self.request("today", "get", "/today/")
        elif roll < 0.4:
            self.request("queue", "get", "/tickets/?open=true&ordering=-priority")
        else:
            self.work()

    def work(self) -> None:
        new = self.open_tickets("status=new&page_size=10")
        mine = self.open_tickets(f"assignee={self.user_id}&status=assigned&status=in_progress&page_size=10")
        if mine and self.rng.random() < 0.6:
            ticket = self.rng.choice(mine)
            path = f"/tickets/{ticket['id']}/"
            self.request("ticket page (staff)", "get", path)
            self.request("staff reply", "post", path + "comment/", data={"body": "Try holding the power button."})
            self.request(
                "resolve",
                "post",
                path + "resolve/",
                data={"resolution": "Reseated the cable.", "self_help": "Check it."},
            )
            if self.rng.random() < 0.3:
                self.request("close (staff)", "post", path + "close/", data={"reason": ""})
        elif new:
            ticket = self.rng.choice(new)
            self.request("assign", "post", f"/tickets/{ticket['id']}/assign/", data={"assignee": self.user_id})


# --- the stack -----------------------------------------------------------------------------


class Stack:
    def __init__(self, database_url: str, web_workers: int) -> None:
        self.database_url = database_url
        self.web_workers = web_workers
        self.processes: list[subprocess.Popen] = []
        self.redis_port = free_port()
        self.web_port = free_port()
        self.smtp_port = free_port()
        self.sink = Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.smtp_port)
        self.logs = Path(tempfile.mkdtemp(prefix="helpdesk-load-"))
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "DEBUG": "false",
            "SECRET_KEY": "load-test-only-" + "k" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{self.web_port}",
            "HELPDESK_OUTBOX_RETRY_AFTER_SECONDS": "10",
            "SURVEY_SWEEP_AFTER_SECONDS": "10",
            "LOG_LEVEL": "ERROR",
        }

    def manage(self, *args: str, code: str | None = None) -> None:
        command = [sys.executable, "manage.py", *args]
        subprocess.run(command, cwd=REPO, env=self.env, check=True, input=code, text=True, capture_output=True)

    def recreate_database(self) -> None:
        url = urlparse(self.database_url)
        name = url.path.lstrip("/")
        admin = psycopg2.connect(
            host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()

    def start(self, *, teachers: int, technicians: int) -> None:
        self.recreate_database()
        self.manage("migrate", "--noinput")
        self.manage("shell", code=SEED.format(password=PASSWORD, teachers=teachers, technicians=technicians))
        self.spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", ""])
        self.controller.start()
        self.spawn(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "helpdesk.wsgi:application",
                f"--bind=127.0.0.1:{self.web_port}",
                f"--workers={self.web_workers}",
                "--timeout=30",
            ],
        )
        self.spawn(
            "worker", [sys.executable, "-m", "celery", "-A", "helpdesk", "worker", "--concurrency=2", "-l", "WARNING"]
        )
        for _ in range(100):
            try:
                if requests.get(f"{self.base}/accounts/login/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not come up; see {self.logs}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def spawn(self, name: str, command: list[str]) -> None:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        self.processes.append(
            subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.controller.stop()

    def query(self, sql: str) -> list[tuple]:
        url = urlparse(self.database_url)
        with (
            psycopg2.connect(
                host=url.hostname,
                port=url.port or 5432,
                user=url.username,
                password=url.password,
                dbname=url.path.lstrip("/"),
            ) as conn,
            conn.cursor() as cursor,
        ):
            cursor.execute(sql)
            return cursor.fetchall()

    def drain(self, timeout: float) -> int:
        """Wait for every owed email to be sent; run the sweeps as beat would. Returns what is still owed."""
        deadline = time.monotonic() + timeout
        owed = -1
        while time.monotonic() < deadline:
            owed = self.query(
                "SELECT (SELECT count(*) FROM tickets_outboundemail WHERE sent_at IS NULL AND NOT failed_permanently)"
                " + (SELECT count(*) FROM surveys_surveyinvitation WHERE sent_at IS NULL AND NOT failed_permanently)"
            )[0][0]
            if owed == 0:
                return 0
            time.sleep(5)
            self.manage(
                "shell",
                code="from notifications.tasks import sweep_outbox\nfrom surveys.tasks import sweep_survey_invitations\n"
                "sweep_outbox(); sweep_survey_invitations()\n",
            )
        return owed


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
