"""Who may do what: the two staff groups of API.md, read once per user object (with the
user itself on a signed-in request, schools.auth_backends.RoleLoadingBackend), and the one
query for "the staff" that agrees with `is_staff_member`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from schools.models import School

TECHNICIAN = "technician"
DIRECTOR = "director"
STAFF_GROUPS = (TECHNICIAN, DIRECTOR)

AnyUser = User | AnonymousUser


class SignedInRequest(HttpRequest):
    """A request that `login_required` has let through: its `user` is a `User`, never anonymous."""

    user: User


def member_flag(group: str) -> str:
    """The attribute saying whether a user loaded with their staff groups (RoleLoadingBackend)
    is in `group`."""
    return f"helpdesk_member_of_{group}"


def group_names(user: AnyUser) -> frozenset[str]:
    """The staff groups (STAFF_GROUPS) `user` is in: read with the user if it was loaded with
    them (`member_flag`), else one query, kept on the object for the rest of the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_helpdesk_groups", None)
    if cached is None:
        if all(hasattr(user, member_flag(name)) for name in STAFF_GROUPS):
            cached = frozenset(name for name in STAFF_GROUPS if getattr(user, member_flag(name)))
        else:
            cached = frozenset(user.groups.filter(name__in=STAFF_GROUPS).values_list("name", flat=True))
        user._helpdesk_groups = cached  # type: ignore[attr-defined]  # a per-object cache, not a field
    return cached


def is_director(user: AnyUser) -> bool:
    """Directors run the desk; a Django superuser counts as one."""
    return bool(user.is_authenticated and (user.is_superuser or DIRECTOR in group_names(user)))


def is_staff_member(user: AnyUser) -> bool:
    """Technicians and directors work the queues. Django's `is_staff` grants nothing here."""
    return is_director(user) or TECHNICIAN in group_names(user)


# The database side of `is_staff_member`: keep the two in step.
STAFF = Q(groups__name__in=STAFF_GROUPS) | Q(is_superuser=True)


def staff_users(*, include_inactive: bool = False) -> QuerySet:
    """The help desk team, by name: who a ticket may be assigned to (active only), and,
    with `include_inactive`, whose past work the dashboard can still be filtered by."""
    people = get_user_model().objects.filter(STAFF)
    if not include_inactive:
        people = people.filter(is_active=True)
    return people.distinct().order_by("first_name", "last_name", "username")


def is_campus_contact(user: AnyUser, school: School) -> bool:
    """A school's campus contact acts for the school: sees and answers its requests (as its
    requesters do), and may file for it. `schools_contacted_by` is the same rule as a query."""
    return bool(user.is_authenticated and school.campus_contact_id == user.pk)


def schools_contacted_by(user: AnyUser) -> QuerySet[School]:
    """The schools `user` acts for as campus contact (`is_campus_contact`, for every school at once)."""
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(campus_contact_id=user.pk)


def may_be_assigned(user: User) -> bool:
    """A ticket goes only to an active member of the team (what the assign form lists)."""
    return bool(user.is_active and is_staff_member(user))
