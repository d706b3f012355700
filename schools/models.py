from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class School(models.Model):
    class Level(models.TextChoices):
        ELEMENTARY = "elementary", _("Elementary")
        MIDDLE = "middle", _("Middle")
        HIGH = "high", _("High")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200)
    code = models.CharField(max_length=20, unique=True, help_text="Short code, e.g. JES")
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.ELEMENTARY)
    address = models.CharField(max_length=300, blank=True)
    campus_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_for_schools",
        help_text="The school's designated tech contact; sees every ticket of the school.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What the help desk knows about a person: where they work and how to reach them."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        ADMINISTRATOR = "administrator", _("Administrator")
        STAFF = "staff", _("Staff")

    class Comfort(models.TextChoices):
        NEW = "new", _("New to this")
        COMFORTABLE = "comfortable", _("Comfortable")
        CONFIDENT = "confident", _("Confident")

    class Contact(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.TEACHER)
    room = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_contact = models.CharField(max_length=20, choices=Contact.choices, default=Contact.EMAIL)
    tech_comfort = models.CharField(max_length=20, choices=Comfort.choices, blank=True)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class Rotation(models.Model):
    """A technician's recurring visit pattern to one school."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rotations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rotations")
    weekdays = models.JSONField(default=list, help_text="ISO weekday numbers, 1 = Monday")
    every_n_weeks = models.PositiveSmallIntegerField(default=1)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school__name", "start_date"]

    def __str__(self) -> str:
        return f"{self.technician} at {self.school}"


class Visit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visits")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="visits")
    rotation = models.ForeignKey(Rotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits")
    date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["technician", "school", "date"], name="visit_unique_per_day"),
        ]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.school} on {self.date}"
