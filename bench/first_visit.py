"""`python -m bench.first_visit` (or `make first-visit`): each page's first visit on a slow school connection.

1. a small demo district (`seed_demo --schools 12 --tickets 2000`) in a SQLite file under a temporary
   folder, or `--database-url` (seeded already, e.g. by `make demo`) with `--no-seed`;
2. served as the image serves it: `collectstatic` with the manifest storage into a temporary
   STATIC_ROOT, WHITENOISE_USE_FINDERS=false, DEBUG off, gunicorn on 127.0.0.1, and Caddy in front
   with deploy/Caddyfile's `encode zstd gzip` (plain HTTP on 127.0.0.1), which compresses the HTML;
3. headless Chromium (/usr/bin/chromium through Playwright) signs in as each role, then for each page:
   empties the browser's cache, throttles the network with CDP (400 ms latency, 400 kbit/s each way)
   and the CPU (4x slower), loads the page with `Accept-Encoding: gzip, br`, and records the bytes on
   the wire (the sum of each response's encodedDataLength: headers and compressed body) and the first
   contentful paint;
4. prints the table and writes bench/results/first_visit.md. Caddy and gunicorn are stopped by their ids.

Targets (issue 22): at most 100 KB per page, first paint at most 3 s for teacher pages, 5 s for the
dashboard.
"""

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.__main__ import Processes

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "first_visit.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
LATENCY_MS = 400
KBIT_PER_SECOND = 400
CPU_SLOWDOWN = 4
KB = 1000
TARGET_BYTES = 100 * KB
SIGN_IN = {
    "teacher": ("teacher", "demo-teacher-2026"),
    "technician": ("tech", "demo-tech-2026"),
    "director": ("director", "demo-director-2026"),
}


@dataclass
class Page:
    name: str
    role: str  # "" = signed out
    path: str  # "{ticket}" is the teacher's first ticket
    target_paint_s: float


PAGES = [
    Page("Sign-in", "", "/accounts/login/", 3.0),
    Page("Teacher start page", "teacher", "/", 3.0),
    Page("New request", "teacher", "/tickets/new/", 3.0),
    Page("A ticket (teacher)", "teacher", "{ticket}", 3.0),
    Page("Self-help (KB)", "teacher", "/kb/", 3.0),
    Page("Help hours", "teacher", "/support/", 3.0),
    Page("Technician queue", "technician", "/tickets/?open=true&ordering=-priority", 3.0),
    Page("Today", "technician", "/today/", 3.0),
    Page("Dashboard", "director", "/dashboard/", 5.0),
]


@dataclass
class Measured:
    page: Page
    path: str
    status: int
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    fcp_ms: float | None = None
    load_ms: float | None = None
    charts_ms: float | None = None

    @property
    def total(self) -> int:
        return sum(self.bytes_by_kind.values())


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.first_visit", description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder, seeded")
    parser.add_argument("--no-seed", action="store_true", help="the database is seeded already")
    parser.add_argument("--port", type=int, default=8781, help="Caddy's port (gunicorn takes the next)")
    parser.add_argument("--runs", type=int, default=3, help="loads per page; the table shows the median")
    return parser.parse_args()


def log(message: str) -> None:
    print(f"[first-visit {time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def caddyfile(port: int, upstream: int) -> str:
    """deploy/Caddyfile's site block, on plain HTTP: the same `encode` line, read from the file."""
    encode = re.search(r"^\s*(encode .+)$", (ROOT / "deploy" / "Caddyfile").read_text(), re.M)
    assert encode, "deploy/Caddyfile has no encode line"
    return (
        "{\n\tadmin off\n\tauto_https off\n}\n"
        f"http://127.0.0.1:{port} {{\n\t{encode.group(1)}\n\treverse_proxy 127.0.0.1:{upstream}\n}}\n"
    )


def measure(context: Any, base: str, page_spec: Page, path: str) -> Measured:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "gzip, br"}})
    throughput = KBIT_PER_SECOND * 1000 / 8
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": throughput, "uploadThroughput": throughput},
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    kinds: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda event: kinds.__setitem__(event["requestId"], event["type"]))
    cdp.on("Network.loadingFinished", lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]))
    response = page.goto(base + path, wait_until="load", timeout=180_000)
    if page_spec.name == "Dashboard" and page.locator("canvas").count():
        page.wait_for_selector("canvas[data-chart-drawn='true']", timeout=60_000)
    page.wait_for_timeout(300)  # the last loadingFinished events
    timing = page.evaluate(
        """() => {
            const paint = performance.getEntriesByName("first-contentful-paint")[0];
            const nav = performance.getEntriesByType("navigation")[0];
            return {fcp: paint ? paint.startTime : null, load: nav ? nav.loadEventEnd : null, now: performance.now()};
        }"""
    )
    measured = Measured(page_spec, path, response.status if response else 0)
    for request_id, size in sizes.items():
        kind = {"Document": "html", "Stylesheet": "css", "Script": "js"}.get(kinds.get(request_id, ""), "other")
        measured.bytes_by_kind[kind] = measured.bytes_by_kind.get(kind, 0) + int(size)
        measured.requests += 1
    measured.fcp_ms, measured.load_ms = timing["fcp"], timing["load"]
    if page_spec.name == "Dashboard" and page.locator("canvas[data-chart-drawn='true']").count():
        measured.charts_ms = timing["now"]
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    page.close()
    return measured


