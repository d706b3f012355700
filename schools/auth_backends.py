"""Sign-in throttling glue for django-axes (settings: "Security: login throttling")."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


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
