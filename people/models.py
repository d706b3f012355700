"""What the people app keeps: the sessions of each person, and the roster's keys.

Profile stays in schools (home school, room, language); these tables only link.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class RosterImport(models.Model):
    """One roster import: a director's upload on /people/import/, or the scheduled re-import.

    Recorded before any task is sent, so a lost task is found again (people.tasks). The
    bundle's bytes are kept from the preview until it is applied, then dropped (they name
    people); the row stays as the record of what changed, when and by whom, and `done` of
    `total` is the progress the page polls.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        SCHEDULED = "scheduled", _("Scheduled")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Waiting to start")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused: errors in the files")
        FAILED = "failed", _("Failed")

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    filename = models.CharField(max_length=300)
    checksum = models.CharField(max_length=64)
    data = models.BinaryField(blank=True, default=b"")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    new_schools = models.PositiveIntegerField(default=0)
    changed_schools = models.PositiveIntegerField(default=0)
    new_people = models.PositiveIntegerField(default=0)
    changed_people = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # "file, line N: message", the first MAX_ERRORS

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["source", "-created_at"], name="people_rosterimport_recent")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.APPLYING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
