"""Reads. Every list, detail, search, count and export of tickets starts from
`tickets_visible_to`, so a list can never show what the detail page refuses."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from notifications.models import OutboundEmail
from schools.roles import AnyUser, contacts_any_school, is_staff_member, schools_contacted_by
from tickets.models import Attachment, Comment, Ticket, TicketEvent, VendorCase

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def tickets_visible_to(user: AnyUser) -> QuerySet[Ticket]:
    """Staff see every ticket; a requester their own and those they follow, a campus contact their school's too."""
    tickets = Ticket.objects.all()
    if not user.is_authenticated:
        return tickets.none()
    if is_staff_member(user):
        return tickets
    # The tickets they follow (tickets.followers), read first: usually none, so the condition is
    # `requester = them` alone, which PostgreSQL estimates from its statistics and answers with the
    # right index for a newcomer and for someone with thousands of tickets alike. Left inside one
    # OR as a subquery, the planner walked the newest-first index testing every ticket: a teacher
    # with no requests waited on the whole table (163 ms at 100,000 tickets, 4 s at 10 million).
    followed = list(Ticket.followers.through.objects.filter(user_id=user.pk).values_list("ticket_id", flat=True))
    mine = Q(requester_id=user.pk) | Q(pk__in=followed) if followed else Q(requester_id=user.pk)
    if not contacts_any_school(user):
        return tickets.filter(mine)
    # A campus contact also reads their school's tickets: `school IN (schools they are the contact
    # of)` rather than a join on school, so the planner can combine the requester and school indexes.
    return tickets.filter(mine | Q(school__in=schools_contacted_by(user).values("pk")))


def ticket_list(user: AnyUser) -> QuerySet[Ticket]:
    """The rows of a ticket list, page or API, with what each row shows joined in."""
    return tickets_visible_to(user).select_related("school", "queue", "category", "requester", "assignee")


# What a row of the staff queue draws (ticket_badges.queue_rows: the badges, the due date, who
# asked and who has it); a full row with its five joined tables is 83 columns, read for 25 rows.
QUEUE_ROW_COLUMNS = (
    *("title", "status", "priority", "waiting_on", "created_at"),
    *("first_response_at", "response_due_at", "resolution_due_at"),
    *("school__code", "school__name", "category__name", "category__name_es"),
    *("requester__first_name", "requester__last_name", "requester__username"),
    *("assignee__first_name", "assignee__last_name", "assignee__username"),
)


