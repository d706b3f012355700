"""Durations in hours and minutes, the same unit on the dashboard tile and the goals page."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from surveys.dashboard.selectors import tiles
from surveys.dashboard.units import duration_in_words, hours_in_words
from surveys.models import Goal


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(None, None), (0, "0 min"), (45.4, "45 min"), (60, "1 h"), (1363.2, "22 h 43 min"), (Decimal("90"), "1 h 30 min")],
)
def test_minutes_read_as_hours_and_minutes(minutes, words):
    with translation.override("en"):
        assert duration_in_words(minutes) == words


def test_a_goal_in_hours_reads_the_same_way():
    with translation.override("en"):
        assert hours_in_words(Decimal("4.0")) == "4 h"
        assert hours_in_words(Decimal("1.5")) == "1 h 30 min"


def test_time_tiles_show_hours_and_minutes_with_the_goal_in_the_same_unit():
    headline = dict.fromkeys(
        [
            "quality_satisfaction_pct",
            "timeliness_satisfaction_pct",
            "median_first_response_minutes",
            "median_resolution_minutes",
            "sla_met_pct",
            "response_rate_pct",
            "quality_mean",
            "timeliness_mean",
            "remote_pct",
            "learned_pct",
            "tickets_opened",
            "tickets_closed",
            "backlog",
        ]
    )
    headline.update(median_first_response_minutes=1363.2, median_resolution_minutes=95)
    goal = Goal(school_year="2026-2027", quality_satisfaction_pct=Decimal("94"), first_response_hours=Decimal("24"))
    with translation.override("en"):
        shown = {t["key"]: t for t in tiles(headline, goal)}
    first = shown["median_first_response_minutes"]
    assert (first["value"], first["goal"], first["unit"], first["met"]) == ("22 h 43 min", "24 h", "", True)
    assert shown["median_resolution_minutes"]["value"] == "1 h 35 min"


@pytest.mark.django_db
def test_the_goals_page_shows_the_first_response_goal_in_hours_and_minutes(director):
    Goal.objects.create(
        school_year="2026-2027", quality_satisfaction_pct=Decimal("94"), first_response_hours=Decimal("1.5")
    )
    client = Client()
    client.force_login(director)
    page = client.get("/dashboard/goals/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 h 30 min" in page
