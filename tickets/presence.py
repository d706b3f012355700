"""Who else has a ticket open: "Ms Rivera is also viewing this ticket" / "...is replying".

Each open ticket page reports every 15-20 seconds while it is visible; the report lives in
the cache for a short while and nowhere else. It is a courtesy, not a lock: when the cache
is down nobody is shown, and the stale-save refusal (`StaleTicket`) still guards the data.
"""

import logging
import time
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import cache

logger = logging.getLogger(__name__)

VIEWING, REPLYING = "viewing", "replying"
# A page that stopped reporting (closed, hidden, offline) drops out after this many seconds.
FRESH_FOR = 45


@dataclass(frozen=True)
class Presence:
    user_id: int
    name: str
    state: str


def _key(ticket_id: int) -> str:
    return f"presence:ticket:{ticket_id}"


def report(*, ticket_id: int, user: User, state: str) -> list[Presence]:
    """Record that `user` is viewing (or replying on) the ticket; return the others there now."""
    state = REPLYING if state == REPLYING else VIEWING
    now = time.time()
    try:
        seen: dict[str, list] = cache.get(_key(ticket_id)) or {}
        seen = {uid: entry for uid, entry in seen.items() if now - entry[2] < FRESH_FOR}
        seen[str(user.pk)] = [user.get_full_name() or user.get_username(), state, now]
        cache.set(_key(ticket_id), seen, FRESH_FOR)
    except Exception:  # any cache failure: nobody shown, the page goes on
        logger.warning("presence: cache unavailable", exc_info=True)
        return []
    return [
        Presence(user_id=int(uid), name=entry[0], state=entry[1])
        for uid, entry in sorted(seen.items(), key=lambda item: item[1][0])
        if uid != str(user.pk)
    ]
