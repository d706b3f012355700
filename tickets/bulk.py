"""Bulk actions on the queue: one action on many tickets, each ticket passing the same
rules alone (its own transaction, its own service call), as if acted on one by one.

The API's `POST /api/tickets/bulk/` and the queue page's selected rows both call `act_on_many`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from tickets import selectors, services
from tickets.errors import DomainError
from tickets.models import Ticket

BULK_LIMIT = 100

# The actions a selection of rows may take, each the very service a single ticket uses.
BULK_ACTIONS: dict[str, Callable[..., Ticket]] = {
    "assign": services.assign_ticket,
    "start": services.start_ticket,
    "wait": services.wait_ticket,
    "resolve": services.resolve_ticket,
    "close": services.close_ticket,
}


@dataclass(frozen=True)
class Outcome:
    id: int
    status: int  # the HTTP code the single action would have answered for this ticket
    detail: str = ""


def act_on_many(*, actor: User, ids: list[int], action: str, fields: dict[str, Any]) -> list[Outcome]:
    """Run `action` with `fields` on each ticket of `ids` (in order, each id once).

    A ticket out of the actor's reach is a 404, one the rules refuse is that refusal's
    code (400, 403, 409); the others are done (200). One ticket's refusal never undoes another's.
    """
    if action not in BULK_ACTIONS:
        raise DomainError(f"Unknown bulk action: {action}", field="action")
    ids = list(dict.fromkeys(ids))[:BULK_LIMIT]
    run = BULK_ACTIONS[action]
    visible = selectors.ticket_detail(actor).in_bulk(ids)
    outcomes = []
    for pk in ids:
        ticket = visible.get(pk)
        if ticket is None:
            outcomes.append(Outcome(pk, 404))
            continue
        try:
            run(actor=actor, ticket=ticket, **fields)
        except DomainError as error:
            outcomes.append(Outcome(pk, error.http_status, str(error)))
        else:
            outcomes.append(Outcome(pk, 200))
    return outcomes
