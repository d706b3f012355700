"""Without a broker, outbox tasks run on one background thread, never in the request (issue 15, item 5).

Without REDIS_URL Celery runs tasks "eagerly": in the caller, which for the
outbox meant inside the web request, retries and all. An SMTP server that hung
held the request until gunicorn killed it, the person saw a 500 for a ticket
that was saved, and pressing again filed it twice. Here the task runs once on a
daemon thread of this process instead, after the response has gone; a failure
stays on its row (attempts, last error) for the sweep, with no retry in the
thread. The queue is bounded: past BACKLOG waiting tasks, a new one is left to
the sweep, so a mail outage cannot pile up memory. The thread ends after
IDLE_SECONDS without work and starts again with the next task.
"""

import logging
import queue
import threading
from typing import Any

from django.db import connections

logger = logging.getLogger(__name__)

BACKLOG = 200
IDLE_SECONDS = 30.0

_tasks: queue.Queue[tuple[Any, tuple[Any, ...]]] = queue.Queue(maxsize=BACKLOG)
_lock = threading.Lock()
_thread: threading.Thread | None = None


def submit(task: Any, args: tuple[Any, ...]) -> bool:
    """Run `task(*args)` once on the background thread; False if the backlog is full (the sweep sends it)."""
    global _thread
    try:
        _tasks.put_nowait((task, args))
    except queue.Full:
        logger.warning("Background backlog full; %s%r is left to the sweep", task.name, args)
        return False
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, name="outbox-background", daemon=True)
            _thread.start()
    return True


def run_once(task: Any, args: tuple[Any, ...]) -> None:
    """Run the task in this thread with its retries used up, so a failure is not retried here."""
    # Celery's eager retry runs again at once, in the same thread, ignoring the countdown;
    # starting at max_retries makes the first failure final (it is recorded on the row).
    task.apply(args=args, retries=task.max_retries or 0, throw=False)


def _work() -> None:
    global _thread
    while True:
        try:
            task, args = _tasks.get(timeout=IDLE_SECONDS)
        except queue.Empty:
            with _lock:
                if _tasks.empty():
                    _thread = None
                    return
            continue
        try:
            run_once(task, args)
        except Exception:  # noqa: BLE001 - recorded on the row; the sweep retries
            logger.warning("Background %s%r failed; the sweep retries", task.name, args, exc_info=True)
        finally:
            if _tasks.empty():
                # Idle: hold no database connection (nobody else would close this thread's).
                connections.close_all()
            _tasks.task_done()


def wait_until_idle() -> None:
    """Block until every submitted task has run (tests, and a clean shutdown)."""
    _tasks.join()
