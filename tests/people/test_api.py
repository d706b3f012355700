"""`/api/people/` as API.md's "People" section says."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from people.selectors import Role, role_of
from tests import factories
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

FIELDS = {"id", "username", "email", "first_name", "last_name", "role", "school", "is_active"}


def test_director_lists_people_with_the_contract_fields(director, teacher, technician, school):
    body = api_as(director).get("/api/people/").json()
    assert body["count"] == 3
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows[teacher.pk]) == FIELDS
    assert rows[teacher.pk]["role"] == "requester" and rows[teacher.pk]["school"] == school.pk
    assert rows[technician.pk]["role"] == "technician"
    assert rows[director.pk]["role"] == "director"


@pytest.mark.parametrize("who", ["teacher", "technician"])
def test_only_directors_reach_people(request, who):
    assert api_as(request.getfixturevalue(who)).get("/api/people/").status_code == 403


def test_anonymous_is_refused(api):
    assert api.get("/api/people/").status_code in (401, 403)


def test_filters_search_role_school_is_active(director, teacher, technician, school):
    client = api_as(director)
    ids = lambda query: {row["id"] for row in client.get(f"/api/people/?{query}").json()["results"]}  # noqa: E731
    assert ids("role=technician") == {technician.pk}
    assert ids(f"school={school.pk}") == {teacher.pk}
    assert ids(f"search={teacher.last_name}") >= {teacher.pk}
    assert ids("is_active=false") == set()


def test_setting_role_moves_groups(director, teacher):
    response = api_as(director).patch(f"/api/people/{teacher.pk}/", {"role": "technician"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["role"] == "technician"
    assert role_of(type(teacher).objects.get(pk=teacher.pk)) == Role.TECHNICIAN


def test_deactivating_through_the_api_ends_the_token_at_once(director, teacher):
    token = Token.objects.create(user=teacher)
    own = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert own.get("/api/tickets/").status_code == 200
    response = api_as(director).patch(f"/api/people/{teacher.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert own.get("/api/tickets/").status_code in (401, 403)


def test_bad_input_answers_400_with_field_errors(director, teacher):
    client = api_as(director)
    assert "role" in client.patch(f"/api/people/{teacher.pk}/", {"role": "wizard"}, format="json").json()
    assert "school" in client.patch(f"/api/people/{teacher.pk}/", {"school": 999999}, format="json").json()
    response = client.patch(f"/api/people/{director.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400 and "is_active" in response.json()


def test_create_person_and_never_delete(director, school):
    client = api_as(director)
    response = client.post(
        "/api/people/", {"username": "newbie", "email": "newbie@district.example", "school": school.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "requester"
    assert client.post("/api/people/", {"username": "NEWBIE"}, format="json").status_code == 400
    assert client.delete(f"/api/people/{response.json()['id']}/").status_code == 405


def test_list_queries_do_not_grow_with_people(director):
    client = api_as(director)
    client.get("/api/people/")  # the director's groups are read once and kept on the user
    with CaptureQueriesContext(connection) as one:
        client.get("/api/people/")
    for _ in range(15):
        factories.TechnicianFactory(profile__school=factories.SchoolFactory())
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/people/").json()["count"] == 16
    # The count and the page with its roles and schools: two queries at 1 person and at 16.
    assert len(one) == len(many) == 2
