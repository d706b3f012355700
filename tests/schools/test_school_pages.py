"""The director's `/schools/` pages, for each role, and equal to `/api/schools/`."""

import pytest

from people import services as people_services
from schools.models import School
from tests import factories
from tests.conftest import api_as
from tickets.models import Queue

pytestmark = pytest.mark.django_db

FIELDS = {"name": "Oak Middle", "code": "OMS", "level": "middle", "address": "1 Oak St"}


@pytest.mark.parametrize("who", ["teacher", "technician"])
def test_school_pages_answer_404_to_non_directors(client, request, who, school):
    client.force_login(request.getfixturevalue(who))
    for path in ("/schools/", f"/schools/{school.pk}/"):
        assert client.get(path).status_code == 404
        assert client.post(path, FIELDS).status_code == 404
    assert not School.objects.filter(code="OMS").exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/schools/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_director_lists_schools_with_their_campus_contact(client, director, teacher, school):
    people_services.set_campus_contact(actor=director, school=school, person=teacher)
    client.force_login(director)
    page = client.get("/schools/").content.decode()
    assert f'href="/schools/{school.pk}/"' in page and f'href="/people/{teacher.pk}/"' in page
    assert 'href="/schools/"' in page  # the menu entry


def test_adding_a_school_through_the_page_equals_the_api_and_makes_its_queue(client, director):
    client.force_login(director)
    assert client.post("/schools/", FIELDS).status_code == 302
    assert api_as(director).post("/api/schools/", {**FIELDS, "code": "OMS2"}, format="json").status_code == 201
    by_page, by_api = School.objects.get(code="OMS"), School.objects.get(code="OMS2")
    for school in (by_page, by_api):
        assert Queue.objects.filter(school=school).count() == 1
    page_row = api_as(director).get(f"/api/schools/{by_page.pk}/").json()
    api_row = api_as(director).get(f"/api/schools/{by_api.pk}/").json()
    for row in (page_row, api_row):
        row.pop("id"), row.pop("code")
    assert page_row == api_row


def test_editing_a_school_through_the_page(client, director, school):
    client.force_login(director)
    assert client.get(f"/schools/{school.pk}/").status_code == 200
    response = client.post(f"/schools/{school.pk}/", {**FIELDS, "name": "Renamed"})
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.name, school.code, school.level) == ("Renamed", "OMS", "middle")


def test_a_taken_code_is_refused_alike_on_the_page_and_in_the_api(client, director, school):
    client.force_login(director)
    response = client.post("/schools/", {**FIELDS, "code": school.code.lower()})
    assert response.status_code == 200
    assert "Another school already uses this code." in response.content.decode()
    api = api_as(director).post("/api/schools/", {**FIELDS, "code": school.code.lower()}, format="json")
    assert api.status_code == 400 and api.json()["code"] == ["Another school already uses this code."]
    assert School.objects.filter(code__iexact=school.code).count() == 1


def test_bad_level_is_a_form_error_not_a_500(client, director):
    client.force_login(director)
    response = client.post("/schools/", {**FIELDS, "level": "college"})
    assert response.status_code == 200 and not School.objects.filter(code="OMS").exists()


def test_the_api_refuses_a_deactivated_campus_contact_like_the_people_page(director, school):
    leaver = factories.UserFactory(is_active=False)
    response = api_as(director).patch(f"/api/schools/{school.pk}/", {"campus_contact": leaver.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["campus_contact"] == ["A deactivated person cannot be a campus contact."]
