from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.calendar import school_year_span
from tickets.models import Ticket

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SurveySettings(models.Model):
    """The director's survey settings: survey every closed ticket or a sample; the monthly report.

    A singleton (always pk 1); read it with `SurveySettings.load()`.
    """

    sample_percent = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of closed tickets that get a survey. 100 surveys every closed ticket."),
    )
    monthly_report_enabled = models.BooleanField(
        default=True,
        help_text=_("Email the directors last month's figures against the goals on the 1st of each month."),
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return f"Survey {self.sample_percent}% of closed tickets"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SurveySettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class SurveyInvitation(models.Model):
    """One survey owed for one ticket, ever: recorded with the close, then emailed.

    The row is its own outbox: `sent_at` is null until the email left, and
    `claimed_at` is set by a conditional UPDATE before sending so a task that runs
    twice (retry, redelivery, the sweep racing the task) sends one email. The
    reminder uses the same pattern with its own two columns.
    """

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="survey_invitation")
    # secrets.token_urlsafe(32): 256 random bits; the token alone names the invitation.
    token = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(help_text=_("Where the survey went: the requester's address at close."))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed_permanently = models.BooleanField(default=False)
    reminder_claimed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The teacher's browser reached the survey page (a script posts it: mail scanners
    # that only fetch the link record nothing), and the rating tapped in the email, so
    # a teacher who leaves is preselected again on return and counted as "opened".
    landed_at = models.DateTimeField(null=True, blank=True)
    tapped_quality = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING_VALIDATORS)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="survey_unsent", condition=Q(sent_at__isnull=True)),
            # surveys.metrics reads only the surveys written since a range's first ticket was
            # filed; carrying what it counts lets PostgreSQL answer from the index alone.
            models.Index(fields=["created_at"], include=["ticket", "sent_at"], name="survey_created"),
        ]

    def __str__(self) -> str:
        return f"Survey for #{self.ticket_id}"

    @property
    def opened_at(self) -> datetime:
        """Expiry counts from when the email went out (or was recorded, if never sent)."""
        return self.sent_at or self.created_at


