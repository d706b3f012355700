"""What the dashboard page shows, assembled from surveys.metrics (which owns every figure).

A fixed number of queries whatever the data size: the goals; three breakdowns (the
headline adds up the school rows); medians and backlog by age (kept in the cache
until the rollup changes); trend; SLA by priority; recurring categories; the phrases
recurring in their titles for a handful of schools (cached too).
"""

import re
from collections import Counter as WordCounter
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from surveys import cost, metrics
from surveys.dashboard import rollup
from surveys.dashboard.units import duration_in_words
from surveys.models import Goal
from tickets.models import Priority

MEMO_VERSION = 2
# Twice beat's refresh interval (CELERY_BEAT_SCHEDULE "refresh-dashboard-stats").
STALE_AFTER = timedelta(minutes=20)
# Longer than the refresh interval: a new refresh changes the key anyway.
MEMO_SECONDS = 3600
LOWEST_SCHOOLS = 5
PHRASES_PER_CATEGORY = 3
# Words that say nothing about the problem, in English and Spanish (titles come in both):
# function words, and the verbs and states every request has ("not working", "won't turn on").
STOP_WORDS = frozenset(
    """a an and are as at be but by can cannot cant can't could does doesnt doesn't dont don't for from has have
    i in is isnt isn't it its it's my me no not of on off or our please room the this that to too wont won't with
    working work works worked after again when will get gets got getting still new all any some need needs
    needed up out down into over just now today yesterday keeps keep kept anymore help issue issues problem
    problems broken broke stopped stop wrong trouble turn turns turning start starts show shows showing
    load loading open opens use using used able unable class classroom teacher students student we us
    el la los las un una unos unas y o de del al en con sin por para que qué se su sus mi mis es son está
    están esta este esto ni ya muy más otra otro otros otras funciona funcionan sirve enciende prende carga
    abre ayuda problema problemas aula salón hoy ayer todavía aún nuevo nueva cuando""".split()
)


def ensure_rollup() -> datetime | None:
    """When the rollup was refreshed, seeing that it is refreshed if beat has not.

    A fresh install has none yet: build it once, so the first visit is right. Beat
    refreshes the recent days every 10 minutes; a rollup much older than that means beat
    is not running. With a worker (a broker is configured), the worker is asked to refresh
    the recent days, once, and this page shows the figures it has with their time: at 10
    million tickets the refresh takes about 20 s, which a director's page should not wait
    for. With no broker (the SQLite demo) the page refreshes them itself.
    """
    refreshed_at = metrics.rollup_refreshed_at()
    if refreshed_at is None:
        rollup.rebuild_all()
    elif refreshed_at < timezone.now() - STALE_AFTER:
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            _ask_worker_to_refresh(refreshed_at)
            return refreshed_at
        rollup.rebuild_recent()
    else:
        return refreshed_at
    return metrics.rollup_refreshed_at()


def _ask_worker_to_refresh(refreshed_at: datetime) -> None:
    """Queue one refresh of the recent days for this stale rollup, however many pages ask."""
    # Here, not at the top: the tasks module draws the dashboard (its warm-up) with this one.
    from notifications.delivery import enqueue_on_commit
    from surveys.dashboard.tasks import refresh_recent_daily_stats

    try:
        first = cache.add(f"dashboard:{MEMO_VERSION}:refresh-asked:{refreshed_at.timestamp()}", True, MEMO_SECONDS)
    except Exception:  # noqa: BLE001 - without the cache, ask anyway: a second refresh only repeats the first
        first = True
    if first:
        enqueue_on_commit(refresh_recent_daily_stats)


def memo_for(filters: metrics.Filters, refreshed_at: datetime | None) -> Any:
    """Keeps the figures computed from raw tickets (medians, backlog, title words) until the rollup changes.

    They are the slow part on years of data; the rollup beside them is as old as
    `refreshed_at` anyway, so both tell the same moment. The refresh task warms the default view.
    """
    stamp = refreshed_at.timestamp() if refreshed_at else "none"
    scope = f"{filters.date_from}:{filters.date_to}:{filters.school}:{filters.technician}:{filters.category}"

    def memo(name: str, compute: Any) -> Any:
        return cache.get_or_set(f"dashboard:{MEMO_VERSION}:{name}:{scope}:{stamp}", compute, MEMO_SECONDS)

    return memo


