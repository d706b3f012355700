"""The cache backends the settings choose: a Redis cache that survives Redis being down,
and the database cache's table.

The cache only ever holds what can be lost: figures the dashboard can recompute, the
survey link and password-reset counters, the new-request form's double-submit guard.
So when Redis is unreachable every operation logs a warning and answers as an empty
cache would (a miss; a write that "worked"), and the page goes on. After a failure
the process leaves Redis alone for a few seconds instead of paying a connection
timeout on each of a page's cache calls.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds a process skips Redis after a failed call.
RETRY_AFTER = 5.0


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose calls degrade to an empty cache while Redis is down.

    `add` answers True when Redis is down: its callers use it as "first one wins"
    guards, and refusing everyone would stop the desk; the guards behind them (the
    database's own constraints) still hold.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        # A dead host must cost a second, not the operating system's minutes-long timeout.
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, params)
        self._down_until = 0.0

    def _guarded(self, operation: str, default: Any, call: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._down_until:
            return default
        try:
            return call(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("Cache unavailable (%s on %s); carrying on without it.", type(error).__name__, operation)
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded("get", default, super().get, key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guarded("set", None, super().set, key, value, timeout, version)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded("add", True, super().add, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded("touch", False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("delete", False, super().delete, key, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guarded("get_many", {}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("has_key", False, super().has_key, key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter that cannot be read counts from nothing: throttles let the call through.
        return self._guarded("incr", delta, super().incr, key, delta, version)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._guarded("set_many", [], super().set_many, data, timeout, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guarded("delete_many", None, super().delete_many, keys, version)

    def clear(self) -> None:
        self._guarded("clear", None, super().clear)


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """`createcachetable` after every migrate (post_migrate), so the database cache needs no extra step.

    Idempotent: it creates only the tables the CACHES setting names and that do not exist yet.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
