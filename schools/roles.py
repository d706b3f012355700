"""Who may do what: the two staff groups of API.md, read once per user object."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

TECHNICIAN = "technician"
DIRECTOR = "director"

User = AbstractBaseUser | AnonymousUser


def group_names(user: User) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_helpdesk_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._helpdesk_groups = cached
    return cached


def is_director(user: User) -> bool:
    """Directors run the desk; a Django superuser counts as one."""
    return bool(user.is_authenticated and (user.is_superuser or DIRECTOR in group_names(user)))


def is_staff_member(user: User) -> bool:
    """Technicians and directors work the queues. Django's `is_staff` grants nothing here."""
    return is_director(user) or TECHNICIAN in group_names(user)
