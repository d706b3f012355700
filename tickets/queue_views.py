"""The queue's views: its rows for a set of filters, the built-in views of a technician's day,
and saved views (a technician's own, or shared with the team), each with a cheap count.

The queue page, its CSV export and every view's count all start from `queue_rows`, so a
view's count is the number of rows its link shows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import django_filters
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from schools.pagination import LateRowsPaginator
from schools.roles import AnyUser, is_director, is_staff_member
from schools.selectors import active_rotations
from tickets import selectors
from tickets.errors import DomainError, PermissionDenied
from tickets.filters import TicketFilter
from tickets.models import SavedView, Ticket

TRUE_VALUES = {"true", "1", "on", "yes"}
# What the queue page understands beside the FilterSet's own fields (the API list has only those).
PAGE_ONLY = ("mine", "my_schools", "due", "waiting_on")
QUERY_KEYS = (*TicketFilter.base_filters, *PAGE_ONLY)


def my_schools(user: AnyUser) -> Q:
    """Tickets of the schools this technician rotates to today (as Today counts them)."""
    schools = active_rotations(on=timezone.localdate()).filter(technician_id=user.pk).values("school_id")
    return Q(school__in=schools)


def due_today() -> Q:
    """Due to be fixed by the end of today, or already late."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    end_of_today = timezone.make_aware(datetime.combine(tomorrow, time.min))
    return Q(resolution_due_at__lt=end_of_today)


def waiting_on(whom: str) -> Q:
    return Q(status=Ticket.Status.WAITING, waiting_on=whom)


def page_conditions(user: AnyUser, data: QueryDict) -> Q:
    """The queue page's own filters (PAGE_ONLY), beside the FilterSet's."""
    condition = Q()
    if data.get("mine", "").lower() in TRUE_VALUES:
        condition &= Q(assignee_id=user.pk)
    if data.get("my_schools", "").lower() in TRUE_VALUES:
        condition &= my_schools(user)
    if data.get("due") == "today":
        condition &= due_today()
    whom = data.get("waiting_on", "")
    if whom in Ticket.WaitingOn.values:
        condition &= waiting_on(str(whom))
    return condition


def queue_rows(
    user: AnyUser, query: QueryDict, *, filterset_class: type[TicketFilter] = TicketFilter
) -> tuple[TicketFilter, QuerySet[Ticket], bool]:
    """The rows of the queue for these filters, in order, before paging; and whether it is the
    default view (no filters: open work, mine and unassigned first).

    Filters the form does not understand are ignored (the page says so), never an error.
    """
    staff = is_staff_member(user)
    data = query.copy()
    data.pop("page", None)
    default_view = staff and not data
    if default_view:
        data["open"] = "true"
    filterset = filterset_class(data, queryset=selectors.ticket_list(user))
    tickets = filterset.qs
    if staff:
        tickets = tickets.filter(page_conditions(user, data))
    if staff and not data.get("ordering") and is_open_view(filterset):
        # Open work not sorted otherwise: the technician's own first, then nobody's (a small
        # backlog; an archive view keeps the index order of "newest first").
        tickets = selectors.mine_and_unassigned_first(tickets, user)
    # A stable tiebreak, so a row never shows on two pages.
    tickets = tickets.order_by(*(tickets.query.order_by or ("-created_at",)), "-pk")
    return filterset, tickets, default_view


class MineFirstPaginator(LateRowsPaginator):
    """The open queue's pages in mine-first order, each read by index (`selectors.mine_first_page_ids`)."""

    def __init__(self, object_list: QuerySet[Ticket], per_page: int, *, user: AnyUser) -> None:
        super().__init__(object_list, per_page)
        self.tickets = object_list
        self.user = user

    def _rows(self, bottom: int, top: int) -> Any:
        return self.tickets.filter(pk__in=selectors.mine_first_page_ids(self.tickets, self.user, bottom, top))


def open_work_paginator(tickets: QuerySet[Ticket], per_page: int, user: AnyUser) -> LateRowsPaginator:
    """Open work's pages: counted exactly (a working backlog, a partial index), and in mine-first
    order read part by part when the queue is in that order."""
    if selectors.is_mine_first(tickets):
        return MineFirstPaginator(tickets, per_page, user=user)
    return LateRowsPaginator(tickets, per_page)


def is_open_view(filterset: TicketFilter) -> bool:
    """Whether a view keeps to open work: a working backlog, cheap to count exactly."""
    return selectors.only_open(filterset.form.cleaned_data if filterset.is_valid() else {})


def clean_query(query: QueryDict) -> str:
    """The query string a view is saved with: the filters the queue understands, set, in a stable order."""
    kept = QueryDict(mutable=True)
    for key in sorted(QUERY_KEYS):
        values = sorted(value for value in query.getlist(key) if value.strip())
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


# --- built-in views -------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltInView:
    key: str
    name: Promise
    query: str  # the link: the queue page's filters
    rows: Callable[[AnyUser], Q]  # the same filters as one condition, for the one count query
    # The order the count walks its rows in, up to the cap: an index's, where the planner would
    # otherwise scan the table hoping to meet the cap early (the open tickets due today sit at
    # the table's newest end: 200 ms at a million tickets, against 1 ms through the index).
    count_order: tuple[str, ...] = ()


