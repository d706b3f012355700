"""Reads about people: the one list every page, export and the API start from."""

from django.contrib.auth.models import Group, User
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, TextChoices, Value, When
from django.utils.translation import gettext_lazy as _

from schools.roles import DIRECTOR, TECHNICIAN, group_names


class Role(TextChoices):
    REQUESTER = "requester", _("Requester")
    TECHNICIAN = "technician", _("Technician")
    DIRECTOR = "director", _("Director")


def _in_group(name: str) -> Exists:
    return Exists(Group.objects.filter(name=name, user=OuterRef("pk")))


def role_of(user: User) -> str:
    """A person's one role; the list's annotation gives it without a query."""
    annotated = getattr(user, "role_name", None)
    if annotated is not None:
        return annotated
    names = group_names(user)
    if user.is_superuser or DIRECTOR in names:
        return Role.DIRECTOR
    if TECHNICIAN in names:
        return Role.TECHNICIAN
    return Role.REQUESTER


def people_list(
    *, search: str = "", role: str = "", school: int | str | None = None, is_active: bool | None = None
) -> QuerySet:
    """Everyone, with role and home school in the same query, filtered as the pages and API ask."""
    people = (
        User.objects.select_related("profile__school")
        .annotate(
            role_name=Case(
                When(Q(is_superuser=True) | _in_group(DIRECTOR), then=Value(Role.DIRECTOR.value)),
                When(_in_group(TECHNICIAN), then=Value(Role.TECHNICIAN.value)),
                default=Value(Role.REQUESTER.value),
                output_field=CharField(),
            )
        )
        .order_by("last_name", "first_name", "username", "pk")
    )
    people = matching(people, search)
    if role in Role.values:
        people = people.filter(role_name=role)
    if school not in (None, ""):
        people = people.filter(profile__school_id=school)
    if is_active is not None:
        people = people.filter(is_active=is_active)
    return people


def matching(people: QuerySet, search: str) -> QuerySet:
    """People whose username, names or email contain every word of `search`."""
    for word in search.split():
        people = people.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return people
