"""The monthly report: last month's figures against the goals, emailed once to each director.

Every figure comes from surveys.metrics: the headline from `summary()` over raw tickets,
for the month and the month before; the schools from the daily rollup's breakdown,
rebuilt for the month first so the ranking and the headline tell the same moment. The
number of queries is fixed whatever the volume: the figures once, then per director a
ledger row (MonthlyReport, unique per month and recipient) and the outbox row.
"""

from calendar import monthrange
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from notifications import outbox
from notifications.models import OutboundEmail
from schools.errors import DomainError
from schools.selectors import directors_to_email
from surveys import metrics
from surveys import selectors as survey_selectors
from surveys.dashboard import rollup
from surveys.models import Goal, MonthlyReport, SurveySettings

KIND = "monthly_report"
TEMPLATE = "surveys/email/monthly_report"
RANKED_SCHOOLS = 3
NO_DATA = "no data"

# (key in metrics.summary, label, kind of figure, which way is better or None)
HEADLINE = (
    ("tickets_opened", "Requests opened", "count", None),
    ("tickets_closed", "Requests closed", "count", None),
    ("backlog", "Still open at the end of the month", "count", "lower"),
    ("median_first_response_minutes", "Median time to first response", "minutes", "lower"),
    ("median_resolution_minutes", "Median time to resolve", "minutes", "lower"),
    ("sla_met_pct", "Within target times (SLA)", "pct", "higher"),
    ("quality_satisfaction_pct", "Quality satisfaction", "pct", "higher"),
    ("timeliness_satisfaction_pct", "Timeliness satisfaction", "pct", "higher"),
    ("response_rate_pct", "Survey response rate", "pct", "higher"),
    ("remote_pct", "Handled remotely", "pct", None),
)


class ReportNotReady(DomainError):
    """The month asked for has not ended yet."""


# --- months -----------------------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month containing `month`."""
    first = month.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


def previous_month(day: date) -> date:
    """The first day of the month before the one containing `day`."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


# --- formatting: one place, so the text and html versions say the same ---------------------------


def format_value(value: float | None, kind: str) -> str:
    if value is None:
        return NO_DATA
    if kind == "pct":
        return f"{value:.1f}%"
    if kind == "minutes":
        return format_minutes(value)
    return f"{int(value):,}"


def format_minutes(minutes: float) -> str:
    """Wall-clock minutes as a person says them: "45 min", "2 h 5 min", "3 days 4 h"."""
    total = round(minutes)
    if total < 60:
        return f"{total} min"
    hours, mins = divmod(total, 60)
    if hours < 24:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    days, hours = divmod(hours, 24)
    day_word = "day" if days == 1 else "days"
    return f"{days} {day_word} {hours} h" if hours else f"{days} {day_word}"


def describe_change(current: float | None, before: float | None, kind: str, better: str | None) -> str:
    """ "up 2.1 points (better)", "down 15 min (better)", "no change"; "" when either month has no data."""
    if current is None or before is None:
        return ""
    difference = float(current) - float(before)
    if kind == "pct":
        difference = round(difference, 1)
        size = f"{abs(difference):.1f} points"
    elif kind == "minutes":
        difference = round(difference)
        size = format_minutes(abs(difference))
    else:
        size = f"{abs(int(difference)):,}"
    if difference == 0:
        return "no change"
    words = f"{'up' if difference > 0 else 'down'} {size}"
    if better is None:
        return words
    improved = difference > 0 if better == "higher" else difference < 0
    return f"{words} ({'better' if improved else 'worse'})"


def _goal_row(label: str, value: float | None, kind: str, goal: float | None, at_most: bool = False) -> dict:
    if goal is None:
        goal_text, verdict, met = "no goal set", "", None
    else:
        goal_text = ("at most " if at_most else "") + format_value(goal, kind)
        met = None if value is None else (value <= goal if at_most else value >= goal)
        verdict = NO_DATA if met is None else ("met" if met else "not met")
    return {"label": label, "value": format_value(value, kind), "goal": goal_text, "met": met, "verdict": verdict}


def goal_rows(figures: dict[str, Any], goal: Goal | None) -> list[dict[str, Any]]:
    """Quality, timeliness, first response, resolution and SLA met against the school year's goals."""

    def target(field: str) -> float | None:
        value = getattr(goal, field, None) if goal is not None else None
        return None if value is None else float(value)

    first_response_hours = target("first_response_hours")
    resolution_hours = target("resolution_hours")
    return [
        _goal_row(
            "Quality satisfaction", figures["quality_satisfaction_pct"], "pct", target("quality_satisfaction_pct")
        ),
        _goal_row(
            "Timeliness satisfaction",
            figures["timeliness_satisfaction_pct"],
            "pct",
            target("timeliness_satisfaction_pct"),
        ),
        _goal_row(
            "Median time to first response",
            figures["median_first_response_minutes"],
            "minutes",
            None if first_response_hours is None else first_response_hours * 60,
            at_most=True,
        ),
        _goal_row(
            "Resolution time (median)",
            figures["median_resolution_minutes"],
            "minutes",
            None if resolution_hours is None else resolution_hours * 60,
            at_most=True,
        ),
        _goal_row("Answered and fixed in target times (SLA)", figures["sla_met_pct"], "pct", target("sla_met_pct")),
    ]


