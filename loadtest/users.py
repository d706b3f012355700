"""The load run's simulated users: teachers file, reply and confirm; technicians work the queue."""

import random
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import requests

from loadtest.stack import PASSWORD

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
