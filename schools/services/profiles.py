"""Profiles: every user has one; what a person may change about themselves, the staff assessment."""

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from schools.errors import DomainError, PermissionDenied
from schools.models import Profile
from schools.roles import is_staff_member


def ensure_profile(sender: type, instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every user has a profile (API.md: `user.profile.school`)."""
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


SELF_SERVICE_FIELDS = ("role", "room", "phone", "preferred_contact", "tech_comfort", "language")


def update_own_profile(*, user: User, changes: dict[str, Any]) -> Profile:
    """What a person may say about themselves. The staff assessment is not among it."""
    unknown = set(changes) - set(SELF_SERVICE_FIELDS)
    if unknown:
        raise DomainError(errors={field: ["You cannot change this."] for field in sorted(unknown)})
    profile, _ = Profile.objects.get_or_create(user=user)
    for field, value in changes.items():
        setattr(profile, field, value.strip() if isinstance(value, str) else value)
    profile.save()
    return profile


def assess_requester(*, actor: User, person: User, comfort: str, note: str = "") -> Profile:
    """A technician records how comfortable the person really is, and how best to help them."""
    if not is_staff_member(actor):
        raise PermissionDenied("Only the help desk team can assess a requester.")
    if comfort and comfort not in Profile.Comfort.values:
        raise DomainError(errors={"staff_comfort": ["Choose one of the listed levels."]})
    profile, _ = Profile.objects.get_or_create(user=person)
    profile.staff_comfort = comfort
    profile.staff_note = (note or "").strip()[:300]
    profile.staff_assessed_at = timezone.now()
    profile.save(update_fields=["staff_comfort", "staff_note", "staff_assessed_at"])
    return profile
