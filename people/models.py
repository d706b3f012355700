"""What the people app keeps: the sessions of each person, and the roster's keys.

Profile stays in schools (home school, room, language); these tables only link.
"""

from django.conf import settings
from django.db import models

from schools.models import School


class SignedInSession(models.Model):
    """One sign-in's session key, so a person's sessions can all be ended at once.

    Works whatever the session engine (database, cache or cached_db): the key is
    handed back to the engine's own `SessionStore(key).delete()`.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Session of {self.user_id}"


class PersonRosterLink(models.Model):
    """The roster's `sourcedId` of a person, the key a re-import finds them by."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_link")
    sourced_id = models.CharField(max_length=255, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.sourced_id


class SchoolRosterLink(models.Model):
    """The roster's `sourcedId` of a school (orgs.csv), or its code in a plain CSV."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="roster_link")
    sourced_id = models.CharField(max_length=255, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.sourced_id
