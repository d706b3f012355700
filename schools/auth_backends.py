"""Sign-in: throttling glue for django-axes (settings: "Sign-in lockout"), and the backend
that loads a signed-in user with their roles."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from schools.roles import STAFF_GROUPS, user_with_roles_sql


class LockoutBackend(AxesStandaloneBackend):
    """Refuses sign-in for a locked-out username and address; authenticates no one itself.

    Axes needs the request to know the address. Code that calls `authenticate()`
    without one (the test client's `login()`, a shell) is not a web sign-in and
    has no address to lock, so it is passed on to the next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class RoleLoadingBackend(ModelBackend):
    """Django's ModelBackend, but a signed-in request reads the user and their staff groups in
    one query: every page asks `is_staff_member`, and that was a second query on each one.

    Django's own ModelBackend stays listed after this one so that sessions signed in before
    it existed stay signed in (a session names the backend that loads its user). Its
    `authenticate` would check a refused password a second time: two password hashes for
    every wrong guess, doubling what a password-guessing client costs the server. So a
    password this backend refuses ends the sign-in here (PermissionDenied; Django still
    sends `user_login_failed`, which the lockout counts).
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        user = super().authenticate(request, username, password, **kwargs)
        if user is None and password is not None and (username or kwargs.get(User.USERNAME_FIELD)):
            raise PermissionDenied
        return user

    def get_user(self, user_id: Any) -> User | None:
        users = User._default_manager.raw(user_with_roles_sql(), [*STAFF_GROUPS, user_id])
        user = next(iter(users), None)
        return user if user is not None and self.user_can_authenticate(user) else None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our TLS proxy the last X-Forwarded-For hop.

    The last hop is the one our proxy appended; earlier ones are whatever the
    client sent, so trusting them would let anyone pick the address they lock.
    """
    if settings.HELPDESK_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")
