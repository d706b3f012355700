"""The rotations pages (each role, the form, editing and ending) and the coverage page."""

import pytest
from django.utils import timezone

from schools import services
from schools.models import Rotation, Visit
from tests import factories
from tests.schools.views_helpers import logged_in

pytestmark = pytest.mark.django_db


# --- rotations, coverage ---


def test_rotations_page_for_each_role(client, teacher, technician, director, school):
    assert logged_in(client, teacher).get("/rotations/").status_code == 404
    page = logged_in(client, technician).get("/rotations/")
    assert page.status_code == 200 and b"Add a rotation" not in page.content
    client = logged_in(client, director)
    payload = {
        "technician": technician.pk,
        "school": school.pk,
        "weekdays": ["2"],
        "every_n_weeks": "2",
        "start_date": timezone.localdate().isoformat(),
    }
    assert client.post("/rotations/", payload).status_code == 302
    rotation = Rotation.objects.get()
    assert rotation.weekdays == [2] and rotation.every_n_weeks == 2
    assert b"Tuesdays every 2 weeks" in client.get("/rotations/").content


def test_rotation_form_errors_are_shown_not_500(client, director, technician, school):
    client = logged_in(client, director)
    response = client.post(
        "/rotations/",
        {"technician": technician.pk, "school": school.pk, "weekdays": [], "every_n_weeks": "0", "start_date": "x"},
    )
    assert response.status_code == 200 and not Rotation.objects.exists()


def test_technician_cannot_post_rotations(client, technician, school):
    response = logged_in(client, technician).post("/rotations/", {"technician": technician.pk})
    assert response.status_code == 404


def test_edit_and_end_a_rotation(client, director, technician, school):
    rotation = services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[2], start_date=timezone.localdate()
    )
    client = logged_in(client, director)
    payload = {
        "technician": technician.pk,
        "school": school.pk,
        "weekdays": ["5"],
        "every_n_weeks": "1",
        "start_date": rotation.start_date.isoformat(),
    }
    assert client.post(f"/rotations/{rotation.pk}/edit/", payload).status_code == 302
    future = Visit.objects.filter(school=school, date__gt=timezone.localdate())
    assert {v.date.isoweekday() for v in future} == {5}
    assert client.post(f"/rotations/{rotation.pk}/delete/").status_code == 302
    assert not Rotation.objects.exists()


def test_coverage_flags_schools_without_visits_in_words(
    client, director, technician, school, django_assert_num_queries
):
    factories.SchoolFactory(name="Forgotten Elementary")
    services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[1, 3], start_date=timezone.localdate()
    )
    client = logged_in(client, director)
    client.get("/rotations/coverage/")
    with django_assert_num_queries(4):  # 1 session, 2 user with their groups, 3 schools, 4 visits with technicians
        page = client.get("/rotations/coverage/").content.decode()
    assert "Forgotten Elementary" in page and "No visit planned" in page
    assert "1 school has no visit planned" in page
