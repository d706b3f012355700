"""Password reset emails through the outbox, with no link stored (issue 15, item 6).

Asking for a reset records one `OutboundEmail` row of kind `password_reset` that
holds only the address asked about: no link, no token, no body. The worker (or
the sweep, after an SMTP outage) looks the address up when it sends and makes a
fresh link with Django's token generator then, so a database reader finds
nothing that opens an account, and a lost email is retried like any other.

The request does the same work whether or not the address has an account (one
look at recent rows for the address, one insert), so neither its answer nor its
time says which addresses exist; the account is looked up only by the worker.

One email per address per HELPDESK_PASSWORD_RESET_EVERY_SECONDS: more requests
naming the address add nothing. This cannot lock the owner out, as three
requests once did for an hour: each link works for PASSWORD_RESET_TIMEOUT
(hours), so the owner always has a working link at most that many seconds old,
and their own request after it gets a new one.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications import delivery
from notifications.models import OutboundEmail

KIND = "password_reset"
NO_ACCOUNT = "No active account has this address; nothing was sent."


def request_reset(*, email: str) -> OutboundEmail | None:
    """Record that a reset was asked for `email`; None when one was asked for within the interval."""
    address = email.strip().lower()
    recently = timezone.now() - timedelta(seconds=settings.HELPDESK_PASSWORD_RESET_EVERY_SECONDS)
    if OutboundEmail.objects.filter(kind=KIND, to=address, created_at__gte=recently).exists():
        return None
    row = OutboundEmail.objects.create(kind=KIND, to=address, subject="", body_text="", body_html="")
    from notifications.tasks import send_email

    delivery.enqueue_on_commit(send_email, row.pk)
    return row


def accounts_for(address: str) -> list[Any]:
    """Who may reset by this address: Django's PasswordResetForm.get_users rule."""
    users = get_user_model()._default_manager.filter(email__iexact=address, is_active=True)
    return [user for user in users if user.has_usable_password()]


def render_for(user: Any) -> delivery.Rendered:
    """The email with a link made now; it is never written anywhere but the message."""
    context = {
        "site_url": settings.SITE_URL,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    language = getattr(getattr(user, "profile", None), "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        return delivery.Rendered(
            subject=delivery.one_line(render_to_string("registration/password_reset_subject.txt", context)),
            text=render_to_string("registration/password_reset_email.txt", context),
            html="",
        )


def send(row: OutboundEmail, *, connection_factory: Callable[[], Any] | None = None) -> None:
    """Send the reset email of a claimed row to each account with its address; raises on SMTP failure."""
    subject = NO_ACCOUNT
    for user in accounts_for(row.to):
        email = render_for(user)
        delivery.send(to=user.email, email=email, connection_factory=connection_factory)
        subject = email.subject
    # The record says what went (a subject holds no secret), never the link.
    OutboundEmail.objects.filter(pk=row.pk).update(subject=subject[:250])
