"""Reads. Every list, detail, search, count and export of tickets starts from
`tickets_visible_to`, so a list can never show what the detail page refuses."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from schools.models import School
from schools.roles import is_staff_member
from tickets.models import Comment, Ticket, TicketEvent

User = AbstractBaseUser | AnonymousUser


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    """Staff see every ticket; a requester their own, a campus contact their school's too."""
    tickets = Ticket.objects.all()
    if not user.is_authenticated:
        return tickets.none()
    if is_staff_member(user):
        return tickets
    # `school IN (schools this user is the contact of)` rather than a join on school: the
    # planner can then combine the requester and school indexes instead of walking every ticket.
    contact_of = School.objects.filter(campus_contact=user).values("pk")
    return tickets.filter(Q(requester=user) | Q(school__in=contact_of))


def ticket_list(user: User) -> QuerySet[Ticket]:
    """The rows of a ticket list, page or API, with what each row shows joined in."""
    return tickets_visible_to(user).select_related("school", "queue", "category", "requester", "assignee")


def ticket_detail(user: User) -> QuerySet[Ticket]:
    return ticket_list(user).select_related("school__campus_contact", "requester__profile__school", "visit")


def comments_visible_to(user: User, ticket: Ticket) -> QuerySet[Comment]:
    comments = ticket.comments.select_related("author")
    if not is_staff_member(user):
        comments = comments.filter(internal=False)
    return comments


def events_visible_to(user: User, ticket: Ticket) -> QuerySet[TicketEvent]:
    """The history; requesters do not see events about internal notes or email plumbing."""
    events = ticket.events.select_related("actor")
    if not is_staff_member(user):
        events = events.exclude(kind=TicketEvent.Kind.EMAIL_FAILED).exclude(
            kind=TicketEvent.Kind.COMMENTED, data__internal=True
        )
    return events


def past_tickets_of(requester: User, *, exclude: Ticket | None = None, limit: int = 5) -> list[Ticket]:
    """The requester's recent tickets with how each was solved, for the technician's side panel."""
    tickets = Ticket.objects.filter(requester=requester).select_related("category", "assignee")
    if exclude is not None:
        tickets = tickets.exclude(pk=exclude.pk)
    return list(tickets.order_by("-created_at")[:limit])


def mine_and_unassigned_first(tickets: QuerySet[Ticket], user: User) -> QuerySet[Ticket]:
    """The technician's own open work first, then nobody's, then colleagues'; each by priority, oldest first."""
    whose = Case(
        When(assignee_id=user.pk, then=Value(0)),
        When(assignee__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return tickets.annotate(whose=whose).order_by("whose", "-priority_rank", "created_at")


def only_open(filters: dict[str, Any]) -> bool:
    """Whether a queue view's filters keep it to open tickets (so it can be counted exactly)."""
    if filters.get("open") is True:
        return True
    statuses = filters.get("status") or []
    return bool(statuses) and set(statuses) <= set(Ticket.OPEN_STATUSES)
