#!/usr/bin/env python
"""Copied from the shared peer folder (/work/shared/peer-django-helpdesk/interleaved.py, by the session
that set the peer up) for `python -m bench.peer`. Changed only so a loaded machine cannot break it: both
servers get 60 s to come up and a slow first answer (a read timeout) counts as "not up yet" instead of
ending the run with the peer's gunicorn left running; PEER_DIR must point at the peer folder.

Side by side, interleaved: django-helpdesk 2.6.1 and the project served at the same time (each by
gunicorn with 2 workers on PostgreSQL), one request at a time, alternating A B B A ... per job, so
both see the same machine at the same moment. Prints per job the two medians, the ratio of medians
and the median of the paired ratios; the machine's drift cancels in the pairs.

Run with the peer's venv python (it imports the peer's measure.py helpers), from anywhere:
  PROJ=<project root> DATABASE_URL=<the project's seeded PostgreSQL> \
    <peer folder>/venv/bin/python interleaved.py --out FILE.json [--rounds 30]
PROJ_VENV defaults to PROJ/.venv (it needs gunicorn). The project's users default to the demo's
technician and director (OURS_TECH, OURS_TECH_PASSWORD, OURS_DIRECTOR, OURS_DIRECTOR_PASSWORD).
Both databases must be seeded at the same N. Writes FILE.json with every sample.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEER = os.environ["PEER_DIR"]
sys.path.insert(0, PEER)
import measure as peer  # noqa: E402  (sets up the peer's Django)
import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from helpdesk.models import Queue, Ticket  # noqa: E402

TECH = os.environ.get("OURS_TECH", "tech"), os.environ.get("OURS_TECH_PASSWORD", "demo-tech-2026")
DIRECTOR = (os.environ.get("OURS_DIRECTOR", "director"), os.environ.get("OURS_DIRECTOR_PASSWORD", "demo-director-2026"))


def start_ours(port):
    proj = os.environ.get("PROJ", ".")
    venv = os.environ.get("PROJ_VENV", os.path.join(proj, ".venv"))
    env = dict(
        os.environ,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + "x" * 50),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [f"{venv}/bin/gunicorn", "helpdesk.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "300"],
        cwd=proj,
        env=env,
        stdout=open("/tmp/bench-interleaved-ours.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if wait_up(f"http://127.0.0.1:{port}/accounts/login/"):
        return proc
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("the project's gunicorn did not start")


def wait_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=10)
            return True
        except requests.RequestException:
            time.sleep(0.3)
    return False


def start_peer(port):
    cmd = [
        f"{PEER}/venv/bin/gunicorn",
        "peerproj.wsgi:application",
        "--chdir",
        f"{PEER}/project",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "300",
    ]
    proc = subprocess.Popen(
        cmd, stdout=open("/tmp/bench-interleaved-peer.log", "w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    if wait_up(f"http://127.0.0.1:{port}/login/"):
        return proc
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("the peer's gunicorn did not start")


def ours_login(base, user, password):
    s = requests.Session()
    r = s.get(base + "/accounts/login/")
    tok = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text).group(1)
    r = s.post(
        base + "/accounts/login/",
        data={"username": user, "password": password, "csrfmiddlewaretoken": tok},
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
    )
    assert r.status_code == 302, f"login {user}: {r.status_code}"
    return s


def timed(fn):
    t0 = time.perf_counter()
    r = fn()
    return time.perf_counter() - t0, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args()
    pbase, obase = "http://127.0.0.1:8077", "http://127.0.0.1:8078"

    admin = get_user_model().objects.get(username=peer.USERNAME)
    queue_id = Queue.objects.order_by("id").first().id
    pticket = peer.pick_ticket()
    c = Client()
    c.force_login(admin)
    dt_query = re.search(r"/datatables_ticket_list/([A-Za-z0-9+/=]+)", c.get("/tickets/").content.decode()).group(1)

    pproc = start_peer(8077)
    try:
        oproc = start_ours(8078)
    except Exception:
        os.killpg(pproc.pid, signal.SIGTERM)
        raise
    try:
        ps = peer.http_login(pbase)
        ptoken = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', ps.get(pbase + "/tickets/submit/").text
        ).group(1)
        tech, director = ours_login(obase, *TECH), ours_login(obase, *DIRECTOR)
        tok = requests.post(obase + "/api/auth/token/", json={"username": TECH[0], "password": TECH[1]}).json()["token"]
        api = {"Authorization": "Token " + tok}
        page = requests.get(obase + "/api/tickets/", params={"status": "in_progress"}, headers=api).json()["results"]
        oticket = max(
            page,
            key=lambda t: len(
                requests.get(f"{obase}/api/tickets/{t['id']}/comments/", headers=api).json().get("results", [])
            ),
        )
        n = {"p": 0}

        def peer_post():
            n["p"] += 1
            data = peer.create_form_data(queue_id, n["p"])
            data["csrfmiddlewaretoken"] = ptoken
            return ps.post(
                pbase + "/tickets/submit/",
                data=data,
                allow_redirects=False,
                headers={"Referer": pbase + "/tickets/submit/"},
            )

        def ours_post():
            return requests.post(
                obase + "/api/tickets/",
                headers=api,
                json={
                    "title": "BENCH create: projector has no signal (room 214)",
                    "description": "Shows 'no signal' since this morning; tried another cable.",
                    "category": oticket["category"],
                    "school": oticket["school"],
                    "impact": "medium",
                    "urgency": "high",
                },
            )

        def peer_list():
            a = ps.get(pbase + "/tickets/")
            b = ps.get(pbase + f"/datatables_ticket_list/{dt_query}", params=peer.datatables_params())
            return b if a.status_code == 200 else a

        jobs = [  # (job, heavy, peer request, our request)
            ("staff ticket list (peer: page + AJAX rows)", True, peer_list, lambda: tech.get(obase + "/tickets/")),
            (
                "ticket detail",
                False,
                lambda: ps.get(pbase + f"/tickets/{pticket}/"),
                lambda: tech.get(obase + f"/tickets/{oticket['id']}/"),
            ),
            (
                "new ticket form",
                False,
                lambda: ps.get(pbase + "/tickets/submit/"),
                lambda: tech.get(obase + "/tickets/new/"),
            ),
            ("create a ticket", False, peer_post, ours_post),
            (
                "director's overview (peer: /dashboard/)",
                True,
                lambda: ps.get(pbase + "/dashboard/"),
                lambda: director.get(obase + "/dashboard/"),
            ),
            (
                "director's reports (peer: /reports/)",
                True,
                lambda: ps.get(pbase + "/reports/"),
                lambda: director.get(obase + "/dashboard/"),
            ),
        ]
        out = {"rounds": args.rounds, "jobs": {}}
        for job, heavy, pf, of in jobs:
            for _ in range(args.warmup):
                pf(), of()
            slow = statistics.mean(timed(pf)[0] for _ in range(2)) > 2.0
            rounds = max(15, args.rounds // 2) if slow else args.rounds
            ps_, os_ = [], []
            for i in range(rounds):
                order = (pf, of) if i % 2 == 0 else (of, pf)
                for fn in order:
                    dt, r = timed(fn)
                    if r.status_code not in (200, 201, 302):
                        raise RuntimeError(f"{job}: HTTP {r.status_code} {r.text[:200]}")
                    (ps_ if fn is pf else os_).append(dt * 1000)
            pm, om = statistics.median(ps_), statistics.median(os_)
            paired = statistics.median(p / o for p, o in zip(ps_, os_, strict=True))
            out["jobs"][job] = {
                "heavy": heavy,
                "peer_ms": ps_,
                "ours_ms": os_,
                "peer_median": pm,
                "ours_median": om,
                "ratio_of_medians": pm / om,
                "paired_ratio": paired,
            }
            print(
                f"  {job:45s} peer {pm:8.1f} ms  ours {om:7.1f} ms  ratio {pm / om:5.1f}x "
                f"(paired {paired:5.1f}x, n={rounds})",
                flush=True,
            )
    finally:
        for proc in (pproc, oproc):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        Ticket.objects.filter(title__startswith=peer.BENCH_TITLE).delete()
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
