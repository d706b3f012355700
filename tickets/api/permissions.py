"""Who may call what. Object rules beyond these (status, ownership) live in the services."""

from typing import Any

from django.contrib.auth.models import User
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from schools.roles import is_director, is_staff_member
from tickets import services


def signed_in_user(request: Request) -> User:
    """`request.user` behind a permission that refuses anonymous callers: always a `User`.

    Should a view ever be reached without one, DRF answers NotAuthenticated (not a 500).
    """
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


class SignedInReadsDirectorWrites(BasePermission):
    """Every signed-in user may read the catalog; only directors change it."""

    message = "Only the IT director can change this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_director(request.user)


class TicketAccess(BasePermission):
    """Reaching a ticket at all is the selector's job (404); this refuses visible ones (403).

    A requester (or their campus contact) may read, comment and take the actions
    of `services.REQUESTER_TRANSITIONS`; whether the ticket's status allows them
    is for the service to say (409). Everything else is for the help desk team.
    """

    message = "Only the help desk team can do that."
    requester_actions = {"retrieve", "comments", "events", *services.REQUESTER_TRANSITIONS}

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return is_staff_member(request.user) or view.action in self.requester_actions
