"""The smoke run (bin/smoke) itself: it must catch errors and surprises, and skip only unbuilt paths.

This module doubles as a URLconf (`urlpatterns` below) with a few views that
misbehave on purpose, installed through settings.ROOT_URLCONF.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import HttpRequest, HttpResponse
from django.urls import path

from demo.seed import seed_district
from demo.smoke import ADMIN_LOGIN, ANONYMOUS, DENIED, DIRECTOR, HIDDEN, OK, TEACHER, TECHNICIAN, run_smoke
from helpdesk.urls import urlpatterns as project_urlpatterns


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken page")


def _fine(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fine")


def _teapot(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=503)


urlpatterns = [
    path("boom/", _boom),
    path("fine/", _fine),
    path("unavailable/", _teapot),
    *project_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at")]
EVERYONE_OK = {ANONYMOUS: OK, TEACHER: OK, TECHNICIAN: OK, DIRECTOR: OK}


@pytest.fixture
def district():
    seed_district(schools=3, tickets=80, seed=1)


@pytest.fixture
def misbehaving_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_paths_missing_from_the_urlconf_are_skipped_as_not_built(district):
    report = run_smoke({"/no-such-page/": EVERYONE_OK, "/api/schema/": EVERYONE_OK})
    assert report.ok
    assert report.not_built == {"/no-such-page/"}
    assert report.passed == 4


def test_existing_pages_pass_for_every_role(district):
    report = run_smoke({"/api/schema/": EVERYONE_OK, "/admin/": dict.fromkeys(EVERYONE_OK, ADMIN_LOGIN)})
    assert report.ok, report.failures
    assert report.passed == 8


def test_a_view_that_raises_fails_the_run(district, misbehaving_urls):
    report = run_smoke({"/boom/": {TEACHER: OK}})
    assert not report.ok
    assert "raised" in report.failures[0] and "broken page" in report.failures[0]


def test_a_server_error_status_fails_even_where_refusal_was_expected(district, misbehaving_urls):
    report = run_smoke({"/unavailable/": {TEACHER: DENIED}})
    assert report.failures == ["teacher GET /unavailable/: 503"]


def test_an_unexpected_status_fails_the_run(district, misbehaving_urls):
    report = run_smoke({"/fine/": {TEACHER: HIDDEN}})
    assert report.failures == ["teacher GET /fine/: expected hidden, got 200"]


def test_a_demo_user_who_cannot_sign_in_fails_the_run(district):
    technician = User.objects.get(username="tech")
    technician.set_password("changed-by-someone")
    technician.save()
    report = run_smoke({"/api/schema/": EVERYONE_OK})
    assert any("cannot sign in as tech" in failure for failure in report.failures)


def test_smoke_command_without_a_seeded_district_says_to_seed_first():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("smoke", stdout=StringIO(), stderr=StringIO())
