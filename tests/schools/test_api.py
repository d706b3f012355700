"""The schools API: schools, rotations, visits, calendar, closures (and SLA targets)."""

from datetime import date, timedelta

import pytest

from schools import services
from schools.models import Closure, Visit
from schools.roles import forget_roles
from tests import factories
from tests.conftest import api_as
from tickets.models import Queue

pytestmark = pytest.mark.django_db


def rotation_payload(technician, school, **extra):
    payload = {
        "technician": technician.pk,
        "school": school.pk,
        "weekdays": [2, 4],
        "every_n_weeks": 1,
        "start_date": date.today().isoformat(),
    }
    payload.update(extra)
    return payload


# --- schools ---


def test_signed_in_users_read_schools(teacher, school):
    response = api_as(teacher).get("/api/schools/")
    assert response.status_code == 200
    assert set(response.json()["results"][0]) >= {"id", "name", "code", "level", "campus_contact"}


def test_anonymous_cannot_read_schools(api):
    assert api.get("/api/schools/").status_code in (401, 403)


def test_director_creates_a_school_and_its_queue(director):
    response = api_as(director).post("/api/schools/", {"name": "Oak Middle", "code": "OMS", "level": "middle"})
    assert response.status_code == 201
    assert Queue.objects.filter(school_id=response.json()["id"]).exists()


@pytest.mark.parametrize("user", ["teacher", "technician"])
def test_only_the_director_writes_schools(request, user):
    client = api_as(request.getfixturevalue(user))
    assert client.post("/api/schools/", {"name": "X", "code": "X1", "level": "high"}).status_code == 403


def test_bad_school_input_is_400(director):
    response = api_as(director).post("/api/schools/", {"name": "X", "code": "X2", "level": "college"})
    assert response.status_code == 400 and "level" in response.json()


def test_school_list_query_count(teacher, django_assert_num_queries):
    factories.SchoolFactory.create_batch(5)
    client = api_as(teacher)
    with django_assert_num_queries(2):  # 1 count, 2 page
        client.get("/api/schools/")


# --- rotations ---


def test_director_creates_a_rotation_and_visits_follow(director, technician, school):
    response = api_as(director).post("/api/rotations/", rotation_payload(technician, school), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["weekdays"] == [2, 4]
    assert Visit.objects.filter(school=school, technician=technician).count() >= 16


def test_rotation_patch_replans(director, technician, school):
    rotation = services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[2], start_date=date.today()
    )
    response = api_as(director).patch(f"/api/rotations/{rotation.pk}/", {"weekdays": [5]}, format="json")
    assert response.status_code == 200
    future = Visit.objects.filter(school=school, date__gt=date.today())
    assert {v.date.isoweekday() for v in future} == {5}


@pytest.mark.parametrize(
    "bad",
    [{"weekdays": []}, {"weekdays": [9]}, {"every_n_weeks": 0}, {"start_date": "soon"}, {"end_date": "2000-01-01"}],
)
def test_bad_rotation_input_is_400(director, technician, school, bad):
    response = api_as(director).post("/api/rotations/", rotation_payload(technician, school, **bad), format="json")
    assert response.status_code == 400


def test_rotation_for_a_requester_is_400(director, teacher, school):
    response = api_as(director).post("/api/rotations/", rotation_payload(teacher, school), format="json")
    assert response.status_code == 400 and "technician" in response.json()


def test_staff_read_rotations_requesters_get_403(technician, teacher, director, school):
    services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[2], start_date=date.today()
    )
    assert api_as(technician).get("/api/rotations/").json()["count"] == 1
    assert api_as(teacher).get("/api/rotations/").status_code == 403
    assert (
        api_as(technician).post("/api/rotations/", rotation_payload(technician, school), format="json").status_code
        == 403
    )


def test_deleting_a_rotation_through_the_api(director, technician, school):
    rotation = services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[2], start_date=date.today()
    )
    assert api_as(director).delete(f"/api/rotations/{rotation.pk}/").status_code == 204
    assert not Visit.objects.filter(school=school, date__gt=date.today()).exists()


# --- visits ---


@pytest.fixture
def two_rotations(director, technician, school):
    other_school = factories.SchoolFactory()
    other_tech = factories.TechnicianFactory()
    today = date.today()
    services.create_rotation(actor=director, technician=technician, school=school, weekdays=[1], start_date=today)
    services.create_rotation(actor=director, technician=other_tech, school=other_school, weekdays=[3], start_date=today)
    return other_school, other_tech


