import secrets
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.choices import ChoiceLabels


def default_weekly_hours() -> dict[str, list[str]]:
    return {str(day): ["07:30", "16:30"] for day in range(1, 6)}


def default_summer_hours() -> dict[str, list[str]]:
    return {str(day): ["08:00", "15:00"] for day in range(1, 5)}


def new_feed_token() -> str:
    # 32 bytes = 256 bits, URL-safe; the token is the only key to the feed.
    return secrets.token_urlsafe(32)


class School(ChoiceLabels, models.Model):
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


class Profile(ChoiceLabels, models.Model):
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
    tech_comfort = models.CharField(
        max_length=20, choices=Comfort.choices, blank=True, help_text="How comfortable they say they are"
    )
    # The technicians' own assessment, kept apart so the requester's word is never overwritten
    # and a requester can never set it.
    staff_comfort = models.CharField(max_length=20, choices=Comfort.choices, blank=True)
    staff_note = models.CharField(max_length=300, blank=True, help_text="For the team: how best to help them")
    staff_assessed_at = models.DateTimeField(null=True, blank=True)
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school__name", "start_date"]
        indexes = [models.Index(fields=["school", "start_date"])]

    def __str__(self) -> str:
        return f"{self.technician} at {self.school}"

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Visit(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visits")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="visits")
    rotation = models.ForeignKey(Rotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits")
    date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["technician", "school", "date"], name="visit_unique_per_day"),
        ]
        indexes = [
            models.Index(fields=["school", "date"]),
            models.Index(fields=["technician", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.school} on {self.date}"


class DistrictCalendar(models.Model):
    """The district's one calendar and desk settings (a single row, pk=1).

    Hours are JSON objects keyed by ISO weekday ("1" = Monday) with ["HH:MM", "HH:MM"];
    a weekday that is missing is closed. The time zone is settings.TIME_ZONE.
    """

    weekly_hours = models.JSONField(default=default_weekly_hours)
    summer_start = models.DateField(null=True, blank=True)
    summer_end = models.DateField(null=True, blank=True)
    summer_hours = models.JSONField(default=default_summer_hours)
    after_hours_policy = models.TextField(
        blank=True,
        default="Requests filed after hours are read the next school day. For an emergency that stops "
        "teaching, call your school office, which can reach the on-call technician.",
    )
    summer_policy = models.TextField(
        blank=True,
        default="During summer break the help desk keeps shorter hours and does not visit schools; "
        "requests are handled remotely or at the district office.",
    )
    # The same texts in Spanish, for Spanish readers (schools.translated); empty shows the English.
    after_hours_policy_es = models.TextField(
        blank=True,
        default="Las solicitudes enviadas fuera del horario se leen el siguiente día escolar. Para una "
        "emergencia que impide dar clase, llame a la oficina de su escuela, que puede localizar al técnico de guardia.",
    )
    summer_policy_es = models.TextField(
        blank=True,
        default="Durante las vacaciones de verano el servicio de ayuda tiene un horario más corto y no visita "
        "las escuelas; las solicitudes se atienden a distancia o en la oficina del distrito.",
    )
    load_balanced_assignment = models.BooleanField(
        default=False,
        help_text="Give new tickets in district-wide queues to the technician with the fewest open tickets.",
    )
    sla_warning_minutes = models.PositiveIntegerField(
        default=30, help_text="Warn this many minutes before a ticket misses a target."
    )
    visit_horizon_weeks = models.PositiveSmallIntegerField(default=10)
    school_year_start_month = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="The school year starts on the 1st of this month and ends the day before it a year later "
        "(8: August 1 to July 31). Goals, the dashboard's default period and the holiday preset follow it.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    # A new value on every change to this row, a closure or an SLA target, written in the
    # change's own transaction: each process keeps the calendar and targets it loaded
    # while this holds (schools.calendar.district_reference). A random value, never a
    # counter, so a rolled-back change cannot leave a number that a later one reuses.
    reference_version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = "district calendar"

    def __str__(self) -> str:
        return "District calendar"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.reference_version = uuid.uuid4()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "reference_version"}
        super().save(*args, **kwargs)


class Closure(models.Model):
    """Dates the district is closed: a holiday, a break, a snow day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        BREAK = "break", _("School break")
        CLOSURE = "closure", _("Closure")

    name = models.CharField(max_length=100)
    name_es = models.CharField(max_length=100, blank=True)  # Spanish name; empty shows `name`
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    start_date = models.DateField()
    end_date = models.DateField()
    federal = models.BooleanField(default=False, editable=False, help_text="Loaded from the federal holiday preset.")

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["name", "start_date"], name="closure_unique_name_start"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="closure_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarFeed(models.Model):
    """A technician's secret iCalendar feed address (`/calendar/<token>.ics`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