def term_bounds(day: date, goal: Goal | None = None) -> tuple[date, date]:
    """The district's two terms: from the school year's start to December, then January to its end
    (August-December and January-July with the default start). `goal`: the goals of `day`'s year,
    if the caller has them (metrics.school_year_for)."""
    start, end = metrics.school_year_for(day, goal)
    if start.month == 1 or day.year == start.year:
        return start, min(end, date(start.year, 12, 31))
    return date(day.year, 1, 1), end


def drill_url(filters: metrics.Filters, by: str, pk: int | None) -> str:
    """The ticket list filtered to one row of a breakdown (and the dashboard's other filters)."""
    query: dict[str, Any] = {}
    if filters.school is not None:
        query["school"] = filters.school
    if filters.technician is not None:
        query["assignee"] = filters.technician
    if filters.category is not None:
        query["category"] = filters.category
    if pk is None and by == "technician":
        query.pop("assignee", None)
        query["unassigned"] = "true"
    elif pk is not None:
        query[{"school": "school", "technician": "assignee", "category": "category"}[by]] = pk
    return "/tickets/?" + urlencode(query)


def school_dashboard_url(filters: metrics.Filters, interval: str, school_id: int) -> str:
    """The dashboard narrowed to one school, over the same dates, trend and other filters."""
    query: dict[str, Any] = {
        "period": "custom",
        "date_from": filters.date_from.isoformat(),
        "date_to": filters.date_to.isoformat(),
        "school": school_id,
        "interval": interval,
    }
    if filters.technician is not None:
        query["technician"] = filters.technician
    if filters.category is not None:
        query["category"] = filters.category
    return "/dashboard/?" + urlencode(query)


def dashboard_context(filters: metrics.Filters, *, interval: str) -> dict[str, Any]:
    refreshed_at = ensure_rollup()
    memo = memo_for(filters, refreshed_at)
    goals = metrics.goals_within(filters)
    goal = metrics.goal_among(goals, filters.date_to)
    by_school = metrics.breakdown_counters(filters, "school")
    # The school rows add up to the range's totals: no separate query for the headline.
    headline = metrics.dashboard_summary(filters, goal=goal, memo=memo, counters=metrics.total_of(by_school))
    breakdowns = {}
    for by in metrics.BREAKDOWNS:
        rows = metrics.breakdown(filters, by, counted=by_school if by == "school" else None)
        for row in rows:
            row["drill_url"] = drill_url(filters, by, row["id"])
            if by == "school":
                row["dashboard_url"] = school_dashboard_url(filters, interval, row["id"])
            if by == "technician" and row["id"] is None:
                row["name"] = _("Unassigned")
        breakdowns[by] = rows
    lowest = sorted(
        filter(metrics.is_rankable, breakdowns["school"]),
        key=lambda r: (r["quality_satisfaction_pct"], r["timeliness_satisfaction_pct"] or 0, r["name"]),
    )[:LOWEST_SCHOOLS]
    term_from, term_to = term_bounds(filters.date_to, goal)
    term = metrics.Filters(
        date_from=term_from,
        date_to=min(term_to, filters.date_to),
        school=filters.school,
        technician=filters.technician,
        category=filters.category,
    )
    categories = metrics.recurring_categories(term)
    names = {r["id"]: r["name"] for r in breakdowns["school"]}
    # The lowest-scoring schools first; without enough answers to rank, the busiest this term.
    busiest = sorted(categories, key=lambda pk: (-sum(c["opened"] for c in categories[pk]), names.get(pk, "")))
    focus = [r["id"] for r in lowest] or busiest[:LOWEST_SCHOOLS]
    phrases = memo(f"phrases:{','.join(map(str, focus))}", lambda: recurring_phrases(term, focus))
    recurring = [
        {
            "school_id": pk,
            "school": names.get(pk, ""),
            "problems": [
                {**category, "phrases": phrases.get((pk, category["id"]), [])} for category in categories.get(pk, [])
            ],
        }
        for pk in focus
    ]
    trend = metrics.trend(filters, interval, goals=goals)
    for point in trend:
        point["label"] = period_label(date.fromisoformat(point["period"]), interval)
    sla = metrics.sla_by_priority(filters)
    for row in sla:
        row["label"] = Priority(row["priority"]).label
    headline["surveys_opened_unanswered"] = memo(
        "opened_unanswered", lambda: metrics.surveys_opened_unanswered(filters)
    )
    # The same period a year earlier: one query per figure set (rollup counters, medians,
    # backlog, opened surveys), the raw-ticket ones kept like this year's.
    earlier = same_period_last_year(filters)
    earlier_memo = memo_for(earlier, refreshed_at)
    last_year = metrics.dashboard_summary(earlier, goal=None, memo=earlier_memo)
    last_year["surveys_opened_unanswered"] = earlier_memo(
        "opened_unanswered", lambda: metrics.surveys_opened_unanswered(earlier)
    )
    return {
        "filters": filters,
        "headline": headline,
        "goal": goal,
        "tiles": tiles(headline, goal, last_year),
        "last_year": earlier,
        "trend": trend,
        "interval": interval,
        "breakdowns": breakdowns,
        "lowest_schools": lowest,
        "recurring": recurring,
        "term": (term_from, term_to),
        "sla_by_priority": sla,
        "backlog_by_age": headline["backlog_by_age"],
        "refreshed_at": refreshed_at,
        "chart_data": chart_data(trend, headline, sla),
        # Six queries over devices and their tickets: kept like the medians until the rollup changes.
        "cost": memo("cost", lambda: cost.figures(filters, remote_pct=headline["remote_pct"])),
    }


