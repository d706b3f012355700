"""A signed-in request reads the user and their roles in one query (schools.auth_backends.RoleLoadingBackend),
with the same answers `group_names` gives for a user loaded any other way."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import BACKEND_SESSION_KEY, get_user
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from people.adapters import AccountAdapter
from schools.auth_backends import RoleLoadingBackend
from schools.roles import (
    DIRECTOR,
    TECHNICIAN,
    contacts_any_school,
    forget_roles,
    group_names,
    is_director,
    is_staff_member,
)
from tests import factories

pytestmark = pytest.mark.django_db

ROLE_LOADING = "schools.auth_backends.RoleLoadingBackend"
PASSWORD = "correct-horse-battery"  # tests/factories.py


def _people() -> dict[str, User]:
    both = factories.UserFactory()
    both.groups.add(Group.objects.get(name=TECHNICIAN), Group.objects.get(name=DIRECTOR))
    return {
        "requester": factories.UserFactory(),
        "technician": factories.TechnicianFactory(),
        "director": factories.DirectorFactory(),
        "superuser": factories.UserFactory(is_superuser=True),
        "both": both,
    }


@pytest.mark.parametrize(
    ("who", "groups", "staff", "director"),
    [
        ("requester", set(), False, False),
        ("technician", {TECHNICIAN}, True, False),
        ("director", {DIRECTOR}, True, True),
        ("superuser", set(), True, True),
        ("both", {TECHNICIAN, DIRECTOR}, True, True),
    ],
)
def test_the_user_and_their_roles_come_in_one_query(who, groups, staff, director, django_assert_num_queries):
    person = _people()[who]
    with django_assert_num_queries(1):
        user = RoleLoadingBackend().get_user(person.pk)
        assert user is not None
        assert (group_names(user), is_staff_member(user), is_director(user)) == (groups, staff, director)
    # The same answers as for a user loaded any other way (its groups then read by their own query).
    plain = User.objects.get(pk=person.pk)
    assert (group_names(plain), is_staff_member(plain), is_director(plain)) == (groups, staff, director)
    assert user.get_session_auth_hash() == plain.get_session_auth_hash()


def test_an_inactive_or_unknown_user_is_not_loaded(technician):
    technician.is_active = False
    technician.save(update_fields=["is_active"])
    assert RoleLoadingBackend().get_user(technician.pk) is None
    assert RoleLoadingBackend().get_user(technician.pk + 1000) is None


def test_a_role_taken_away_applies_on_the_next_request(client, technician):
    client.force_login(technician)
    assert client.get(reverse("home")).url == reverse("today")
    technician.groups.clear()
    assert client.get(reverse("home")).status_code == 200  # a requester's start page now


def test_password_sign_in_names_the_role_loading_backend(client, teacher):
    response = client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == ROLE_LOADING


def test_single_sign_on_names_the_role_loading_backend(rf, technician):
    request = rf.get("/")
    request.session = SessionStore()
    AccountAdapter().login(request, technician)
    assert request.session[BACKEND_SESSION_KEY] == ROLE_LOADING
    user = get_user(request)
    assert user.pk == technician.pk and is_staff_member(user) and not is_director(user)


def test_a_session_signed_in_before_the_role_loading_backend_stays_signed_in(client, technician):
    client.force_login(technician, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("home")).url == reverse("today")


def test_whether_they_are_a_campus_contact_comes_in_the_same_query(django_assert_num_queries):
    contact, teacher = factories.UserFactory(), factories.UserFactory()
    factories.SchoolFactory(campus_contact=contact)
    for person, expected in ((contact, True), (teacher, False)):
        with django_assert_num_queries(1):
            user = RoleLoadingBackend().get_user(person.pk)
            assert user is not None and contacts_any_school(user) is expected
        # Loaded any other way (an API token), one query reads the roles and the flag together.
        plain = User.objects.get(pk=person.pk)
        with django_assert_num_queries(1):
            assert contacts_any_school(plain) is expected and not is_staff_member(plain)


def test_forgetting_roles_reads_a_new_campus_contact_again(teacher, school):
    assert contacts_any_school(teacher) is False
    school.campus_contact = teacher
    school.save()
    assert contacts_any_school(teacher) is False  # kept for the rest of the request
    forget_roles(teacher)
    assert contacts_any_school(teacher) is True


@pytest.mark.parametrize("who", ["wrong password", "unknown user", "inactive user"])
def test_a_refused_password_is_hashed_once(who, client, teacher, monkeypatch):
    """Django's ModelBackend, still listed for older sessions, does not check the same refused password again."""
    hashes = []
    real_check, real_set = User.check_password, User.set_password
    monkeypatch.setattr(User, "check_password", lambda self, raw: hashes.append(raw) or real_check(self, raw))
    monkeypatch.setattr(User, "set_password", lambda self, raw: hashes.append(raw) or real_set(self, raw))
    password = "not-the-password" if who == "wrong password" else PASSWORD
    username = "nobody-here" if who == "unknown user" else teacher.username
    if who == "inactive user":
        User.objects.filter(pk=teacher.pk).update(is_active=False)
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert hashes == [password]


def test_the_right_password_still_signs_in_and_a_refusal_still_counts_toward_lockout(client, teacher):
    client.post(reverse("login"), {"username": teacher.username, "password": "not-the-password"})
    assert AccessAttempt.objects.get(username=teacher.username).failures_since_start == 1
    assert client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD}).status_code == 302
