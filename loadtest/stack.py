"""The load run's stack on 127.0.0.1: PostgreSQL (recreated and seeded), Redis, an SMTP sink, gunicorn, Celery."""

import email
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
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