def same_period_last_year(filters: metrics.Filters) -> metrics.Filters:
    """The range a year earlier, same school, technician and category (February 29 becomes the 28th)."""

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return metrics.Filters(
        date_from=back(filters.date_from),
        date_to=back(filters.date_to),
        school=filters.school,
        technician=filters.technician,
        category=filters.category,
    )


# The tiles: headline key, label, unit ("min" reads as hours and minutes), goal field, higher is better.
TILES: list[tuple[str, Any, str, str | None, bool]] = [
    ("quality_satisfaction_pct", gettext_lazy("Quality satisfaction"), "%", "quality_satisfaction_pct", True),
    ("timeliness_satisfaction_pct", gettext_lazy("Timeliness satisfaction"), "%", "timeliness_satisfaction_pct", True),
    ("median_first_response_minutes", gettext_lazy("Median first response"), "min", "first_response_hours", False),
    ("median_resolution_minutes", gettext_lazy("Median resolution"), "min", "resolution_hours", False),
    ("sla_met_pct", gettext_lazy("SLA met (business hours)"), "%", "sla_met_pct", True),
    ("response_rate_pct", gettext_lazy("Survey response rate"), "%", None, True),
    ("surveys_opened_unanswered", gettext_lazy("Surveys opened, not answered"), "", None, False),
    ("quality_mean", gettext_lazy("Mean quality rating"), "/5", None, True),
    ("timeliness_mean", gettext_lazy("Mean timeliness rating"), "/5", None, True),
    ("remote_pct", gettext_lazy("Handled remotely"), "%", None, True),
    ("learned_pct", gettext_lazy("Learned to handle it"), "%", None, True),
    ("tickets_opened", gettext_lazy("Opened"), "", None, True),
    ("tickets_closed", gettext_lazy("Closed"), "", None, True),
    ("backlog", gettext_lazy("Backlog at the end"), "", None, False),
]


