"""Saved replies: reads, writes and filling in the placeholders.

A technician reads the shared replies and their own and writes their own; the director
writes the shared ones (API.md, the technician's workbench). The API and the ticket
page's composer both come here.
"""

import re

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext

from schools.roles import AnyUser, is_director, is_staff_member
from schools.selectors import next_visit_for
from tickets.errors import DomainError, PermissionDenied
from tickets.models import SavedReply, Ticket

PLACEHOLDER = re.compile(r"\{(first_name|name|next_visit|ticket|me)\}")


def replies_visible_to(user: AnyUser) -> QuerySet[SavedReply]:
    """Staff see the shared replies and their own; nobody else sees any."""
    if not user.is_authenticated or not is_staff_member(user):
        return SavedReply.objects.none()
    return SavedReply.objects.filter(Q(shared=True) | Q(owner=user)).select_related("owner")


def may_write(user: AnyUser, reply: SavedReply) -> bool:
    return is_director(user) if reply.shared else reply.owner_id == user.pk


def save_reply(
    *, actor: User, title: str, body: str, shared: bool = False, reply: SavedReply | None = None
) -> SavedReply:
    """Create a saved reply (`reply` None) or change one the actor may write."""
    if not is_staff_member(actor):
        raise PermissionDenied(gettext("Only the help desk team can do that."))
    if reply is not None and not may_write(actor, reply):
        raise PermissionDenied(gettext("Only the IT director can change a shared reply."))
    if shared and not is_director(actor):
        raise DomainError(gettext("Only the IT director can share a reply with the team."), field="shared")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(gettext("Give the reply a title."), field="title")
    if not body:
        raise DomainError(gettext("Write the reply's text."), field="body")
    if reply is None:
        reply = SavedReply(owner=actor)
    reply.title, reply.body, reply.shared = title, body, shared
    reply.save()
    return reply


def delete_reply(*, actor: User, reply: SavedReply) -> None:
    if not may_write(actor, reply):
        raise PermissionDenied(gettext("Only the IT director can change a shared reply."))
    reply.delete()


def fill(body: str, *, ticket: Ticket, actor: User) -> str:
    """The reply's text for this ticket: {first_name} (the requester's), {name} (their full
    name), {next_visit} (the school's next visit), {ticket} (#id), {me} (the technician).
    Other braces stay as written."""
    values: dict[str, str] = {}

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            values[key] = _placeholder(key, ticket=ticket, actor=actor)
        return values[key]

    return PLACEHOLDER.sub(value, body)


def _placeholder(key: str, *, ticket: Ticket, actor: User) -> str:
    requester = ticket.requester
    if key == "first_name":
        return requester.first_name or requester.get_username()
    if key == "name":
        return requester.get_full_name() or requester.get_username()
    if key == "ticket":
        return f"#{ticket.pk}"
    if key == "me":
        return actor.get_full_name() or actor.get_username()
    visit = next_visit_for(ticket.school)
    if visit is None:
        return gettext("our next visit")
    return formats.date_format(visit.date, "l, F j")
