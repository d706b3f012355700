"""Ending a person's sessions and API tokens at once (issue 15, item 4).

A changed or reset password, a deactivation and "Sign out everywhere" all end
every browser session and every API token of the person through `end_sessions`.
The password hook (`password_or_activity_changed`) is a `post_save` receiver, so
every way a password is set (the reset link, the admin, `changepassword`, a
shell) is covered without each caller remembering.

Sessions live in the database (settings: "Cache and sessions"), and a session
row does not say whose it is until it is decoded, so the live rows are read and
decoded in batches: about 0.1 s per 10,000 live sessions, for an event that is
rare. (Django's own session hash already refuses a session after a password
change; deleting the rows also covers deactivation and "Sign out everywhere".)
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from schools.roles import is_director

SESSION_BATCH = 2000


def end_sessions(*, user: AbstractBaseUser, keep_session_key: str | None = None) -> int:
    """Delete every API token and every live session of `user`; answers how many sessions ended.

    `keep_session_key` spares one session (the browser that asked, when it is to stay
    signed in); None ends them all.
    """
    Token.objects.filter(user_id=user.pk).delete()
    user_id = str(user.pk)
    ended: list[str] = []
    store = SessionStore()
    live = Session.objects.filter(expire_date__gt=timezone.now()).order_by("session_key")
    last_key = ""
    while True:
        batch = list(live.filter(session_key__gt=last_key).values_list("session_key", "session_data")[:SESSION_BATCH])
        if not batch:
            break
        last_key = batch[-1][0]
        for key, data in batch:
            if key != keep_session_key and store.decode(data).get("_auth_user_id") == user_id:
                ended.append(key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def password_or_activity_changed(
    sender: type, instance: AbstractBaseUser, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """`post_save` of the user: a new password or a deactivation ends every session and token.

    `set_password` leaves the new raw password on `_password` until the save that
    stores it, so this sees every password change however it was made.
    """
    if created or raw:
        return
    update_fields = kwargs.get("update_fields")
    password_changed = getattr(instance, "_password", None) is not None
    deactivated = not instance.is_active and (update_fields is None or "is_active" in update_fields)
    if password_changed or deactivated:
        end_sessions(user=instance)


def may_sign_out(*, actor: AbstractBaseUser, person_id: int) -> bool:
    """A person may end their own sessions and tokens; the IT director anyone's."""
    return actor.pk == person_id or is_director(actor)


def sign_out_everywhere(*, actor: AbstractBaseUser, person: AbstractBaseUser) -> int:
    """End every session and API token of `person` on `actor`'s word (see `may_sign_out`)."""
    if not may_sign_out(actor=actor, person_id=person.pk):
        raise PermissionDenied(_("Only the IT director can sign someone else out."))
    return end_sessions(user=person)