OPEN = Q(status__in=Ticket.OPEN_STATUSES)
BUILT_IN = (
    BuiltInView("mine", _("My open"), "mine=true&open=true", lambda user: OPEN & Q(assignee_id=user.pk)),
    BuiltInView(
        "unassigned",
        _("Unassigned at my schools"),
        "my_schools=true&open=true&unassigned=true",
        lambda user: OPEN & Q(assignee__isnull=True) & my_schools(user),
    ),
    BuiltInView(
        "due",
        _("Due today"),
        "due=today&open=true&ordering=resolution_due_at",
        lambda user: OPEN & due_today(),
        count_order=("resolution_due_at",),  # the index ticket_open_due
    ),
    BuiltInView(
        "part",
        _("Waiting on a part"),
        "status=waiting&waiting_on=third_party",
        lambda user: waiting_on(Ticket.WaitingOn.THIRD_PARTY),
    ),
)


# A tab counts up to this many and then says "999+": counting every open ticket of a desk with
# hundreds of thousands open (a state's shared desk) cost a second on every queue page.
COUNT_CAP = 999


@dataclass
class ViewTab:
    name: str
    query: str
    count: int | None  # None: an archive view, not counted
    saved: SavedView | None = None
    editable: bool = False

    @property
    def count_label(self) -> str:
        if self.count is None:
            return ""
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)


def views_of(user: AnyUser, current_query: QueryDict) -> tuple[list[ViewTab], ViewTab | None]:
    """Every view the technician may open, each with its count (up to COUNT_CAP), and the one
    being shown (if any). Two queries whatever the number of views: the saved views, then every
    open view's count in one row of scalar subqueries, each stopping past the cap."""
    visible = selectors.tickets_visible_to(user)
    saved = list(saved_views_for(user))
    counted: dict[str, QuerySet[Ticket]] = {
        view.key: visible.filter(view.rows(user)).order_by(*view.count_order) for view in BUILT_IN
    }
    for view in saved:
        filterset, rows, _default = queue_rows(user, QueryDict(view.query), filterset_class=_CountedFilter)
        if is_open_view(filterset):
            counted[f"view_{view.pk}"] = rows.order_by()  # counted in no order: the page's sort is for paging
    counts = capped_counts(counted, COUNT_CAP + 1)
    tabs = [ViewTab(str(view.name), view.query, counts[view.key]) for view in BUILT_IN]
    tabs += [
        ViewTab(view.name, view.query, counts.get(f"view_{view.pk}"), view, may_edit(user, view)) for view in saved
    ]
    current = clean_query(current_query)
    return tabs, next((tab for tab in tabs if tab.query == current), None)


def capped_counts(querysets: dict[str, QuerySet[Ticket]], cap: int) -> dict[str, int]:
    """Each queryset's row count, up to `cap`, in one query: `SELECT (SELECT COUNT(*) FROM (… LIMIT
    cap) AS c0), …`. Every part stops at the cap, so the cost is bounded whatever the table's size;
    each walks its rows in the queryset's own order (none, or an index's)."""
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for number, rows in enumerate(querysets.values()):
        sql, part_params = rows.values("pk")[:cap].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS c{number})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 (the ORM's own SQL and parameters)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


class _CountedFilter(TicketFilter):
    """The queue's filters with nothing looked up before the count: ids compared as numbers
    (a ModelChoiceFilter fetches its row to validate it), people matched in a subquery."""

    people_in_subquery = True
    school = django_filters.NumberFilter(field_name="school_id")
    queue = django_filters.NumberFilter(field_name="queue_id")
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    requester = django_filters.NumberFilter(field_name="requester_id")
    category = django_filters.NumberFilter(field_name="category_id")


# --- saved views: reads and writes ----------------------------------------------------------


def saved_views_for(user: AnyUser) -> QuerySet[SavedView]:
    """The technician's own views and every shared one."""
    if not is_staff_member(user):
        return SavedView.objects.none()
    return SavedView.objects.filter(Q(owner_id=user.pk) | Q(shared=True)).select_related("owner")


def may_edit(user: AnyUser, view: SavedView) -> bool:
    """The owner edits their view; a director also edits the shared ones."""
    return view.owner_id == user.pk or (view.shared and is_director(user))


def save_view(*, actor: User, name: str, query: QueryDict, shared: bool = False) -> SavedView:
    """Saves the filters under `name`; the actor's own view of that name is replaced."""
    if not is_staff_member(actor):
        raise PermissionDenied(gettext("Only the help desk team can save views."))
    name = _view_name(name)
    with transaction.atomic():
        view, _created = SavedView.objects.select_for_update().update_or_create(
            owner=actor, name=name, defaults={"query": clean_query(query), "shared": shared}
        )
    return view


def _view_name(name: str) -> str:
    """A view's name as saved: trimmed, not empty, printable."""
    name = name.strip()
    if not name:
        raise DomainError(gettext("Give the view a name."), field="name")
    if not name.isprintable():
        raise DomainError(gettext("Use letters, numbers and spaces in the view's name."), field="name")
    return name


def rename_view(*, actor: User, view: SavedView, name: str) -> SavedView:
    """Gives `view` a new name; its filters, sharing and owner stay. Who may remove it may rename it."""
    if not may_edit(actor, view):
        raise PermissionDenied(gettext("Only its owner or a director can rename this view."))
    name = _view_name(name)
    with transaction.atomic():
        # The owner's views are told apart by name (saving a name again replaces that view).
        taken = SavedView.objects.select_for_update().filter(owner_id=view.owner_id, name=name).exclude(pk=view.pk)
        if taken.exists():
            raise DomainError(gettext("There is already a view called “%(name)s”.") % {"name": name}, field="name")
        view.name = name
        view.save(update_fields=["name"])
    return view


def delete_view(*, actor: User, view: SavedView) -> None:
    if not may_edit(actor, view):
        raise PermissionDenied(gettext("Only its owner or a director can remove this view."))
    view.delete()