def sign_in(browser: Any, base: str, role: str) -> Any:
    context = browser.new_context()
    if role:
        page = context.new_page()
        page.goto(base + "/accounts/login/")
        username, password = SIGN_IN[role]
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit], main form input[type=submit]").first.click()
        page.wait_for_load_state("load")
        if "/accounts/login/" in page.url:
            raise SystemExit(f"Signing in as {username} failed (is the database seeded with the demo district?)")
        page.close()
    return context


def first_ticket(context: Any, base: str) -> str:
    page = context.new_page()
    page.goto(base + "/tickets/")
    href = page.eval_on_selector_all(
        "main a[href^='/tickets/']",
        "links => links.map(a => a.getAttribute('href')).find(h => /^\\/tickets\\/\\d+\\/$/.test(h))",
    )
    page.close()
    if not href:
        raise SystemExit("The teacher has no ticket to open.")
    return href


def median(values: list[float | None]) -> float | None:
    present = sorted(v for v in values if v is not None)
    return present[len(present) // 2] if present else None


def combine(runs: list[Measured]) -> Measured:
    """The median run by first paint (bytes barely vary between runs)."""
    ordered = sorted(runs, key=lambda m: (m.fcp_ms is None, m.fcp_ms or 0))
    return ordered[len(ordered) // 2]


def table(results: list[Measured]) -> str:
    def kb(n: int) -> str:
        return f"{n / KB:.1f}"

    def s(ms: float | None) -> str:
        return "–" if ms is None else f"{ms / 1000:.2f}"

    lines = [
        "| page | role | requests | HTML KB | CSS KB | JS KB | other KB | total KB | first paint s | load s | ok |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for m in results:
        b = m.bytes_by_kind
        ok = m.status == 200 and m.total <= TARGET_BYTES and (m.fcp_ms or 1e9) <= m.page.target_paint_s * 1000
        lines.append(
            f"| {m.page.name} | {m.page.role or 'signed out'} | {m.requests} | {kb(b.get('html', 0))} | "
            f"{kb(b.get('css', 0))} | {kb(b.get('js', 0))} | {kb(b.get('other', 0))} | **{kb(m.total)}** | "
            f"**{s(m.fcp_ms)}** | {s(m.load_ms)} | {'yes' if ok else 'NO'} (≤ {TARGET_BYTES // KB} KB, "
            f"≤ {m.page.target_paint_s:g} s) |"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="helpdesk-first-visit-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'demo.sqlite3'}"
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY="first-visit-bench-only-secret-key-0123456789-abcdefghij",
        WHITENOISE_USE_FINDERS="false",
        STATIC_ROOT=str(workdir / "static"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )

    def manage(*arguments: str) -> None:
        subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)

    if not args.no_seed:
        log(f"migrate and seed a small demo district into {database_url}")
        manage("migrate", "-v", "0")
        manage("seed_demo", "--schools", "12", "--tickets", "2000", "--if-empty")
    manage("createcachetable")
    log("collectstatic (manifest storage, gzip twins)")
    manage("collectstatic", "--noinput", "-v", "0")

    upstream = args.port + 1
    base = f"http://127.0.0.1:{args.port}"
    (workdir / "Caddyfile").write_text(caddyfile(args.port, upstream))
    processes = Processes()
    results: list[Measured] = []
    try:
        gunicorn = [sys.executable, "-m", "gunicorn", "helpdesk.wsgi:application"]
        processes.start("gunicorn", [*gunicorn, "--bind", f"127.0.0.1:{upstream}", "--workers", "2"], env)
        caddy = shutil.which("caddy")
        if not caddy:
            raise SystemExit("Caddy is needed in front of gunicorn (it compresses the HTML, as in production).")
        processes.start("caddy", [caddy, "run", "--config", str(workdir / "Caddyfile"), "--adapter", "caddyfile"], env)
        wait_until_up(base + "/accounts/login/")
        log(f"serving on {base}; logs in {processes.logdir}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            contexts = {role: sign_in(browser, base, role) for role in ["", *SIGN_IN]}
            ticket = first_ticket(contexts["teacher"], base)
            for spec in PAGES:
                path = spec.path.replace("{ticket}", ticket)
                measure(contexts[spec.role], base, spec, path)  # warms the server's caches, not the browser's
                runs = [measure(contexts[spec.role], base, spec, path) for _ in range(args.runs)]
                results.append(combine(runs))
                m = results[-1]
                fcp = "–" if m.fcp_ms is None else f"{m.fcp_ms / 1000:.2f}"
                log(f"{spec.name}: {m.total / KB:.1f} KB, first paint {fcp} s")
            browser.close()
    finally:
        processes.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)

    report = table(results)
    print(report)
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(
        "# First visit on a slow school connection\n\n"
        f"{datetime.now():%Y-%m-%d %H:%M}, `python -m bench.first_visit --runs {args.runs}` "
        f"(median of {args.runs} loads by first paint, after one untimed load).\n\n"
        f"Chromium {CHROMIUM} headless, cache emptied before each load; CDP throttling: {LATENCY_MS} ms latency, "
        f"{KBIT_PER_SECOND} kbit/s down and up, CPU {CPU_SLOWDOWN}x slower; `Accept-Encoding: gzip, br`. "
        "Served as in production: gunicorn, DEBUG off, collected static files (hashed names, gzip twins, "
        "whitenoise), Caddy in front with deploy/Caddyfile's `encode` line compressing the HTML. "
        "Bytes are on the wire (headers included: CDP encodedDataLength), KB = 1000 bytes. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.\n\n"
        f"{report}\n"
    )
    log(f"wrote {RESULT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
