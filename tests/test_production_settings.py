"""Production settings as a district gets them from .env.example (helpdesk/settings.py)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETTINGS_PREFIXES = ("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "DEBUG", "SECRET_KEY", "BEHIND_", "LOG_", "SITE_URL")


def env_example() -> dict[str, str]:
    values = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def run_python(
    args: list[str], tmp_path: Path, overrides: dict[str, str], *, from_example: bool = True
) -> subprocess.CompletedProcess:
    """Run Python in the repository with .env.example's values (or none), then `overrides`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(SETTINGS_PREFIXES)}
    if from_example:
        env.update(env_example())
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    env.update(overrides)
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


REAL_SECRETS = {"SECRET_KEY": "k7Vq2-" + "Zr8mWp3xLc9Tn4Hb6Yd1Fs5Gj0Ke" * 2, "POSTGRES_PASSWORD": "a-real-password-31"}


def test_env_example_placeholders_refuse_to_start(tmp_path):
    result = run_python(["manage.py", "check"], tmp_path, {})
    assert result.returncode != 0
    assert "Replace the change-me placeholder in SECRET_KEY, POSTGRES_PASSWORD" in result.stderr


def test_check_deploy_is_clean_with_env_example_and_real_secrets(tmp_path):
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, REAL_SECRETS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SHOW = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'helpdesk.settings'; django.setup();"
    "from django.conf import settings as s;"
    "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
    " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.HELPDESK_TRUST_X_FORWARDED_FOR,"
    " s.STORAGES['staticfiles']['BACKEND'], s.PASSWORD_HASHERS[0]]))"
)


def test_https_site_without_debug_turns_every_transport_setting_on(tmp_path):
    result = run_python(["-c", SHOW], tmp_path, {**REAL_SECRETS, "WHITENOISE_USE_FINDERS": "false"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        ["HTTP_X_FORWARDED_PROTO", "https"],
        True,
        True,
        True,
        31536000,
        True,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


def test_the_demo_trusts_no_proxy_header_and_serves_plain_static_files(tmp_path):
    result = run_python(["-c", SHOW], tmp_path, {}, from_example=False)
    assert result.returncode == 0, result.stderr
    proxy, session_secure, csrf_secure, redirect, hsts, forwarded, storage, _ = json.loads(result.stdout)
    assert (proxy, session_secure, csrf_secure, redirect, hsts, forwarded) == (None, False, False, False, 0, False)
    assert storage == "django.contrib.staticfiles.storage.StaticFilesStorage"


LOG = (
    "import django, logging, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'helpdesk.settings'; django.setup();"
    "logging.getLogger('helpdesk.check').warning('disk %s full', 'nearly')"
)


def test_log_lines_carry_time_level_and_logger(tmp_path):
    result = run_python(["-c", LOG], tmp_path, REAL_SECRETS)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING helpdesk\.check disk nearly full\n", result.stderr
    ), result.stderr


def test_json_log_lines_on_request(tmp_path):
    result = run_python(["-c", LOG], tmp_path, {**REAL_SECRETS, "LOG_FORMAT": "json"})
    line = json.loads(result.stderr)
    assert line["level"] == "WARNING" and line["logger"] == "helpdesk.check" and line["message"] == "disk nearly full"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", line["time"])


SENTRY = (
    "import django, os, sentry_sdk; os.environ['DJANGO_SETTINGS_MODULE'] = 'helpdesk.settings'; django.setup();"
    "client = sentry_sdk.get_client(); print(client.is_active(), client.dsn, client.options['send_default_pii'])"
)


def test_errors_go_to_sentry_only_when_a_dsn_is_set(tmp_path):
    dsn = "https://public@sentry.district.example/4"
    with_dsn = run_python(["-c", SENTRY], tmp_path, {**REAL_SECRETS, "SENTRY_DSN": dsn})
    assert with_dsn.stdout.split() == ["True", dsn, "False"], with_dsn.stderr
    without = run_python(["-c", SENTRY], tmp_path, REAL_SECRETS)
    assert without.stdout.split()[0] == "False", without.stderr


def test_postgresql_connections_run_without_jit(db):
    """A page's query is compiled by no JIT: at millions of tickets it cost most of a queue page."""
    from django.db import connection

    if connection.vendor != "postgresql":
        import pytest

        pytest.skip("JIT is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_options_in_the_database_url_are_kept_beside_jit_off(tmp_path):
    script = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    result = run_python(
        ["-c", f"import django; django.setup(); {script}"],
        tmp_path,
        {
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/d?options=-c%20statement_timeout%3D5000",
            "SECRET_KEY": REAL_SECRETS["SECRET_KEY"],
        },
        from_example=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c statement_timeout=5000 -c jit=off"
