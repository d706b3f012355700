"""Headers that keep every email about one ticket in one thread, in and out.

Each ticket has a root `Message-ID`, `<ticket-<id>.<mac>@<domain>>`: its acknowledgement
carries it, and every later email about the ticket names it in `In-Reply-To` and
`References` and carries it inside its own unique `Message-ID`. The MAC (from
SECRET_KEY) keeps two installations (a reseeded demo) from threading each other's
ticket #5, and lets the inbound reader trust an id it finds in a reply's headers
without a lookup. It does not prove who the sender is: that is checked against the
ticket's rules before anything is added to it.
"""

import re
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "notifications.threading"
_TICKET_IN_ID = re.compile(r"ticket-(\d{1,12})\.([0-9a-f]{12})@", re.IGNORECASE)
_SUBJECT_TAG = re.compile(r"\[#(\d{1,12})\]")


def desk_address() -> str:
    """The help desk's own address (DEFAULT_FROM_EMAIL without the display name)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()


def reply_to_address() -> str:
    return settings.HELPDESK_REPLY_TO or settings.DEFAULT_FROM_EMAIL


def _domain() -> str:
    return desk_address().rpartition("@")[2] or "helpdesk.invalid"


def _mac(ticket_id: int) -> str:
    return salted_hmac(_SALT, str(ticket_id)).hexdigest()[:12]


def ticket_root(ticket_id: int) -> str:
    """The Message-ID of the ticket's first email (its acknowledgement)."""
    return f"<ticket-{ticket_id}.{_mac(ticket_id)}@{_domain()}>"


def new_message_id(ticket_id: int | None = None) -> str:
    """A unique Message-ID; one about a ticket carries the ticket's token."""
    unique = uuid.uuid4().hex
    if ticket_id is None:
        return f"<{unique}@{_domain()}>"
    return f"<{unique}.ticket-{ticket_id}.{_mac(ticket_id)}@{_domain()}>"


def ticket_id_from_headers(*message_ids: str) -> int | None:
    """The ticket an In-Reply-To/References header names, if it is one of ours (MAC checked)."""
    for value in message_ids:
        for match in _TICKET_IN_ID.finditer(value or ""):
            ticket_id = int(match.group(1))
            if constant_time_compare(match.group(2).lower(), _mac(ticket_id)):
                return ticket_id
    return None


def ticket_id_from_subject(subject: str) -> int | None:
    """The `[#<id>]` tag of a subject, if any (anyone can type one: check who sent it)."""
    match = _SUBJECT_TAG.search(subject or "")
    return int(match.group(1)) if match else None


def headers(*, message_id: str, in_reply_to: str = "") -> dict[str, str]:
    """Headers for one outgoing email: threading, where replies go, and "not a person"."""
    values = {
        "Message-ID": message_id,
        "Reply-To": reply_to_address(),
        # RFC 3834: other robots must not answer, and our inbound reader ignores these.
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",  # Outlook/Exchange out-of-office replies
    }
    if in_reply_to:
        values["In-Reply-To"] = in_reply_to
        values["References"] = in_reply_to
    return values
