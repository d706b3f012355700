from datetime import timedelta

import pytest
from django.utils import timezone

from schools.calendar import school_year_bounds
from surveys import services as survey_services
from surveys.models import SurveyResponse
from tests import factories
from tests.conftest import api_as
from tests.surveys.conftest import work_and_close

pytestmark = pytest.mark.django_db

RESPONSES = "/api/surveys/responses/"
SUMMARY = "/api/metrics/summary/"


@pytest.fixture
def answered(technician, category, django_capture_on_commit_callbacks):
    """Answered surveys factory: n tickets at fresh schools, each answered by its requester."""

    def _answered(n: int, **answer):
        made = []
        for _ in range(n):
            requester = factories.UserFactory(profile__school=factories.SchoolFactory())
            ticket = factories.TicketFactory(requester=requester, category=category)
            with django_capture_on_commit_callbacks(execute=True):
                work_and_close(ticket, technician)
            made.append(
                survey_services.record_answer(
                    invitation=ticket.survey_invitation,
                    user=requester,
                    **{"timeliness": 4, "quality": 5, "learned": True, **answer},
                )
            )
        return made

    return _answered


def test_responses_are_for_the_director_only(answered, teacher, technician, director, api):
    answered(1)
    assert api.get(RESPONSES).status_code in (401, 403)
    assert api_as(teacher).get(RESPONSES).status_code == 403
    assert api_as(technician).get(RESPONSES).status_code == 403
    assert api_as(director).get(RESPONSES).status_code == 200


def test_response_fields(answered, director, technician):
    [answer] = answered(1, comment="Great")
    [row] = api_as(director).get(RESPONSES).json()["results"]
    assert set(row) == {
        "id",
        "ticket",
        "school",
        "technician",
        "timeliness",
        "quality",
        "comment",
        "learned",
        "answered_at",
    }
    assert row["ticket"] == answer.ticket_id
    assert row["school"] == answer.ticket.school_id
    assert row["technician"] == technician.pk
    assert (row["timeliness"], row["quality"], row["comment"], row["learned"]) == (4, 5, "Great", True)
    assert row["answered_at"].endswith(("-05:00", "-06:00", "+00:00", "Z")) or "T" in row["answered_at"]


def test_responses_filter_by_school_technician_category_and_district_dates(answered, director, technician):
    first, second = answered(2)
    client = api_as(director)
    ids = lambda **q: [r["id"] for r in client.get(RESPONSES, q).json()["results"]]  # noqa: E731
    assert ids(school=first.ticket.school_id) == [first.pk]
    assert sorted(ids(technician=technician.pk)) == sorted([first.pk, second.pk])
    assert ids(technician=factories.TechnicianFactory().pk) == []
    assert sorted(ids(category=first.ticket.category_id)) == sorted([first.pk, second.pk])
    # 23:30 in Chicago on the 1st is already the 2nd in UTC: it belongs to the 1st.
    local = timezone.get_default_timezone()
    late = timezone.datetime(2026, 3, 1, 23, 30, tzinfo=local)
    SurveyResponse.objects.filter(pk=first.pk).update(answered_at=late)
    SurveyResponse.objects.filter(pk=second.pk).update(answered_at=late + timedelta(hours=1))
    assert ids(date_from="2026-03-01", date_to="2026-03-01") == [first.pk]
    assert ids(date_from="2026-03-02") == [second.pk]


@pytest.mark.parametrize("query", [{"school": "abc"}, {"school": "999999"}, {"date_from": "yesterday"}])
def test_responses_bad_filters_answer_400(director, query):
    assert api_as(director).get(RESPONSES, query).status_code == 400


def test_responses_list_query_count_does_not_grow(answered, director, django_assert_num_queries):
    from django.contrib.auth.models import User

    answered(1)
    client = api_as(User.objects.get(pk=director.pk))  # a fresh object: its groups are not cached yet
    # 1: the caller's groups (director check), 2: the count, 3: the page with its joins.
    with django_assert_num_queries(3):
        assert client.get(RESPONSES).status_code == 200
    answered(4)
    client = api_as(User.objects.get(pk=director.pk))
    with django_assert_num_queries(3):
        assert len(client.get(RESPONSES).json()["results"]) == 5


def test_summary_is_for_the_director_only(teacher, technician, director, api):
    assert api.get(SUMMARY).status_code in (401, 403)
    assert api_as(teacher).get(SUMMARY).status_code == 403
    assert api_as(technician).get(SUMMARY).status_code == 403
    assert api_as(director).get(SUMMARY).status_code == 200


def test_summary_lists_every_field_of_the_contract(director):
    body = api_as(director).get(SUMMARY, {"date_from": "2026-03-01", "date_to": "2026-03-31"}).json()
    for field in (
        "tickets_opened",
        "tickets_closed",
        "backlog",
        "median_first_response_minutes",
        "median_resolution_minutes",
        "sla_met_pct",
        "surveys_sent",
        "surveys_answered",
        "response_rate_pct",
        "quality_mean",
        "quality_satisfaction_pct",
        "timeliness_mean",
        "timeliness_satisfaction_pct",
        "remote_pct",
        "goal_quality_satisfaction_pct",
    ):
        assert field in body


def test_summary_defaults_to_the_school_year_to_date(director):
    body = api_as(director).get(SUMMARY).json()
    today = timezone.localdate()
    assert body["date_from"] == school_year_bounds(today)[0].isoformat()
    assert body["date_to"] == today.isoformat()


def test_summary_counts_the_pipeline(answered, director):
    answered(2, quality=5)
    answered(1, quality=2)
    today = timezone.localdate().isoformat()
    body = api_as(director).get(SUMMARY, {"date_from": today, "date_to": today}).json()
    assert body["tickets_closed"] == 3
    assert body["surveys_sent"] == 3 and body["surveys_answered"] == 3
    assert body["quality_satisfaction_pct"] == 66.7
    assert body["response_rate_pct"] == 100.0


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-02-30"},
        {"date_to": "soon"},
        {"date_from": "2026-03-05", "date_to": "2026-03-01"},
        {"school": "x"},
        {"school": "999999"},
        {"technician": "999999"},
        {"category": "1.5"},
    ],
)
def test_summary_bad_params_answer_400(director, query):
    assert api_as(director).get(SUMMARY, query).status_code == 400
