"""Is the desk up? The database, the cache, the broker, and a worker and beat that ran lately.

`/health/` answers anonymous callers with only "ok" (200) or "not ok" (503); staff, or a
caller sending `Authorization: Bearer <HEALTH_TOKEN>`, get each check as JSON. The
docker-compose health checks run the same checks (`manage.py health`).

Worker and beat prove themselves with heartbeats in the cache (Redis in production): beat's
scheduler records each tick, and beat runs the `heartbeat` task every minute, which a worker
records when it runs it. Without a broker (the demo, the tests) tasks run in-process and there
is no worker or beat to check.
"""

import time
from collections.abc import Callable
from typing import Any

from celery import shared_task
from celery.beat import PersistentScheduler
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

WORKER_KEY = "health:worker-heartbeat"
BEAT_KEY = "health:beat-heartbeat"


@shared_task(name="helpdesk.health.heartbeat", ignore_result=True)
def heartbeat() -> None:
    cache.set(WORKER_KEY, time.time(), timeout=None)


class HeartbeatScheduler(PersistentScheduler):
    """beat's usual scheduler, recording in the cache that it is still ticking (at most every 30 s)."""

    _last_beat = 0.0

    def tick(self, *args: Any, **kwargs: Any) -> float:
        interval = super().tick(*args, **kwargs)
        now = time.time()
        if now - self._last_beat >= 30:
            try:
                cache.set(BEAT_KEY, now, timeout=None)
                self._last_beat = now
            except Exception:  # noqa: BLE001 - a cache outage must not stop the schedule; /health/ shows it
                pass
        return min(interval, 30.0)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    probe = f"health:probe:{time.time()}"
    cache.set(probe, "1", timeout=10)
    if cache.get(probe) != "1":
        raise RuntimeError("the cache did not return what was written")
    cache.delete(probe)
    return "ok"


def _in_process() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def _broker() -> str:
    if _in_process():
        return "skipped: tasks run in-process"
    from helpdesk.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _heartbeat(key: str, who: str) -> str:
    if _in_process():
        return "skipped: tasks run in-process"
    seen = cache.get(key)
    if seen is None:
        raise RuntimeError(f"no {who} heartbeat recorded yet")
    age = time.time() - float(seen)
    if age > settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS:
        raise RuntimeError(f"last {who} heartbeat {age:.0f} s ago")
    return f"ok: {age:.0f} s ago"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "worker": lambda: _heartbeat(WORKER_KEY, "worker"),
    "beat": lambda: _heartbeat(BEAT_KEY, "beat"),
}


def run_checks(names: list[str] | None = None) -> tuple[bool, dict[str, str]]:
    """Run the named checks (all by default); returns whether all passed and each one's result."""
    results = {}
    healthy = True
    for name in names or list(CHECKS):
        try:
            results[name] = CHECKS[name]()
        except Exception as error:  # noqa: BLE001 - any failure is a "not ok", never a 500
            healthy = False
            results[name] = f"failed: {type(error).__name__}: {error}"
    return healthy, results


def _may_see_details(request: HttpRequest) -> bool:
    token = settings.HEALTH_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and constant_time_compare(sent.removeprefix("Bearer "), token):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """`?checks=database,cache` runs only those (web's own compose check); unknown names are ignored."""
    wanted = [name for name in request.GET.get("checks", "").split(",") if name in CHECKS]
    healthy, results = run_checks(wanted)
    status = 200 if healthy else 503
    if _may_see_details(request):
        return JsonResponse({"status": "ok" if healthy else "not ok", "checks": results}, status=status)
    return HttpResponse("ok" if healthy else "not ok", status=status, content_type="text/plain")