class SurveyResponse(models.Model):
    """The one answer to an invitation (and so to a ticket), editable for a short while."""

    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.CASCADE, related_name="response")
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="survey_response")
    timeliness = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    quality = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    comment = models.TextField(blank=True, max_length=5000)
    learned = models.BooleanField(null=True, blank=True, help_text=_("Learned how to handle it next time."))
    wants_contact = models.BooleanField(default=False)
    answered_at = models.DateTimeField(default=timezone.now)  # indexed in Meta (survey_answer_figures)
    updated_at = models.DateTimeField(default=timezone.now)
    # Service recovery: set when the answer calls for someone to reach out.
    needs_follow_up = models.BooleanField(default=False)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quality__gte=1, quality__lte=5), name="survey_quality_1_5"),
            models.CheckConstraint(condition=Q(timeliness__gte=1, timeliness__lte=5), name="survey_timeliness_1_5"),
        ]
        indexes = [
            models.Index(
                fields=["answered_at"],
                name="survey_open_follow_up",
                condition=Q(needs_follow_up=True, followed_up_at__isnull=True),
            ),
            # The answers list by date, and surveys.metrics' figures read from the index alone.
            models.Index(
                fields=["answered_at"],
                include=["ticket", "quality", "timeliness", "learned"],
                name="survey_answer_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer for #{self.ticket_id}"


class Goal(models.Model):
    """The director's targets for one school year (e.g. 94% quality satisfaction)."""

    school_year = models.CharField(max_length=9, unique=True, help_text=_('For example "2026-2027".'))
    start_date = models.DateField(blank=True, help_text=_("Defaults to August 1."))
    end_date = models.DateField(blank=True, help_text=_("Defaults to July 31."))
    quality_satisfaction_pct = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    timeliness_satisfaction_pct = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    first_response_hours = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    resolution_hours = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    sla_met_pct = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="goal_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.school_year

    def save(self, *args: Any, **kwargs: Any) -> None:
        first = _first_year(self.school_year)
        if first is not None and not (self.start_date and self.end_date):
            start, end = school_year_span(first)
            self.start_date = self.start_date or start
            self.end_date = self.end_date or end
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        first = _first_year(self.school_year)
        if first is None:
            raise ValidationError({"school_year": _('Write the school year as "2026-2027".')})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The year must end after it starts.")})


def _first_year(label: str) -> int | None:
    parts = (label or "").split("-")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts):
        return None
    first, second = int(parts[0]), int(parts[1])
    return first if second == first + 1 else None


class DailyTicketStats(models.Model):
    """The dashboard's rollup: additive counts per district day, school, technician, category and priority.

    Each count sits on the day that places it: `opened` on the day the ticket was
    filed, every other count on the day it closed (see surveys.metrics.COUNTERS).
    Rebuilt from tickets by surveys.dashboard.rollup.rebuild_daily_stats (Celery tasks
    `refresh_recent_daily_stats`, `rebuild_all_daily_stats`); a key may have two rows (one from each placement), readers sum.
    """

    # The grain (see surveys.metrics.LEVELS): "full" rows have every key; coarser ones
    # leave the keys they sum over empty.
    level = models.CharField(max_length=16, default="full", db_default="full")
    day = models.DateField()
    school = models.ForeignKey("schools.School", null=True, on_delete=models.CASCADE, related_name="+", db_index=False)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    category = models.ForeignKey(
        "tickets.Category", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    priority = models.CharField(max_length=10, null=True)
    opened = models.PositiveIntegerField(default=0, db_default=0)
    closed = models.PositiveIntegerField(default=0, db_default=0)
    sla_due = models.PositiveIntegerField(default=0, db_default=0)
    sla_met = models.PositiveIntegerField(default=0, db_default=0)
    with_mode = models.PositiveIntegerField(default=0, db_default=0)
    remote = models.PositiveIntegerField(default=0, db_default=0)
    surveys_sent = models.PositiveIntegerField(default=0, db_default=0)
    surveys_answered = models.PositiveIntegerField(default=0, db_default=0)
    quality_sum = models.PositiveIntegerField(default=0, db_default=0)
    quality_satisfied = models.PositiveIntegerField(default=0, db_default=0)
    timeliness_sum = models.PositiveIntegerField(default=0, db_default=0)
    timeliness_satisfied = models.PositiveIntegerField(default=0, db_default=0)
    learned_answered = models.PositiveIntegerField(default=0, db_default=0)
    learned_yes = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        indexes = [
            models.Index(fields=["level", "day"], name="daily_stats_level_day"),
            # The filtered views read "full" rows of one school, technician or category.
            models.Index(fields=["school", "day"], name="daily_stats_school", condition=Q(level="full")),
            models.Index(fields=["technician", "day"], name="daily_stats_technician", condition=Q(level="full")),
            models.Index(fields=["category", "day"], name="daily_stats_category", condition=Q(level="full")),
        ]

    def __str__(self) -> str:
        return f"{self.day} school {self.school_id}"


class DailyStatsState(models.Model):
    """When the rollup was last rebuilt, and from which day (a singleton, pk 1)."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_from = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Daily stats refreshed {self.refreshed_at}"


class MonthlyReport(models.Model):
    """One monthly report emailed to one director: the ledger that makes sending it idempotent.

    The unique constraint lets one unforced row exist per month and recipient, so the
    beat task running twice (or two workers at once) queues one email; the second
    insert fails on the constraint and sends nothing. A re-run asked for with
    `--force` adds a row marked `forced`, outside the constraint.
    """

    month = models.DateField(help_text=_("The first day of the month reported on."))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.ForeignKey(
        "notifications.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    forced = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "recipient"], condition=Q(forced=False), name="monthly_report_once_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"Report for {self.month:%Y-%m} to user {self.recipient_id}"
