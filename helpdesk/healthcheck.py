"""The docker-compose health checks: `python -m helpdesk.healthcheck web|CHECK ...`.

`web` asks gunicorn for /health/?checks=database,cache as the proxy would (a Host from
ALLOWED_HOSTS, X-Forwarded-Proto https), so the answer is 200 only when Django serves
pages; it loads no Django itself. Other arguments name checks of helpdesk/health.py run
in this process (the worker checks `broker worker`, beat checks `beat`). Exit 0 if healthy.
"""

import os
import sys
import urllib.error
import urllib.request


def web() -> int:
    host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".") or "localhost"
    port = os.environ.get("WEB_INTERNAL_PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health/?checks=database,cache",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=8) as response:
            answer = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        answer, status = error.read().decode(errors="replace"), error.code
    except OSError as error:
        answer, status = str(error), 0
    print(status, answer[:200])
    return 0 if status == 200 else 1


def checks(names: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from helpdesk.health import CHECKS, run_checks

    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        print(f"unknown checks {unknown}; known: {sorted(CHECKS)}")
        return 2
    healthy, results = run_checks(names)
    for name, result in results.items():
        print(f"{name}: {result}")
    return 0 if healthy else 1


def main(argv: list[str]) -> int:
    if argv == ["web"]:
        return web()
    return checks(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