def queue_page_rows(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """`tickets` (a `ticket_list`, filtered and ordered) reading only what the staff queue's rows show."""
    return (
        tickets.select_related(None)
        .select_related("school", "category", "requester", "assignee")
        .only(*QUEUE_ROW_COLUMNS)
    )


def ticket_detail(user: AnyUser) -> QuerySet[Ticket]:
    return ticket_list(user).select_related("requester__profile__school", "visit", "asset")


def ticket_page(user: AnyUser) -> QuerySet[Ticket]:
    """The ticket page's ticket: what `ticket_detail` reads, plus whether it has files, emails the
    desk gave up on and vendor cases, so the page asks for those only when there are some (most
    tickets have none; each EXISTS is an index probe in the one query instead of a query of its own).

    The visit and the device are read after it, and only when the ticket has one (a prefetch of
    no ids asks nothing), and the requester's school is the ticket's (`requester_school_known`):
    joined as well, the ten tables took PostgreSQL longer to plan (2.9 ms) than to read. Measured
    in-process at 100,000 tickets, 400 interleaved rounds: 4.71 → 3.92 ms for a ticket without a
    device, 4.73 → 4.29 ms with one, its own query included."""
    return (
        ticket_list(user)
        .select_related("requester__profile")
        .prefetch_related("visit", "asset")
        .annotate(
            has_files=Exists(Attachment.objects.filter(ticket_id=OuterRef("pk"))),
            has_failed_emails=Exists(OutboundEmail.objects.filter(ticket_id=OuterRef("pk"), failed_permanently=True)),
            has_vendor_cases=Exists(VendorCase.objects.filter(ticket_id=OuterRef("pk"))),
        )
    )


def requester_school_known(ticket: Ticket) -> None:
    """The requester's home school, from the ticket when it is the same one (it nearly always
    is); another school is read when it is shown."""
    profile = getattr(ticket.requester, "profile", None)
    if profile is not None and profile.school_id == ticket.school_id:
        profile.school = ticket.school


def has_none(ticket: Ticket, flag: str) -> bool:
    """True when `ticket_page` found none of what `flag` names; False when it did, or was not asked."""
    return getattr(ticket, flag, True) is False


def comments_visible_to(user: AnyUser, ticket: Ticket) -> QuerySet[Comment]:
    comments = ticket.comments.select_related("author")
    if not is_staff_member(user):
        comments = comments.filter(internal=False)
    return comments


# What a requester (or campus contact) may read of each kind of event: None hides the
# event, otherwise the keys of its `data` they see. Everything else in `data` (priority and
# queue, who a ticket was assigned to and why, vendor notes, what staff changed) is the
# desk's. The ticket page and the API both read the history through `history_for`, so
# neither can show what the other hides; a new kind must be added here (a test checks).
_MOVE = frozenset({"from", "to"})
REQUESTER_EVENT_DATA: dict[str, frozenset[str] | None] = {
    TicketEvent.Kind.CREATED: frozenset(),
    TicketEvent.Kind.ASSIGNED: _MOVE,
    TicketEvent.Kind.STARTED: _MOVE,
    TicketEvent.Kind.WAITING: _MOVE | {"reason"},
    TicketEvent.Kind.RESOLVED: _MOVE | {"resolution"},
    TicketEvent.Kind.CLOSED: _MOVE | {"automatic", "confirmed_by_requester"},
    TicketEvent.Kind.REOPENED: _MOVE | {"reason"},
    # Internal notes (and files on them) are left out by the query below.
    TicketEvent.Kind.COMMENTED: frozenset({"comment", "internal"}),
    TicketEvent.Kind.UPDATED: frozenset(),
    TicketEvent.Kind.ESCALATED: frozenset(),
    TicketEvent.Kind.VENDOR_RETURNED: frozenset(),
    TicketEvent.Kind.EMAIL_FAILED: None,
    TicketEvent.Kind.SLA_WARNING: frozenset(),
    TicketEvent.Kind.SLA_BREACHED: frozenset(),
    TicketEvent.Kind.SCHEDULED: frozenset({"date"}),
    TicketEvent.Kind.DISPATCH: frozenset(),
    TicketEvent.Kind.MERGED: frozenset({"into"}),
    TicketEvent.Kind.MERGED_IN: frozenset(),
    TicketEvent.Kind.FOLLOWERS: None,
}


def events_visible_to(user: AnyUser, ticket: Ticket) -> QuerySet[TicketEvent]:
    """The history; requesters do not see events about internal notes or email plumbing."""
    events = ticket.events.select_related("actor")
    if not is_staff_member(user):
        hidden = [kind for kind, keys in REQUESTER_EVENT_DATA.items() if keys is None]
        events = events.exclude(kind__in=hidden).exclude(kind=TicketEvent.Kind.COMMENTED, data__internal=True)
    return events


def redact_events(user: AnyUser, events: Iterable[TicketEvent]) -> list[TicketEvent]:
    """The events with only the data `user` may read (staff: all of it). Never saved: history is append-only."""
    events = list(events)
    if is_staff_member(user):
        return events
    for event in events:
        keys = REQUESTER_EVENT_DATA.get(event.kind) or frozenset()
        event.data = {key: value for key, value in (event.data or {}).items() if key in keys}
    return events


def history_for(user: AnyUser, ticket: Ticket) -> list[TicketEvent]:
    """A ticket's history as `user` may see it: the page's and the API's one rule."""
    return redact_events(user, events_visible_to(user, ticket))


def past_tickets_of(requester: User, *, exclude: Ticket | None = None, limit: int = 5) -> list[Ticket]:
    """The requester's recent tickets with how each was solved, for the technician's side panel."""
    tickets = Ticket.objects.filter(requester=requester).select_related("category", "assignee")
    if exclude is not None:
        tickets = tickets.exclude(pk=exclude.pk)
    return list(tickets.order_by("-created_at")[:limit])


class _Panel(TypedDict):
    panel: str


# What the requester and device panels show of a past ticket (a row of Ticket has forty columns).
PAST_TICKET_COLUMNS = ("title", "status", "resolution", "created_at", "category__name", "category__name_es")


def past_tickets_beside(ticket: Ticket, *, limit: int = 5) -> tuple[list[Ticket], list[Ticket]]:
    """The staff side panels' history: the requester's recent tickets and the device's, in one
    query (UNION ALL of the two, each newest first and limited), so naming a device costs the
    ticket page nothing."""

    def recent(tickets: QuerySet[Ticket], panel: str) -> "QuerySet[WithAnnotations[Ticket, _Panel]]":
        return (
            tickets.exclude(pk=ticket.pk)
            .select_related("category")
            .only(*PAST_TICKET_COLUMNS)
            .annotate(panel=Value(panel, output_field=CharField()))
            .order_by("-created_at")[:limit]
        )

    by_requester = recent(Ticket.objects.filter(requester_id=ticket.requester_id), "requester")
    if ticket.asset_id is None:
        return list(by_requester), []
    rows = list(by_requester.union(recent(Ticket.objects.filter(asset_id=ticket.asset_id), "device"), all=True))
    return [t for t in rows if t.panel == "requester"], [t for t in rows if t.panel == "device"]


# Within each part of "mine first": by priority, oldest first (the queue adds "-pk" as its tiebreak;
# the indexes ticket_open_oldest_first and, per assignee, ticket_open_mine_first hold that order).
BY_PRIORITY_OLDEST_FIRST = ("-priority_rank", "created_at")


def whose_parts(user: AnyUser) -> list[Q]:
    """The three parts of the queue's default order, first to last: the technician's own tickets,
    nobody's, then colleagues'."""
    return [Q(assignee_id=user.pk), Q(assignee__isnull=True), Q(assignee__isnull=False) & ~Q(assignee_id=user.pk)]


def mine_and_unassigned_first(tickets: QuerySet[Ticket], user: AnyUser) -> QuerySet[Ticket]:
    """The technician's own open work first, then nobody's, then colleagues'; each by priority, oldest first."""
    mine, nobodys, _colleagues = whose_parts(user)
    whose = Case(When(mine, then=Value(0)), When(nobodys, then=Value(1)), default=Value(2), output_field=IntegerField())
    return tickets.annotate(whose=whose).order_by("whose", *BY_PRIORITY_OLDEST_FIRST)


def is_mine_first(tickets: QuerySet[Ticket]) -> bool:
    """Whether `tickets` is in `mine_and_unassigned_first`'s order."""
    return "whose" in tickets.query.annotations and tuple(tickets.query.order_by) == (
        "whose",
        *BY_PRIORITY_OLDEST_FIRST,
        "-pk",
    )


def mine_first_page_ids(tickets: QuerySet[Ticket], user: AnyUser, bottom: int, top: int) -> RawSQL:
    """The ids of rows bottom..top of `tickets` in mine-first order, as a subquery, read by index.

    Sorting by the CASE of "whose" made PostgreSQL read and sort every open ticket the filters
    keep (311,000 at 10 million tickets) to show 25. Each part is instead walked in its own
    index order and stops after `top` rows; the page is cut from their union. The first `top`
    rows of the whole are among the first `top` of each part, so the page is the same.
    """
    order = (*BY_PRIORITY_OLDEST_FIRST, "-id")  # the queue's order within a part, and its tiebreak
    columns = [name.lstrip("-") for name in order]
    parts: list[str] = []
    params: list[Any] = []
    for rank, part in enumerate(whose_parts(user)):
        branch = tickets.filter(part).order_by(*order).values_list(*columns)
        sql, branch_params = branch.query.sql_with_params()
        parts.append(f"SELECT {rank} AS whose, part.* FROM ({sql} LIMIT {int(top)}) part")  # noqa: S608 - our SQL
        params += branch_params
    union = " UNION ALL ".join(parts)
    sort = ", ".join(f"page.{name.lstrip('-')}{' DESC' if name.startswith('-') else ''}" for name in order)
    return RawSQL(
        f"SELECT page.id FROM ({union}) page ORDER BY page.whose, {sort} LIMIT %s OFFSET %s",  # noqa: S608 - the ORM's SQL
        (*params, top - bottom, bottom),
    )


def only_open(filters: dict[str, Any]) -> bool:
    """Whether a queue view's filters keep it to open tickets (so it can be counted exactly)."""
    if filters.get("open") is True:
        return True
    statuses = filters.get("status") or []
    return bool(statuses) and set(statuses) <= set(Ticket.OPEN_STATUSES)
