"""One FilterSet for the ticket list: the staff queue page and the API list share it.

Only the fields named here can be filtered or sorted on; anything else in the
query string is ignored, so no client can sort or filter by a column we did not
choose (e.g. `ordering=requester__password`).
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from schools.models import School
from tickets.models import Category, Priority, Queue, Ticket

ORDERING_FIELDS = (
    ("priority_rank", "priority"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
    ("status", "status"),
    ("id", "id"),
    ("resolution_due_at", "resolution_due_at"),
    ("needed_by", "needed_by"),
)


class TicketFilter(django_filters.FilterSet):
    # Labels translated here: the queue page shows them to staff who chose Spanish.
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices, label=_("Status"))
    school = django_filters.ModelChoiceFilter(queryset=School.objects.all(), label=_("School"))
    queue = django_filters.ModelChoiceFilter(queryset=Queue.objects.all(), label=_("Queue"))
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices, label=_("Priority"))
    assignee = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("Assignee"))
    requester = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("Requester"))
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), label=_("Category"))
    unassigned = django_filters.BooleanFilter(field_name="assignee", lookup_expr="isnull", label=_("Unassigned"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open only"))
    search = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=200)
    ordering = django_filters.OrderingFilter(fields=ORDERING_FIELDS)

    # The saved views' counts put every view in one query: there the people matching a search
    # are a subquery rather than a list looked up first (one query per view).
    people_in_subquery = False

    class Meta:
        model = Ticket
        fields: list[str] = []

    def filter_open(self, queryset: QuerySet[Ticket], name: str, value: bool | None) -> QuerySet[Ticket]:
        if value is None:
            return queryset
        condition = Q(status__in=Ticket.OPEN_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_search(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        value = value.strip()
        if not value:
            return queryset
        query = Q(title__icontains=value) | Q(description__icontains=value)
        number = value.lstrip("#")
        # isdecimal, not isdigit: "²" is a digit that int() refuses; ids end at 2**63 - 1.
        if number.isdecimal() and int(number) < 2**63:
            query |= Q(pk=int(number))
        if self.people_in_subquery:
            query |= Q(requester_id__in=people_matching_query(value))
        elif requesters := people_matching(value):
            query |= Q(requester_id__in=requesters)
        return queryset.filter(query)


# A name shared by more people than this is not how anyone looks a requester up; the text
# search still finds what it can.
PEOPLE_LIMIT = 200


def people_matching(value: str) -> list[int]:
    """Ids of the people whose name (first, last or both), username or email contains `value`.

    Looked up first, in one small query on the users table, so the ticket search stays an
    OR of index scans (`requester_id IN (…)` beside the trigram indexes) instead of a join
    that would walk every ticket.
    """
    return list(people_matching_query(value))


def people_matching_query(value: str) -> QuerySet:
    full_name = Concat("first_name", Value(" "), "last_name")
    return (
        get_user_model()
        .objects.annotate(full_name=full_name)
        .filter(Q(full_name__icontains=value) | Q(email__icontains=value) | Q(username__icontains=value))
        .order_by("pk")
        .values_list("pk", flat=True)[:PEOPLE_LIMIT]
    )
