"""Filing a ticket once per key, for both doors: a retried POST files one ticket.

A client that lost the answer to its POST (a timeout, a dropped connection) sends
the same request again with the same key and gets the ticket the first one filed.
The key is the caller's own: keys never collide across users. The same key with a
different body is a client bug and is refused rather than guessed at.

The API takes the key from the `Idempotency-Key` header; the new-ticket page from its
form (a key drawn when the form is shown, in a hidden field), so a double click or a
resent form files one ticket too. The row lives in the database, so it holds across
workers and with the cache gone.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from tickets.errors import DomainError
from tickets.models import IdempotencyKey, Ticket

MAX_KEY_LENGTH = IdempotencyKey.KEY_MAX_LENGTH


class KeyReused(DomainError):
    """The key was used before for a different request (API: 422)."""


def request_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise DomainError(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters.", field="Idempotency-Key"
        )
    return key


def _replay(user: User, key: str, fingerprint: str) -> Ticket | None:
    stored = IdempotencyKey.objects.filter(user=user, key=key).select_related("ticket").first()
    if stored is None:
        return None
    if stored.request_hash != fingerprint:
        raise KeyReused("This Idempotency-Key was already used for a different request.", field="Idempotency-Key")
    return stored.ticket


def create_once(*, user: User, key: str, data: Any, create: Callable[[], Ticket]) -> tuple[Ticket, bool]:
    """Run `create` once per (user, key). Returns the ticket and whether this call filed it.

    The key row is inserted in the ticket's own transaction, so a racing twin blocks
    on the unique index until the first commits, then fails and replays its ticket;
    the loser's ticket, event and emails roll back with it.
    """
    fingerprint = request_hash(data)
    existing = _replay(user, key, fingerprint)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            ticket = create()
            IdempotencyKey.objects.create(user=user, key=key, request_hash=fingerprint, ticket=ticket)
    except IntegrityError:
        existing = _replay(user, key, fingerprint)
        if existing is None:
            raise
        return existing, False
    return ticket, True


def prune_keys(*, older_than: timedelta) -> int:
    """Forget keys older than `older_than`: a client retries within minutes, not weeks.

    Only the key rows go; the tickets they filed stay. A key reused after this files a
    new ticket, as a new key would. Returns how many keys were deleted.
    """
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
