"""The dashboard's goals page: a director adds and edits the goals; bad ones are form errors."""

from datetime import date

import pytest
from django.urls import reverse

from surveys.models import Goal
from tests.surveys.dashboard_helpers import signed_in

pytestmark = pytest.mark.django_db

# --- goals --------------------------------------------------------------------------------------


def test_director_adds_and_edits_goals_on_a_page(client, director):
    client = signed_in(client, director)
    response = client.post(
        reverse("dashboard-goals"),
        {"school_year": "2027-2028", "quality_satisfaction_pct": "97", "timeliness_satisfaction_pct": "90"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(school_year="2027-2028")
    assert (goal.start_date, goal.quality_satisfaction_pct) == (date(2027, 8, 1), 97)
    client.post(
        reverse("dashboard-goal-edit", kwargs={"pk": goal.pk}),
        {"school_year": "2027-2028", "quality_satisfaction_pct": "95.5", "first_response_hours": "4"},
    )
    goal.refresh_from_db()
    assert (float(goal.quality_satisfaction_pct), float(goal.first_response_hours)) == (95.5, 4.0)
    client.post(
        reverse("dashboard-goal-edit", kwargs={"pk": goal.pk}),
        {"school_year": "2027-2028", "quality_satisfaction_pct": "95.5", "resolution_hours": "8", "sla_met_pct": "92"},
    )
    goal.refresh_from_db()
    assert (float(goal.resolution_hours), float(goal.sla_met_pct)) == (8.0, 92.0)


@pytest.mark.parametrize(
    "data",
    [
        {"school_year": "2027", "quality_satisfaction_pct": "97"},
        {"school_year": "2027-2028", "quality_satisfaction_pct": "140"},
        {"school_year": "2027-2028", "quality_satisfaction_pct": "abc"},
    ],
)
def test_bad_goals_are_form_errors(client, director, data):
    response = signed_in(client, director).post(reverse("dashboard-goals"), data)
    assert response.status_code == 400
    assert not Goal.objects.exists()
