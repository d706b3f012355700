"""Writes about people: roles, home schools, campus contacts, deactivation, sessions.

Every page, the API and the roster import call these; none takes a request.
"""

from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from people.models import SignedInSession
from people.selectors import Role, role_of
from schools import services as school_services
from schools.errors import DomainError, PermissionDenied
from schools.models import Profile, School
from schools.roles import DIRECTOR, TECHNICIAN, forget_roles, is_director

ROLE_GROUPS: dict[str, str] = {Role.TECHNICIAN: TECHNICIAN, Role.DIRECTOR: DIRECTOR}
PERSON_FIELDS = ("first_name", "last_name", "email", "role", "school", "is_active")


# --- sessions ----------------------------------------------------------------------


def remember_session(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """`user_logged_in` receiver: note the new session's key under its person."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key:
        return
    SignedInSession.objects.get_or_create(session_key=key, defaults={"user": user})
    # Keys of sessions that have long expired by themselves are of no more use.
    too_old = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    SignedInSession.objects.filter(user=user, created_at__lt=too_old).delete()


def end_sessions(*, user: User) -> int:
    """End every session and API token of `user` at once; answers how many sessions ended.

    The one mechanism for deactivation and for password changes. Each session is
    deleted through the configured engine (database, cache or cached_db), so a
    browser signed in anywhere is signed out on its next request.
    """
    return end_sessions_of(user_ids=[user.pk])


def end_sessions_of(*, user_ids: list[int]) -> int:
    """`end_sessions` for many people in a constant number of queries (the roster's leavers)."""
    engine = import_module(settings.SESSION_ENGINE)
    rows = SignedInSession.objects.filter(user_id__in=user_ids)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        engine.SessionStore(session_key=key).delete()
    rows.delete()
    Token.objects.filter(user_id__in=user_ids).delete()
    return len(keys)


def password_or_activity_changed(sender: type, instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """`post_save` of the user: a new password or a deactivation ends every session and token.

    `set_password` leaves the new raw password on `_password` until the save that stores
    it, so this sees every password change however it was made. (Django's session hash
    would refuse the old sessions on their next request anyway; API tokens it never saw.)
    """
    if created or raw:
        return
    update_fields = kwargs.get("update_fields")
    password_changed = getattr(instance, "_password", None) is not None
    deactivated = not instance.is_active and (update_fields is None or "is_active" in update_fields)
    if password_changed or deactivated:
        end_sessions(user=instance)


def may_sign_out(*, actor: User, person_id: int) -> bool:
    """A person may end their own sessions and tokens; the IT director anyone's."""
    return actor.pk == person_id or is_director(actor)


def sign_out_everywhere(*, actor: User, person: User) -> int:
    """End every session and API token of `person` on `actor`'s word (see `may_sign_out`)."""
    if not may_sign_out(actor=actor, person_id=person.pk):
        raise PermissionDenied(_("Only the IT director can sign someone else out."))
    return end_sessions(user=person)


# --- people ------------------------------------------------------------------------


def _require_director(actor: User) -> None:
    if not is_director(actor):
        raise PermissionDenied(_("Only the IT director can change people."))


def _check_email(email: str, *, exclude_pk: int | None) -> str:
    email = email.strip()
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk is not None else User.objects.all()
    if email and others.filter(email__iexact=email).exists():
        raise DomainError(errors={"email": [_("Another person already has this email address.")]})
    return email


def _apply_role(person: User, role: str) -> None:
    """Move the person into the role's group and out of the other staff group."""
    person.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
    if role in ROLE_GROUPS:
        person.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[role])[0])
    forget_roles(person)


def create_person(
    *,
    actor: User,
    username: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    role: str = Role.REQUESTER,
    school: School | None = None,
) -> User:
    """A new person without a password: they sign in through single sign-on (or a reset link)."""
    _require_director(actor)
    username = username.strip()
    if not username:
        raise DomainError(errors={"username": [_("Give the person a username.")]})
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(errors={"username": [_("Another person already has this username.")]})
    with transaction.atomic():
        person = User(username=username, first_name=first_name.strip(), last_name=last_name.strip())
        person.email = _check_email(email, exclude_pk=None)
        person.set_unusable_password()
        person.save()
        if school is not None:
            person.profile.school = school  # the profile that ensure_profile just made
            person.profile.save(update_fields=["school"])
        _apply_role(person, role)
    return person


def update_person(*, actor: User, person: User, changes: dict[str, Any]) -> User:
    """Change a person's names, email, role, home school or active state in one go.

    A director cannot take away their own director role or deactivate themselves,
    so the district always keeps someone who can undo a mistake.
    """
    _require_director(actor)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(errors={name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    if "role" in changes and changes["role"] not in Role.values:
        raise DomainError(errors={"role": [_("Choose requester, technician or director.")]})
    if person.pk == actor.pk:
        if changes.get("is_active") is False:
            raise DomainError(errors={"is_active": [_("You cannot deactivate yourself.")]})
        if changes.get("role", Role.DIRECTOR) != Role.DIRECTOR and not person.is_superuser:
            raise DomainError(errors={"role": [_("You cannot take away your own director role.")]})
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        was_active = person.is_active
        for name in ("first_name", "last_name"):
            if name in changes:
                setattr(person, name, changes[name].strip())
        if "email" in changes:
            person.email = _check_email(changes["email"], exclude_pk=person.pk)
        if "is_active" in changes:
            person.is_active = bool(changes["is_active"])
        person.save()
        if "school" in changes:
            Profile.objects.update_or_create(user=person, defaults={"school": changes["school"]})
        if "role" in changes and changes["role"] != role_of(person):
            _apply_role(person, changes["role"])
        if was_active and not person.is_active:
            end_sessions(user=person)
    return person


def deactivate_person(*, actor: User, person: User) -> User:
    """They can no longer sign in; sessions and tokens end now; tickets and history stay."""
    return update_person(actor=actor, person=person, changes={"is_active": False})


def reactivate_person(*, actor: User, person: User) -> User:
    return update_person(actor=actor, person=person, changes={"is_active": True})


def set_campus_contact(*, actor: User, school: School, person: User | None) -> School:
    """Name (or clear, with None) the school's designated tech contact."""
    _require_director(actor)
    # The school's own service holds the rule (no deactivated contact), for the API's PATCH too.
    return school_services.update_school(actor=actor, school=school, changes={"campus_contact": person})


def choose_own_school(*, person: User, school: School) -> None:
    """A person who signed in for the first time says where they work (asked once)."""
    Profile.objects.update_or_create(user=person, defaults={"school": school})
