from typing import Any

from django.dispatch import Signal

from tickets.models import TicketEvent

# Sent by close_ticket inside its transaction with `ticket` and `actor` (None when
# the system auto-closes). The surveys app records its invitation here, so tickets
# never imports surveys and a rolled-back close takes the invitation with it.
ticket_closed = Signal()


def record_email_failure(
    sender: type, email: Any, attempts: int, permanent: bool, error: Exception, **kwargs: Any
) -> None:
    """Receiver of notifications' `email_failed`: a failed send goes on the ticket's history.

    Runs in the transaction that records the failure on the outbox row.
    """
    if not email.ticket_id:
        return
    TicketEvent.objects.create(
        ticket_id=email.ticket_id,
        kind=TicketEvent.Kind.EMAIL_FAILED,
        data={
            "to": email.to,
            "kind": email.kind,
            "attempt": attempts,
            "permanent": permanent,
            "error": str(error)[:300],
        },
    )