def tiles(headline: dict[str, Any], goal: Any, last_year: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Headline tiles: a value, its goal if any, whether the goal is met, and the same period last year.

    Durations read as hours and minutes, the goal and last year's figure in the same words;
    goals kept in hours (Goal.*_hours) are compared in minutes like the figures.
    """
    shown = []
    for key, label, unit, goal_field, higher_is_better in TILES:
        value = headline.get(key)  # surveys_opened_unanswered is the page's own, not the API summary's
        goal_value = getattr(goal, goal_field, None) if goal is not None and goal_field else None
        if goal_value is not None:
            goal_value = float(goal_value) * 60 if str(goal_field).endswith("_hours") else float(goal_value)
        met = None
        if value is not None and goal_value is not None:
            met = value >= goal_value if higher_is_better else value <= goal_value
        before = None if last_year is None else last_year.get(key)
        tile = {
            "key": key,
            "label": label,
            "value": value,
            "unit": unit,
            "goal": goal_value,
            "met": met,
            "last_year": before,
        }
        if unit == "min":  # durations read as hours and minutes, the goal and last year in the same words
            tile.update(
                unit="",
                value=duration_in_words(value),
                goal=duration_in_words(goal_value),
                last_year=duration_in_words(before),
            )
        shown.append(tile)
    return shown


def chart_data(trend: list[dict], headline: dict[str, Any], sla: list[dict]) -> dict[str, Any]:
    """Exactly the numbers the tables show, for static/js/dashboard.js."""
    return {
        "labels": [p["label"] for p in trend],
        "quality": [p["quality_satisfaction_pct"] for p in trend],
        "timeliness": [p["timeliness_satisfaction_pct"] for p in trend],
        "goal_quality": [p["goal_quality_satisfaction_pct"] for p in trend],
        "opened": [p["tickets_opened"] for p in trend],
        "closed": [p["tickets_closed"] for p in trend],
        "backlog_labels": [_("0–2 days"), _("3–7 days"), _("8–30 days"), _("Older")],
        "backlog": list(headline["backlog_by_age"].values()),
        "sla_labels": [str(row["label"]) for row in sla],
        "sla": [row["sla_met_pct"] for row in sla],
        "text": {
            "quality": _("Quality satisfaction %"),
            "timeliness": _("Timeliness satisfaction %"),
            "goal": _("Quality goal %"),
            "opened": _("Opened"),
            "closed": _("Closed"),
            "backlog": _("Waiting tickets"),
            "sla": _("SLA met %"),
        },
    }


def period_label(start: date, interval: str) -> str:
    """A trend point's name on the axis and in the table: "Aug 2026" by month, "Aug 3" by week."""
    if interval == "month":
        # Translators: a month on the dashboard's axis, PHP date() format: "M Y" gives "Aug 2026".
        return date_format(start, pgettext("month axis format", "M Y"))
    # Translators: the Monday starting a week on the dashboard's axis: "M j" gives "Aug 3".
    return date_format(start, pgettext("week axis format", "M j"))


def recurring_phrases(
    filters: metrics.Filters, school_ids: list[int], *, top: int = PHRASES_PER_CATEGORY
) -> dict[tuple[int, int], list[tuple[str, int]]]:
    """Per (school, category), the phrases that recur in the titles filed in the range.

    A phrase is two neighbouring words that both say something ("paper jam", "smart
    board"), else one such word; stop words of both languages and numbers are left out,
    and a phrase must come back at least twice to be a recurring problem. A handful of
    schools only (the lowest-scoring), one query, counted here.
    """
    if not school_ids:
        return {}
    start, end = metrics.local_bounds(filters.date_from, filters.date_to)
    tickets = metrics._scoped(filters).filter(school_id__in=school_ids, created_at__gte=start, created_at__lt=end)
    pairs: dict[tuple[int, int], WordCounter] = {}
    singles: dict[tuple[int, int], WordCounter] = {}
    for school_id, category_id, title in tickets.values_list("school_id", "category_id", "title").iterator():
        key = (school_id, category_id)
        words = _words(title)
        pairs.setdefault(key, WordCounter()).update({f"{a} {b}" for a, b in pairwise(words) if a and b})
        singles.setdefault(key, WordCounter()).update({w for w in words if w})
    result = {}
    for key, counter in pairs.items():
        phrases = _chained([(phrase, n) for phrase, n in counter.most_common() if n >= 2])[:top]
        # A word alone says more only when it recurs more often than the phrases holding it.
        covered: dict[str, int] = {}
        for phrase, n in phrases:
            for word in phrase.split():
                covered[word] = max(covered.get(word, 0), n)
        phrases += [(w, n) for w, n in singles[key].most_common() if n >= 2 and n > covered.get(w, 0)]
        result[key] = sorted(phrases, key=lambda item: (-item[1], item[0]))[:top]
    return result


def _chained(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Overlapping word pairs seen as often as each other are one longer phrase:
    "smartboard pen" and "pen lost", five times each, are "smartboard pen lost"."""
    chained: list[list[Any]] = []
    for phrase, n in pairs:
        first, last = phrase.split()
        for item in chained:
            if item[1] == n and item[0].endswith(f" {first}"):
                item[0] += f" {last}"
                break
            if item[1] == n and item[0].startswith(f"{last} "):
                item[0] = f"{first} {item[0]}"
                break
        else:
            chained.append([phrase, n])
    return [(phrase, n) for phrase, n in chained]


def _words(title: str) -> list[str]:
    """The title's words in order, each stop word or number blanked so a phrase never spans one."""
    words = re.findall(r"[\w']+", title.lower().replace("\u2019", "'"))
    return ["" if len(w) < 3 or w in STOP_WORDS or w.isdigit() else w for w in words]
