"""Followers: people copied on a ticket's public updates.

Staff, and the people of the ticket's school (the requester's colleagues), may be added
by the help desk. A follower gets the emails the requester gets about public updates
(a staff reply, a hold, the fix), through the one outbox, in their own language.
Following does not let a requester open a ticket they could not see before.
"""

from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from notifications import outbox
from schools.roles import STAFF, is_staff_member
from tickets.errors import DomainError, PermissionDenied
from tickets.models import Ticket, TicketEvent

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Beside(TypedDict):
    on_team: bool
    following: bool


# A person as `people_beside` reads them: on the team (the assign list), following the ticket.
PersonBeside: TypeAlias = "WithAnnotations[User, _Beside]"


def follower_candidates(ticket: Ticket) -> QuerySet[User]:
    """Who may follow the ticket: active staff, and active people whose home school is the ticket's."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(STAFF | Q(profile__school_id=ticket.school_id))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def people_beside(ticket: Ticket) -> list[PersonBeside]:
    """The ticket page's people in one query: the team (`on_team`, the assign list), the
    people of the ticket's school, and the ticket's followers (`following`), by name."""
    through = Ticket.followers.through
    team = get_user_model().objects.filter(pk=OuterRef("pk")).filter(STAFF)
    return list(
        get_user_model()
        .objects.filter(
            Q(is_active=True) & (STAFF | Q(profile__school_id=ticket.school_id)) | Q(followed_tickets=ticket)
        )
        .distinct()
        .annotate(
            on_team=Exists(team),
            following=Exists(through.objects.filter(ticket_id=ticket.pk, user_id=OuterRef("pk"))),
        )
        .order_by("first_name", "last_name", "username")
    )


def add_follower(*, actor: User, ticket: Ticket, follower: User) -> Ticket:
    """Copy `follower` on the ticket's public updates. Staff only; adding someone twice changes nothing."""
    _check_staff(actor)
    if not follower_candidates(ticket).filter(pk=follower.pk).exists():
        raise DomainError(
            gettext("Only the help desk team and people at this ticket's school can follow it."), field="follower"
        )
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
        if ticket.followers.filter(pk=follower.pk).exists():
            return ticket
        ticket.followers.add(follower)
        _event(ticket, actor, added=follower)
    return ticket


def remove_follower(*, actor: User, ticket: Ticket, follower: User) -> Ticket:
    _check_staff(actor)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
        if not ticket.followers.filter(pk=follower.pk).exists():
            return ticket
        ticket.followers.remove(follower)
        _event(ticket, actor, removed=follower)
    return ticket


def follow_on_merge(*, actor: User, ticket: Ticket, follower: User) -> None:
    """The requester of a duplicate follows the ticket it was merged into (tickets.merge),
    whatever their school; inside the merge's transaction."""
    if follower.pk == ticket.requester_id or ticket.followers.filter(pk=follower.pk).exists():
        return
    ticket.followers.add(follower)
    _event(ticket, actor, added=follower)


def email_followers(ticket: Ticket, *, kind: str, template: str, actor: User | None, **context: Any) -> None:
    """The requester's email about a public update, to each follower too (never to the
    requester twice, nor to whoever made the update)."""
    skip = {ticket.requester_id, actor.pk if actor is not None else None}
    for follower in ticket.followers.filter(is_active=True).select_related("profile"):
        if follower.pk in skip:
            continue
        profile = getattr(follower, "profile", None)
        outbox.queue_email(
            kind=kind,
            to=follower.email,
            template=template,
            context={"recipient": follower, "following": True, **context},
            ticket=ticket,
            language=getattr(profile, "language", None) or None,
        )


def _check_staff(actor: User) -> None:
    if not is_staff_member(actor):
        raise PermissionDenied(gettext("Only the help desk team can change who follows a ticket."))


def _event(ticket: Ticket, actor: User, *, added: User | None = None, removed: User | None = None) -> None:
    data = {}
    if added is not None:
        data["added"] = added.get_full_name() or added.get_username()
    if removed is not None:
        data["removed"] = removed.get_full_name() or removed.get_username()
    TicketEvent.objects.create(ticket=ticket, actor=actor, kind=TicketEvent.Kind.FOLLOWERS, data=data)
