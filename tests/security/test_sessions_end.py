"""Issue 15, item 4: a changed or reset password, a deactivation and "Sign out everywhere" end
every session and API token at once; a person revokes their own token, a director anyone's."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from people.services import end_sessions
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _token_client(user) -> tuple[APIClient, str]:
    api = APIClient()
    answer = api.post("/api/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert answer.status_code == 200, answer.content
    key = answer.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api, key


def _browser(user) -> Client:
    browser = Client()
    assert browser.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    assert browser.get("/profile/").status_code == 200
    return browser


def _refused(api: APIClient) -> bool:
    # A token that no longer exists: 403 here, as SessionAuthentication comes first (DRF).
    return api.get("/api/tickets/").status_code in (401, 403) and api.get("/api/tickets/").json()["detail"] == (
        "Invalid token."
    )


def _signed_out(browser: Client) -> bool:
    response = browser.get("/profile/")
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_password_reset_ends_every_session_and_api_token(teacher, django_capture_on_commit_callbacks):
    api, key = _token_client(teacher)
    browser = _browser(teacher)
    assert api.get("/api/tickets/").status_code == 200

    stranger = Client()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        stranger.post(reverse("password_reset"), {"email": teacher.email})
    [message] = mail.outbox
    link = re.search(r"https://helpdesk\.district\.example(/accounts/password-reset/\S+/)", message.body).group(1)
    form = stranger.get(link, follow=True)
    done = stranger.post(
        form.redirect_chain[-1][0], {"new_password1": "Another-long-pass-42", "new_password2": "Another-long-pass-42"}
    )
    assert done.status_code == 302

    assert _refused(api)
    assert not Token.objects.filter(key=key).exists()
    assert _signed_out(browser)


def test_a_password_set_anywhere_else_ends_the_token_and_the_session_rows(teacher, other_teacher):
    api, _key = _token_client(teacher)
    _browser(teacher)
    other_browser = _browser(other_teacher)
    assert Session.objects.count() == 2

    teacher.set_password("Changed-in-the-admin-7")  # the admin and `changepassword` do this
    teacher.save()

    assert _refused(api)
    assert Session.objects.count() == 1  # only the other teacher's
    assert other_browser.get("/profile/").status_code == 200


def test_deactivation_ends_every_session_and_api_token(teacher):
    api, key = _token_client(teacher)
    browser = _browser(teacher)

    teacher.is_active = False
    teacher.save()

    assert not Token.objects.filter(key=key).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(teacher.pk)]
    assert _refused(api)
    assert _signed_out(browser)


def test_saving_other_fields_keeps_the_token(teacher):
    api, key = _token_client(teacher)
    teacher.first_name = "Renamed"
    teacher.save()
    teacher.save(update_fields=["last_login"])
    assert Token.objects.filter(key=key).exists()
    assert api.get("/api/tickets/").status_code == 200


def test_a_person_revokes_their_own_token_with_delete(teacher):
    api, key = _token_client(teacher)
    assert api.delete("/api/auth/token/").status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert _refused(api)
    # Signing in again makes a new token.
    _api, new_key = _token_client(teacher)
    assert new_key != key


def test_deleting_a_token_needs_a_signed_in_caller():
    assert APIClient().delete("/api/auth/token/").status_code == 401


def test_a_director_signs_anyone_out_and_a_teacher_only_themselves(teacher, other_teacher, director):
    teacher_api, _ = _token_client(teacher)
    other_api, other_key = _token_client(other_teacher)
    other_browser = _browser(other_teacher)

    refused = teacher_api.post("/api/auth/sign-out-everywhere/", {"user": other_teacher.pk}, format="json")
    assert refused.status_code == 403
    assert other_api.get("/api/tickets/").status_code == 200
    # A teacher cannot tell from the answer whether an id exists.
    assert teacher_api.post("/api/auth/sign-out-everywhere/", {"user": 987654}, format="json").status_code == 403

    director_api, _ = _token_client(director)
    ended = director_api.post("/api/auth/sign-out-everywhere/", {"user": other_teacher.pk}, format="json")
    assert ended.status_code == 204
    assert not Token.objects.filter(key=other_key).exists()
    assert _refused(other_api)
    assert _signed_out(other_browser)
    assert director_api.get("/api/tickets/").status_code == 200  # the director's own stay

    missing = director_api.post("/api/auth/sign-out-everywhere/", {"user": 987654}, format="json")
    assert missing.status_code == 400 and "user" in missing.json()
    odd = director_api.post("/api/auth/sign-out-everywhere/", {"user": "me"}, format="json")
    assert odd.status_code == 400 and "user" in odd.json()

    assert teacher_api.post("/api/auth/sign-out-everywhere/", {}, format="json").status_code == 204
    assert _refused(teacher_api)


def test_the_profile_button_signs_out_every_browser_and_token(teacher):
    api, _ = _token_client(teacher)
    phone = _browser(teacher)
    laptop = _browser(teacher)
    assert "Sign out everywhere" in laptop.get("/profile/").content.decode()

    response = laptop.post(reverse("sign_out_everywhere"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert _signed_out(laptop)
    assert _signed_out(phone)
    assert _refused(api)


def test_end_sessions_leaves_other_people_alone(teacher, other_teacher):
    _browser(teacher)
    _browser(teacher)
    other = _browser(other_teacher)
    factories.UserFactory()  # someone with no sessions at all

    assert end_sessions(user=teacher) == 2
    assert other.get("/profile/").status_code == 200
    assert Session.objects.count() == 1
