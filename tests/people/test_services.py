"""People services: roles, home school, deactivation and the one end-every-session mechanism."""

import pytest
from django.contrib.sessions.backends.db import SessionStore as DbSession
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from people import services
from people.models import SignedInSession
from people.selectors import Role, people_list, role_of
from schools.errors import DomainError, PermissionDenied
from schools.roles import is_director, is_staff_member
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_setting_a_role_moves_the_person_between_the_groups(director, teacher):
    services.update_person(actor=director, person=teacher, changes={"role": "technician"})
    teacher.refresh_from_db()
    assert is_staff_member(teacher) and not is_director(teacher)
    services.update_person(actor=director, person=teacher, changes={"role": "director"})
    teacher = type(teacher).objects.get(pk=teacher.pk)
    assert list(teacher.groups.values_list("name", flat=True)) == ["director"]
    services.update_person(actor=director, person=teacher, changes={"role": "requester"})
    teacher = type(teacher).objects.get(pk=teacher.pk)
    assert role_of(teacher) == Role.REQUESTER and not teacher.groups.exists()


def test_only_a_director_changes_people(technician, teacher):
    with pytest.raises(PermissionDenied):
        services.update_person(actor=technician, person=teacher, changes={"role": "technician"})


def test_unknown_role_and_fields_are_refused_with_the_field_named(director, teacher):
    with pytest.raises(DomainError) as error:
        services.update_person(actor=director, person=teacher, changes={"role": "wizard"})
    assert "role" in error.value.errors
    with pytest.raises(DomainError) as error:
        services.update_person(actor=director, person=teacher, changes={"is_superuser": True})
    assert "is_superuser" in error.value.errors


def test_a_director_cannot_demote_or_deactivate_themselves(director):
    with pytest.raises(DomainError):
        services.update_person(actor=director, person=director, changes={"role": "technician"})
    with pytest.raises(DomainError):
        services.deactivate_person(actor=director, person=director)


def test_email_stays_unique_ignoring_case(director, teacher, other_teacher):
    with pytest.raises(DomainError) as error:
        services.update_person(actor=director, person=teacher, changes={"email": other_teacher.email.upper()})
    assert "email" in error.value.errors


def test_home_school_is_set_on_the_profile(director, teacher):
    school = factories.SchoolFactory()
    services.update_person(actor=director, person=teacher, changes={"school": school})
    teacher.profile.refresh_from_db()
    assert teacher.profile.school == school


def test_deactivation_ends_sessions_and_tokens_at_once_and_keeps_tickets(director, ticket):
    teacher = ticket.requester
    browser_one, browser_two = signed_in_client(teacher), signed_in_client(teacher)
    token = Token.objects.create(user=teacher)
    assert browser_one.get("/tickets/").status_code == 200
    assert SignedInSession.objects.filter(user=teacher).count() == 2

    services.deactivate_person(actor=director, person=teacher)

    for browser in (browser_one, browser_two):
        assert browser.get("/tickets/").status_code == 302  # back to the sign-in page
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/tickets/").status_code in (401, 403)
    assert not Token.objects.filter(user=teacher).exists()
    ticket.refresh_from_db()
    assert ticket.requester_id == teacher.pk


def test_reactivated_person_must_sign_in_again(director, teacher):
    browser = signed_in_client(teacher)
    services.deactivate_person(actor=director, person=teacher)
    services.reactivate_person(actor=director, person=teacher)
    # The old session was deleted, not only refused: reactivation does not revive it.
    assert browser.get("/tickets/").status_code == 302
    assert signed_in_client(teacher).get("/tickets/").status_code == 200


def test_end_sessions_deletes_the_session_rows_and_leaves_others(teacher, other_teacher):
    signed_in_client(teacher)
    other = signed_in_client(other_teacher)
    key = SignedInSession.objects.get(user=teacher).session_key
    assert DbSession().exists(key)
    assert services.end_sessions(user=teacher) == 1
    assert not DbSession().exists(key)
    assert other.get("/tickets/").status_code == 200


def test_end_sessions_works_with_cache_backed_sessions(settings, teacher):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    browser = signed_in_client(teacher)
    assert browser.get("/tickets/").status_code == 200
    services.end_sessions(user=teacher)
    assert browser.get("/tickets/").status_code == 302


def test_create_person_has_no_usable_password_and_gets_the_role(director, school):
    person = services.create_person(
        actor=director, username="ana", email="ana@district.example", role="technician", school=school
    )
    assert not person.has_usable_password()
    assert role_of(people_list().get(pk=person.pk)) == Role.TECHNICIAN
    assert person.profile.school == school


def test_campus_contact_must_be_active(director, school, teacher):
    services.set_campus_contact(actor=director, school=school, person=teacher)
    school.refresh_from_db()
    assert school.campus_contact == teacher
    services.deactivate_person(actor=director, person=teacher)
    teacher.refresh_from_db()
    with pytest.raises(DomainError):  # schools.services.update_school's refusal, the one error family
        services.set_campus_contact(actor=director, school=school, person=teacher)


def test_people_list_filters_by_role_school_active_and_search(director, technician, teacher, school):
    other = factories.UserFactory(first_name="Zed", profile__school=factories.SchoolFactory())
    services.deactivate_person(actor=director, person=other)
    assert set(people_list(role="technician")) == {technician}
    assert set(people_list(role="director")) == {director}
    assert teacher in people_list(school=school.pk)
    assert other not in people_list(school=school.pk)
    assert set(people_list(is_active=False)) == {other}
    assert set(people_list(search=f"zed {other.username}")) == {other}
