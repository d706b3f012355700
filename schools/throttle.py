"""The hourly counters that throttle the public forms (password reset, family reports):
one count per try in the cache, which may lose them (schools/cache.py)."""

from django.core.cache import cache

HOUR = 3600


def allow_try(key: str, limit: int) -> bool:
    """Count one more try under `key` this hour; False once `limit` is passed."""
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count <= limit
