"""The dashboard's daily rollup: built on the first visit, kept until refreshed, refreshed once stale."""
# ruff: noqa: F811 - the shared fixtures of test_metrics and dashboard_helpers are imported by name, then requested as arguments

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.dashboard import rollup, selectors, tasks
from surveys.models import DailyStatsState, DailyTicketStats
from tests.surveys.dashboard_helpers import WEEK_QUERY, signed_in  # noqa: F401 - fixtures
from tests.surveys.test_metrics import FRIDAY, MONDAY, at, make  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_first_visit_builds_the_rollup(client, director, make):
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    assert not DailyTicketStats.objects.exists()
    response = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY)
    assert response.context["headline"]["tickets_closed"] == 1


def test_raw_figures_are_kept_until_the_rollup_is_refreshed(client, director, make):
    client = signed_in(client, director)
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    assert client.get(reverse("dashboard"), WEEK_QUERY).context["headline"]["median_resolution_minutes"] == 60.0
    make(created=at(MONDAY), resolved=at(MONDAY, 12), closed=at(MONDAY, 13))
    make(created=at(MONDAY), resolved=at(MONDAY, 12), closed=at(MONDAY, 13))
    # Same moment as the rollup: the medians stay with the counts they sit beside.
    assert client.get(reverse("dashboard"), WEEK_QUERY).context["headline"]["median_resolution_minutes"] == 60.0
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    headline = client.get(reverse("dashboard"), WEEK_QUERY).context["headline"]
    assert (headline["tickets_closed"], headline["median_resolution_minutes"]) == (3, 180.0)


def test_the_page_refreshes_a_rollup_that_beat_left_stale(client, director, make, settings):
    """No beat and no broker (the SQLite demo): the page refreshes the recent days itself."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = signed_in(client, director)
    day = timezone.localdate() - timedelta(days=2)
    query = {"period": "custom", "date_from": day.isoformat(), "date_to": day.isoformat()}
    make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
    assert client.get(reverse("dashboard"), query).context["headline"]["tickets_closed"] == 1
    make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
    # Refreshed minutes ago: the page shows the rollup as it stands, with its time.
    assert client.get(reverse("dashboard"), query).context["headline"]["tickets_closed"] == 1
    DailyStatsState.objects.update(refreshed_at=timezone.now() - selectors.STALE_AFTER - timedelta(minutes=1))
    response = client.get(reverse("dashboard"), query)
    assert response.context["headline"]["tickets_closed"] == 2
    assert response.context["refreshed_at"] > timezone.now() - timedelta(minutes=1)


def test_with_a_worker_a_stale_rollup_is_refreshed_by_it_and_the_page_does_not_wait(
    client, director, make, settings, monkeypatch
):
    """Beat stopped, the worker running: the page shows the figures it has, with their time, and
    asks the worker for one refresh however many pages are drawn meanwhile."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    asked = []
    monkeypatch.setattr("notifications.delivery.enqueue_on_commit", lambda task, *args: asked.append(task.name))
    client = signed_in(client, director)
    day = timezone.localdate() - timedelta(days=2)
    query = {"period": "custom", "date_from": day.isoformat(), "date_to": day.isoformat()}
    make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
    rollup.rebuild_recent()
    make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
    stale = timezone.now() - selectors.STALE_AFTER - timedelta(minutes=1)
    DailyStatsState.objects.update(refreshed_at=stale)
    for _ in range(3):
        response = client.get(reverse("dashboard"), query)
        assert response.context["headline"]["tickets_closed"] == 1  # the figures it has...
        assert response.context["refreshed_at"] == stale  # ...said to be as of then
    assert asked.count("surveys.dashboard.tasks.refresh_recent_daily_stats") == 1
    tasks.refresh_recent_daily_stats()  # the worker's run
    assert client.get(reverse("dashboard"), query).context["headline"]["tickets_closed"] == 2
