"""The ticket page's one composer: a reply or an internal note, and optionally a new status,
in one step.

"Send and set status" is the separate services called in one transaction, so it passes
exactly their rules and either all of it happens or none of it does.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext

from notifications import outbox
from tickets import services
from tickets.errors import DomainError
from tickets.models import Comment, Ticket

# What the composer's submit may also do.
THEN_WAIT_REQUESTER = "wait_requester"
THEN_WAIT_THIRD_PARTY = "wait_third_party"
THEN_RESOLVE = "resolve"
THEN_CHOICES = (THEN_WAIT_REQUESTER, THEN_WAIT_THIRD_PARTY, THEN_RESOLVE)


def send_and_set_status(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    internal: bool = False,
    then: str = "",
    reason: str = "",
    self_help: str = "",
) -> tuple[Comment | None, Ticket]:
    """Post the message and, with `then`, put the ticket on hold or resolve it.

    Resolving sends the message as the resolution (its email is the reply), with the
    "next time" tip; a fix is told to the requester, so it cannot be an internal note.
    Putting on hold posts the message, then holds with `reason`. Returns the comment
    (None when the message became the resolution) and the ticket.
    """
    if then and then not in THEN_CHOICES:
        raise DomainError(gettext("Choose what happens to the ticket."), field="then")
    if not then:
        return services.add_comment(actor=actor, ticket=ticket, body=body, internal=internal), ticket
    if then == THEN_RESOLVE:
        if internal:
            raise DomainError(
                gettext("The fix is sent to the requester: write it as a reply, not an internal note."), field="then"
            )
        ticket = services.resolve_ticket(actor=actor, ticket=ticket, resolution=body, self_help=self_help)
        return None, ticket
    on = Ticket.WaitingOn.REQUESTER if then == THEN_WAIT_REQUESTER else Ticket.WaitingOn.THIRD_PARTY
    with transaction.atomic(), outbox.one_handover():
        comment = services.add_comment(actor=actor, ticket=ticket, body=body, internal=internal)
        ticket = services.wait_ticket(actor=actor, ticket=ticket, reason=reason, on=on)
    return comment, ticket
