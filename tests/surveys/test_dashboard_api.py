"""The metrics endpoints behind the dashboard: the breakdown and the time series, and bad input."""
# ruff: noqa: F811 - the shared fixtures of test_metrics and dashboard_helpers are imported by name, then requested as arguments

import pytest

from tests.conftest import api_as
from tests.surveys.dashboard_helpers import closed_week  # noqa: F401 - fixtures
from tests.surveys.test_metrics import FRIDAY, MONDAY, make  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

# --- API ----------------------------------------------------------------------------------------


def test_breakdown_endpoint(director, closed_week, school):
    response = api_as(director).get(
        "/api/metrics/breakdown/", {"by": "school", "date_from": MONDAY.isoformat(), "date_to": FRIDAY.isoformat()}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["by"] == "school"
    (row,) = body["results"]
    assert (row["id"], row["tickets_closed"], row["quality_satisfaction_pct"]) == (school.pk, 3, 50.0)


@pytest.mark.parametrize("path", ["/api/metrics/timeseries/", "/api/metrics/trend/"])
def test_timeseries_endpoint_and_its_older_name(director, closed_week, path):
    response = api_as(director).get(
        path, {"interval": "week", "date_from": MONDAY.isoformat(), "date_to": FRIDAY.isoformat()}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["interval"] == "week"
    assert [(p["period"], p["tickets_closed"]) for p in body["results"]] == [(MONDAY.isoformat(), 3)]


def test_timeseries_defaults_to_months(director, closed_week):
    body = api_as(director).get("/api/metrics/timeseries/", {"date_from": MONDAY.isoformat()}).json()
    assert body["interval"] == "month"
    assert body["results"][0]["period"] == MONDAY.replace(day=1).isoformat()


@pytest.mark.parametrize(
    "path",
    [
        "/api/metrics/breakdown/",
        "/api/metrics/breakdown/?by=requester",
        "/api/metrics/trend/?interval=day",
        "/api/metrics/timeseries/?interval=year",
        "/api/metrics/timeseries/?school=999999",
        "/api/metrics/trend/?date_from=2026-03-09&date_to=2026-03-01",
    ],
)
def test_metrics_endpoints_reject_bad_input_with_400(director, path):
    assert api_as(director).get(path).status_code == 400