def headline_rows(figures: dict[str, Any], before: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "label": label,
            "value": format_value(figures[key], kind),
            "before": format_value(before[key], kind),
            "change": describe_change(figures[key], before[key], kind, better),
        }
        for key, label, kind, better in HEADLINE
    ]


# --- schools ------------------------------------------------------------------------------------


def rank_schools(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The best and worst schools by quality satisfaction, among those with enough answers.

    A school appears in one list only: with fewer than six ranked schools the lists share them out.
    """
    ranked = [r for r in rows if metrics.is_rankable(r)]
    best_first = sorted(
        ranked, key=lambda r: (-r["quality_satisfaction_pct"], -(r["timeliness_satisfaction_pct"] or 0), r["name"])
    )
    best_count = min(RANKED_SCHOOLS, (len(best_first) + 1) // 2)
    best = best_first[:best_count]
    worst = list(reversed(best_first[best_count:]))[:RANKED_SCHOOLS]
    unranked = [r for r in rows if r["tickets_closed"] and not metrics.is_rankable(r)]
    return {
        "best": [_school_row(r) for r in best],
        "worst": [_school_row(r) for r in worst],
        "ranked_count": len(ranked),
        "unranked_count": len(unranked),
    }


def _school_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "quality": format_value(row["quality_satisfaction_pct"], "pct"),
        "timeliness": format_value(row["timeliness_satisfaction_pct"], "pct"),
        "answers": row["surveys_answered"],
    }


# --- the report ---------------------------------------------------------------------------------


def dashboard_url(first: date, last: date, **extra: Any) -> str:
    query = {"period": "custom", "date_from": first.isoformat(), "date_to": last.isoformat(), **extra}
    return f"{settings.SITE_URL}{reverse('dashboard')}?{urlencode(query)}"


def build_report(month: date) -> dict[str, Any]:
    """Everything the email shows for `month`, formatted (queries: goal, two summaries, rollup, schools, follow-ups)."""
    first, last = month_bounds(month)
    before_first, before_last = month_bounds(previous_month(first))
    goal = metrics.goal_for(last)
    figures = metrics.summary(metrics.Filters(date_from=first, date_to=last))
    before = metrics.summary(metrics.Filters(date_from=before_first, date_to=before_last))
    # The ranking reads the rollup; refresh the month so it counts what summary() just counted.
    rollup.rebuild_daily_stats(first, last)
    schools = rank_schools(metrics.breakdown(metrics.Filters(date_from=first, date_to=last), "school"))
    for row in schools["best"] + schools["worst"]:
        row["url"] = dashboard_url(first, last, school=row["id"])
    goals = goal_rows(figures, goal)
    return {
        "month": first,
        "month_last_day": last,
        "month_before": before_first,
        "goal": goal,
        "goals": goals,
        "subject_summary": _subject_summary(goals[0]),
        "headline": headline_rows(figures, before),
        "schools": schools,
        "min_answers": metrics.MIN_ANSWERS_TO_RANK,
        "follow_ups": survey_selectors.open_follow_ups().count(),
        "follow_up_url": f"{settings.SITE_URL}{reverse('survey-follow-up')}",
        "dashboard_url": dashboard_url(first, last),
    }


def _subject_summary(quality: dict[str, Any]) -> str:
    """What a phone shows before the email is opened: quality satisfaction and its goal."""
    if quality["value"] == NO_DATA:
        return ""
    if quality["met"] is None:
        return f"quality satisfaction {quality['value']}"
    return f"quality satisfaction {quality['value']} (goal {quality['goal']}, {quality['verdict']})"


def send_monthly_report(*, month: date | None = None, force: bool = False) -> list[OutboundEmail]:
    """Queue the report for `month` (any day in it; default last month) to each director who has not had it.

    Idempotent per director and month: running twice, or two workers at once, queues
    one email each (the ledger's unique constraint decides). A director added since
    the last run gets it on the next. `force` sends it again to every director and
    ignores the survey settings' switch (a director asked for a re-run). Returns the
    emails queued; each is in the outbox before any task is asked to send it.
    """
    today = timezone.localdate()
    month = (month or previous_month(today)).replace(day=1)
    if month > previous_month(today):
        raise ReportNotReady(f"{month:%B %Y} has not ended yet.")
    if not force and not SurveySettings.load().monthly_report_enabled:
        return []
    recipients = directors_to_email()
    if not force:
        already = MonthlyReport.objects.filter(month=month, recipient=OuterRef("pk"), forced=False)
        recipients = recipients.exclude(Exists(already))
    to_email = list(recipients)
    if not to_email:
        return []
    report = build_report(month)
    queued = []
    for recipient in to_email:
        email = _queue_for(recipient, month=month, report=report, forced=force)
        if email is not None:
            queued.append(email)
    return queued


def _queue_for(recipient: User, *, month: date, report: dict[str, Any], forced: bool) -> OutboundEmail | None:
    try:
        with transaction.atomic():
            email = outbox.queue_email(
                kind=KIND, to=recipient.email, template=TEMPLATE, context={"recipient": recipient, **report}
            )
            # Inserted after the email so a losing racer rolls both back (and its on-commit send with them).
            MonthlyReport.objects.create(month=month, recipient=recipient, email=email, forced=forced)
    except IntegrityError:
        return None  # a concurrent run recorded this director's report first; it sends it
    return email
