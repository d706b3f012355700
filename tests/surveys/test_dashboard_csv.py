"""The dashboard's CSV export: each breakdown's numbers, formulas neutralised, filters, bad input."""
# ruff: noqa: F811 - the shared fixtures of test_metrics and dashboard_helpers are imported by name, then requested as arguments

import csv
import io

import pytest
from django.urls import reverse

from surveys.dashboard import rollup
from tests import factories
from tests.surveys.dashboard_helpers import WEEK_QUERY, closed_week, signed_in  # noqa: F401 - fixtures
from tests.surveys.test_metrics import FRIDAY, MONDAY, at, make  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

# --- CSV ----------------------------------------------------------------------------------------


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_of_each_breakdown_has_the_dashboard_numbers(client, director, closed_week, school, technician, category):
    client = signed_in(client, director)
    for by, pk in (("school", school.pk), ("technician", technician.pk), ("category", category.pk)):
        response = client.get(reverse("dashboard-export"), {**WEEK_QUERY, "breakdown": by})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        header, *rows = read_csv(response)
        assert header[:2] == ["id", by]
        row = dict(zip(header, rows[0], strict=True))
        assert row["id"] == str(pk)
        assert (row["tickets_closed"], row["quality_satisfaction_pct"], row["response_rate_pct"]) == (
            "3",
            "50.0",
            "66.7",
        )


def test_csv_neutralises_formulas_in_names(client, director, make):
    school = factories.SchoolFactory(name='=HYPERLINK("http://evil")')
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=school)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    response = signed_in(client, director).get(reverse("dashboard-export"), {**WEEK_QUERY, "breakdown": "school"})
    names = [row[1] for row in read_csv(response)[1:]]
    assert names == ['\'=HYPERLINK("http://evil")']


def test_csv_filters_apply(client, director, closed_week, make):
    other = factories.SchoolFactory()
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=other)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    response = signed_in(client, director).get(
        reverse("dashboard-export"), {**WEEK_QUERY, "breakdown": "school", "school": other.pk}
    )
    assert [row[0] for row in read_csv(response)[1:]] == [str(other.pk)]


@pytest.mark.parametrize("query", [{"breakdown": "requester"}, {}, {"breakdown": "school", "date_from": "x"}])
def test_csv_bad_input_is_400(client, director, query):
    assert signed_in(client, director).get(reverse("dashboard-export"), query).status_code == 400
