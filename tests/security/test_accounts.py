"""Sign-in and accounts: lockout after repeated failures, same words for unknown users and wrong
passwords, a new session at sign-in, throttled password resets whose links ignore the Host header,
a strict Content-Security-Policy, and a production configuration that `check --deploy` accepts."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from schools.auth_backends import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _error_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="username"[^>]*', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_unknown_user_and_wrong_password_get_identical_pages(client, teacher):
    unknown = _login(client, "nobody-here", "whatever")
    wrong = _login(client, teacher.username, "wrong-password")
    assert unknown.status_code == wrong.status_code == 200
    assert "did not match" in unknown.content.decode()
    # The only difference may be the echoed username.
    assert _error_text(unknown) == _error_text(wrong)


def test_ten_failures_lock_the_username_from_that_address_for_fifteen_minutes(client, teacher):
    for _ in range(9):
        assert _login(client, teacher.username, "wrong").status_code == 200
    # The tenth failure locks; from then even the right password is refused.
    assert _login(client, teacher.username, "wrong").status_code == 429
    locked = _login(client, teacher.username, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15 minutes" in locked.content.decode()
    # Another address, or another username from this address, is not locked.
    assert _login(client, teacher.username, PASSWORD, ip="10.0.0.2").status_code == 302


def test_lockout_looks_the_same_for_unknown_users(client, teacher):
    for _ in range(10):
        _login(client, "no-such-user", "wrong")
    for _ in range(10):
        _login(client, teacher.username, "wrong", ip="10.0.0.9")
    unknown = _login(client, "no-such-user", "wrong")
    known = _login(client, teacher.username, "wrong", ip="10.0.0.9")
    assert unknown.status_code == known.status_code == 429
    assert _error_text(unknown) == _error_text(known)


def test_lockout_settings_are_ten_failures_fifteen_minutes_by_username_and_address():
    assert django_settings.AXES_FAILURE_LIMIT == 10
    assert django_settings.AXES_COOLOFF_TIME * 60 == 15
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_a_success_resets_the_failure_count(client, teacher):
    for _ in range(9):
        _login(client, teacher.username, "wrong")
    assert _login(client, teacher.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(9):
        assert _login(client, teacher.username, "wrong").status_code == 200


def test_api_token_endpoint_counts_failures_too(api, teacher):
    for _ in range(10):
        response = api.post(
            "/api/auth/token/", {"username": teacher.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.3"
        )
        assert response.status_code in (400, 429)
    refused = api.post("/api/auth/token/", {"username": teacher.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.3")
    assert "token" not in refused.content.decode()


def test_behind_the_proxy_the_client_address_is_the_hop_the_proxy_added(rf, settings):
    settings.HELPDESK_TRUST_X_FORWARDED_FOR = True
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.254")
    assert client_ip(request) == "203.0.113.7"
    settings.HELPDESK_TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.254"


def test_signing_in_rotates_the_session_key(client, teacher):
    client.get(reverse("login"))
    client.session["before"] = True
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    assert _login(client, teacher.username, PASSWORD).status_code == 302
    after = client.session.session_key
    assert after and after != before
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value == after


def test_signing_out_is_post_only_and_ends_the_session(client, teacher):
    _login(client, teacher.username, PASSWORD)
    key = client.session.session_key
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


# --- password reset ----------------------------------------------------------------------


def test_password_reset_email_links_come_from_site_url_not_the_host_header(
    client, teacher, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        response = client.post(reverse("password_reset"), {"email": teacher.email}, HTTP_HOST="evil.example")
    assert response.status_code == 302
    [message] = mail.outbox
    assert "evil.example" not in message.body
    link = re.search(r"https://helpdesk\.district\.example(/accounts/password-reset/\S+/)", message.body)
    assert link, message.body
    # The link works: it sets a new password.
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": "Another-long-pass-42", "new_password2": "Another-long-pass-42"}
    )
    assert done.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("Another-long-pass-42")


def test_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@district.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_resets_for_one_address_are_throttled_silently(client, teacher, settings, django_capture_on_commit_callbacks):
    settings.HELPDESK_PASSWORD_RESET_EVERY_SECONDS = 300
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": teacher.email.upper()})
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1  # one per address per five minutes (test_password_reset.py)


def test_resets_from_one_address_are_throttled_with_429(client, settings):
    settings.HELPDESK_PASSWORD_RESET_PER_IP_PER_HOUR = 2
    codes = [
        client.post(reverse("password_reset"), {"email": f"n{n}@district.example"}, REMOTE_ADDR="10.1.1.1").status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 429, 429]
    assert (
        client.post(reverse("password_reset"), {"email": "x@district.example"}, REMOTE_ADDR="10.1.1.2").status_code
        == 302
    )


def test_reset_link_with_a_bad_token_says_so(client, teacher):
    response = client.get("/accounts/password-reset/MQ/bad-token/", follow=True)
    assert response.status_code == 200
    assert "expired or was already used" in response.content.decode()


# --- Content-Security-Policy and headers -------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/support/", "/tickets/"])
def test_pages_carry_a_strict_csp(path, client, teacher):
    client.force_login(teacher)
    policy = client.get(path, follow=True)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_page_template_has_inline_script_handlers_or_styles():
    offenders = []
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style", re.I
    )
    for path in (REPO / "templates").rglob("*.html"):
        # Emails are not pages: mail clients need inline styles and never run script.
        if "email" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if inline.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{number}")
    assert offenders == []


def test_session_and_csrf_cookies_are_http_only_where_it_matters():
    assert django_settings.SESSION_COOKIE_HTTPONLY is True
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.SECURE_CONTENT_TYPE_NOSNIFF is True
    assert django_settings.X_FRAME_OPTIONS == "DENY"


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "-production-key-with-enough-entropy-" + "y" * 20,
    "REQUIRE_SECRET_KEY": "true",
    "ALLOWED_HOSTS": "helpdesk.district.example",
    "CSRF_TRUSTED_ORIGINS": "https://helpdesk.district.example",
    "SITE_URL": "https://helpdesk.district.example",
    "BEHIND_TLS_PROXY": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "DEBUG", "SECRET_KEY"))
    }
    env.update(PRODUCTION_ENV)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update({**PRODUCTION_ENV, "SECRET_KEY": "", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
