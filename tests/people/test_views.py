"""The director's pages `/people/` and `/people/<id>/`, for each role, and equal to the API."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from people.selectors import Role, role_of
from schools.models import School
from tests import factories
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def _page_as(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["teacher", "technician"])
@pytest.mark.parametrize("path", ["/people/", "/people/{pk}/", "/people/{pk}/active/"])
def test_people_pages_answer_404_to_non_directors(client, request, who, path, teacher):
    _page_as(client, request.getfixturevalue(who))
    assert client.get(path.format(pk=teacher.pk)).status_code == 404
    assert client.post(path.format(pk=teacher.pk)).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "technician"])
def test_non_director_cannot_name_a_campus_contact(client, request, who, teacher, school):
    _page_as(client, request.getfixturevalue(who))
    response = client.post(f"/people/{teacher.pk}/campus-contact/", {"school": school.pk})
    assert response.status_code == 404
    school.refresh_from_db()
    assert school.campus_contact is None


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_director_lists_and_filters_people(client, director, teacher, technician, school):
    _page_as(client, director)
    page = client.get("/people/").content.decode()
    for person in (director, teacher, technician):
        assert f'href="/people/{person.pk}/"' in page
    page = client.get("/people/?role=technician").content.decode()
    assert f'href="/people/{technician.pk}/"' in page and f'href="/people/{teacher.pk}/"' not in page
    page = client.get(f"/people/?school={school.pk}").content.decode()
    assert f'href="/people/{teacher.pk}/"' in page and f'href="/people/{technician.pk}/"' not in page
    page = client.get(f"/people/?search={teacher.username}").content.decode()
    assert f'href="/people/{teacher.pk}/"' in page and f'href="/people/{director.pk}/"' not in page
    assert "No one matches." in client.get("/people/?is_active=false").content.decode()


def test_bad_filters_are_ignored_not_a_500(client, director):
    _page_as(client, director)
    response = client.get("/people/?school=nope&role=king&is_active=maybe&page=x")
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_list_pages_by_fifty(client, director):
    for _ in range(55):
        factories.UserFactory()
    _page_as(client, director)
    first = client.get("/people/").content.decode()
    assert first.count('data-testid="person-row"') == 50 and "Page 1 of 2" in first
    assert client.get("/people/?page=2").content.decode().count('data-testid="person-row"') == 6


def _api_row(director, person):
    return api_as(director).get(f"/api/people/{person.pk}/").json()


def test_saving_the_page_equals_the_same_patch_through_the_api(client, director, school):
    other_school = factories.SchoolFactory()
    by_page, by_api = factories.UserFactory(), factories.UserFactory()
    changes = {"first_name": "Ada", "last_name": "Byron", "role": "technician", "school": other_school.pk}
    _page_as(client, director)
    response = client.post(f"/people/{by_page.pk}/", {**changes, "email": f"{by_page.username}@x.org"})
    assert response.status_code == 302
    api_changes = {**changes, "email": f"{by_api.username}@x.org"}
    assert api_as(director).patch(f"/api/people/{by_api.pk}/", api_changes, format="json").status_code == 200
    page_row, api_row = _api_row(director, by_page), _api_row(director, by_api)
    for row in (page_row, api_row):
        row.pop("id"), row.pop("username"), row.pop("email")
    assert page_row == api_row == {**changes, "is_active": True}


def test_a_service_rule_shows_on_the_form_not_a_500(client, director, teacher):
    teacher.email = "taken@example.org"
    teacher.save()
    other = factories.UserFactory()
    _page_as(client, director)
    response = client.post(f"/people/{other.pk}/", {"email": "TAKEN@example.org", "role": "requester"})
    assert response.status_code == 200
    assert "Another person already has this email address." in response.content.decode()
    response = client.post(f"/people/{director.pk}/", {"role": "requester"})
    assert response.status_code == 200
    assert "You cannot take away your own director role." in response.content.decode()
    assert role_of(User.objects.get(pk=director.pk)) == Role.DIRECTOR


def test_deactivation_asks_first_then_ends_sign_in_like_the_api(client, director, teacher):
    token = Token.objects.create(user=teacher)
    _page_as(client, director)
    confirm = client.get(f"/people/{teacher.pk}/active/")
    assert confirm.status_code == 200 and "Yes, deactivate" in confirm.content.decode()
    assert User.objects.get(pk=teacher.pk).is_active  # asking changed nothing
    assert client.post(f"/people/{teacher.pk}/active/").status_code == 302
    assert _api_row(director, teacher)["is_active"] is False
    assert not Token.objects.filter(pk=token.pk).exists()
    assert "Yes, reactivate" in client.get(f"/people/{teacher.pk}/active/").content.decode()
    client.post(f"/people/{teacher.pk}/active/")
    assert _api_row(director, teacher)["is_active"] is True


def test_director_cannot_deactivate_themselves_through_the_page(client, director):
    _page_as(client, director)
    response = client.post(f"/people/{director.pk}/active/", follow=True)
    assert "You cannot deactivate yourself." in response.content.decode()
    assert User.objects.get(pk=director.pk).is_active


def test_campus_contact_is_named_and_cleared(client, director, teacher, school):
    _page_as(client, director)
    client.post(f"/people/{teacher.pk}/campus-contact/", {"school": school.pk})
    assert School.objects.get(pk=school.pk).campus_contact == teacher
    assert school.name in client.get(f"/people/{teacher.pk}/").content.decode()
    client.post(f"/people/{teacher.pk}/campus-contact/", {"clear": school.pk})
    assert School.objects.get(pk=school.pk).campus_contact is None


def test_a_deactivated_person_cannot_become_campus_contact(client, director, teacher, school):
    teacher.is_active = False
    teacher.save()
    _page_as(client, director)
    response = client.post(f"/people/{teacher.pk}/campus-contact/", {"school": school.pk}, follow=True)
    assert "A deactivated person cannot be a campus contact." in response.content.decode()
    assert School.objects.get(pk=school.pk).campus_contact is None


def test_menu_shows_people_to_directors_only(client, director, technician):
    _page_as(client, director)
    assert 'href="/people/"' in client.get("/support/").content.decode()
    _page_as(client, technician)
    assert 'href="/people/"' not in client.get("/support/").content.decode()


def test_list_costs_the_same_queries_for_few_and_many_people(client, director):
    _page_as(client, director)
    client.get("/people/")  # warm the session and the menu's lookups
    with CaptureQueriesContext(connection) as few:
        client.get("/people/")
    for _ in range(30):
        factories.UserFactory(profile__school=factories.SchoolFactory())
    with CaptureQueriesContext(connection) as many:
        client.get("/people/")
    assert len(many) == len(few)
