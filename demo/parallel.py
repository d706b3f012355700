"""Building a seed's rows in worker processes while the one process with the database loads them.

At ten million tickets, building the rows in Python is most of a seed's time, on one core.
`ordered_map` runs a pure function over the chunks in forked worker processes (the district,
the calendar and the creation times are inherited, not sent) and yields the results in
order, never more than a few ahead of the loader, so memory stays flat. A worker may not
touch the database: the connection it inherited belongs to the parent's transaction, so
any attempt raises instead (`_no_database`). With one process, or where fork is not
available, the function simply runs here.
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.db.backends.base.base import BaseDatabaseWrapper

T = TypeVar("T")
R = TypeVar("R")

AHEAD_PER_PROCESS = 2  # results waiting to be loaded, per worker


def default_processes(rows: int) -> int:
    """Worker processes worth starting for `rows` rows: one per core for a big seed, none for a small one."""
    return (os.cpu_count() or 1) if rows >= 200_000 else 1


def ordered_map(function: Callable[[T], R], items: Iterable[T], *, processes: int) -> Iterator[R]:
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    global _function
    _function = function  # inherited by the forked workers: only the items travel, pickled
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_no_database) as pool:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(pool.apply_async(_call, (item,)))
            if len(pending) >= processes * AHEAD_PER_PROCESS:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


_function: Callable[[Any], Any] | None = None


def _call(item: Any) -> Any:
    assert _function is not None  # set before the pool forked
    return _function(item)


def _no_database() -> None:
    def refuse(self: BaseDatabaseWrapper, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a seed worker process must not use the database; build rows from what it inherited")

    BaseDatabaseWrapper.ensure_connection = refuse  # type: ignore[method-assign]
    BaseDatabaseWrapper.cursor = refuse  # type: ignore[method-assign,assignment]