def test_visits_filter_by_technician_school_and_dates(technician, school, two_rotations):
    client = api_as(technician)
    rows = client.get(f"/api/visits/?technician={technician.pk}").json()["results"]
    assert rows and {r["school"] for r in rows} == {school.pk}
    assert set(rows[0]) >= {"id", "technician", "school", "date", "status"}
    other_school, _ = two_rotations
    rows = client.get(f"/api/visits/?school={other_school.pk}").json()["results"]
    assert {date.fromisoformat(r["date"]).isoweekday() for r in rows} == {3}
    start = date.today() + timedelta(days=7)
    end = start + timedelta(days=6)
    rows = client.get(f"/api/visits/?date_from={start}&date_to={end}").json()["results"]
    assert len(rows) == 2
    assert all(start <= date.fromisoformat(r["date"]) <= end for r in rows)


def test_visits_bad_filters_are_400(technician):
    client = api_as(technician)
    assert client.get("/api/visits/?date_from=yesterday").status_code == 400
    assert client.get("/api/visits/?school=abc").status_code == 400


def test_requesters_cannot_list_visits(teacher):
    assert api_as(teacher).get("/api/visits/").status_code == 403


def test_visit_list_query_count(technician, two_rotations, django_assert_num_queries):
    client = api_as(technician)
    forget_roles(technician)  # count the role lookup too
    with django_assert_num_queries(3):  # 1 caller's groups, 2 count, 3 one page of ~18 visits (nothing per row)
        response = client.get("/api/visits/?page_size=100")
    assert response.json()["count"] >= 16


# --- calendar and closures ---


def test_calendar_is_readable_by_staff_and_edited_by_the_director(technician, director):
    listing = api_as(technician).get("/api/calendar/").json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert row["time_zone"] == "America/Chicago" and row["weekly_hours"]["1"] == ["07:30", "16:30"]
    url = f"/api/calendar/{row['id']}/"
    assert api_as(technician).patch(url, {"load_balanced_assignment": True}, format="json").status_code == 403
    response = api_as(director).patch(url, {"weekly_hours": {"1": ["08:00", "15:00"]}}, format="json")
    assert response.status_code == 200 and response.json()["weekly_hours"] == {"1": ["08:00", "15:00"]}
    bad = api_as(director).patch(url, {"weekly_hours": {"1": ["15:00", "08:00"]}}, format="json")
    assert bad.status_code == 400 and "weekly_hours" in bad.json()


def test_requesters_cannot_read_the_calendar_settings(teacher):
    assert api_as(teacher).get("/api/calendar/").status_code == 403


def test_director_adds_and_removes_closures(director):
    client = api_as(director)
    response = client.post(
        "/api/closures/",
        {"name": "Winter break", "kind": "break", "start_date": "2026-12-21", "end_date": "2027-01-01"},
    )
    assert response.status_code == 201
    assert (
        client.post(
            "/api/closures/", {"name": "Bad", "kind": "break", "start_date": "2026-12-21", "end_date": "2026-12-01"}
        ).status_code
        == 400
    )
    assert client.delete(f"/api/closures/{response.json()['id']}/").status_code == 204
    assert not Closure.objects.exists()


def test_federal_holidays_button_in_the_api(director, technician):
    assert api_as(technician).post("/api/closures/federal-holidays/", {"school_year": 2026}).status_code == 403
    response = api_as(director).post("/api/closures/federal-holidays/", {"school_year": 2026})
    assert response.status_code == 200 and response.json()["added"] >= 10
    assert api_as(director).post("/api/closures/federal-holidays/", {"school_year": "x"}).status_code == 400


# --- SLA targets ---


def test_sla_targets_staff_read_director_writes(technician, director, teacher):
    rows = api_as(technician).get("/api/sla-targets/").json()["results"]
    assert [r["priority"] for r in rows] == ["critical", "high", "normal", "low"]
    critical = rows[0]
    url = f"/api/sla-targets/{critical['id']}/"
    assert api_as(teacher).get("/api/sla-targets/").status_code == 403
    assert api_as(technician).patch(url, {"response_value": 45}).status_code == 403
    response = api_as(director).patch(url, {"response_value": 45, "response_unit": "minutes"})
    assert response.status_code == 200 and response.json()["response_value"] == 45
    assert api_as(director).patch(url, {"response_value": 0}).status_code == 400
    assert api_as(director).patch(url, {"response_unit": "weeks"}).status_code == 400
