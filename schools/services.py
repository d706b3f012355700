"""Writes for schools and people."""

from typing import Any

from django.contrib.auth.models import AbstractUser

from schools.models import Profile


def ensure_profile(sender: type, instance: AbstractUser, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every user has a profile (API.md: `user.profile.school`)."""
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
