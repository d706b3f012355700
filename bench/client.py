"""A tiny HTTP client for the benchmark: http.client, one connection per request, cookies by hand.

Standard library only, so the numbers measure the server and not a client library.
Every request goes to 127.0.0.1; nothing here can reach another host.
"""

import http.client
import json
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN_FIELD = re.compile(r'name="form_token" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    seconds: float
    queries: int | None
    body: bytes
    headers: dict[str, str]


@dataclass
class Session:
    """One signed-in (or token-carrying) client against the local server."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    token: str | None = None
    timeout: float = 30.0

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        sent = {"Host": f"{HOST}:{self.port}", "Connection": "close"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            sent["Authorization"] = f"Token {self.token}"
        sent.update(headers or {})
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            payload = response.read()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
        count = response.getheader("X-Query-Count")
        return Answer(
            status=response.status,
            seconds=seconds,
            queries=int(count) if count is not None else None,
            body=payload,
            headers={k.lower(): v for k, v in response.getheaders()},
        )

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post_form(self, path: str, data: dict[str, Any]) -> Answer:
        csrf = self.cookies.get("csrftoken", "")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}).encode()
        return self.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, data: dict[str, Any]) -> Answer:
        return self.request("POST", path, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        match = CSRF_FIELD.search(page.body.decode())
        if page.status != 200 or not match:
            raise RuntimeError(f"login page answered {page.status}")
        answer = self.post_form("/accounts/login/", {"username": username, "password": password})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in as {username} failed ({answer.status})")


def form_token(answer: Answer) -> str:
    match = FORM_TOKEN_FIELD.search(answer.body.decode())
    if not match:
        raise RuntimeError("the new-ticket form has no form_token")
    return match.group(1)


def wait_until_up(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Session(port, timeout=2).get("/accounts/login/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server on 127.0.0.1:{port} did not come up in {seconds:.0f}s")
