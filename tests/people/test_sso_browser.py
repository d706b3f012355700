"""The single sign-on round trip in a real browser, through a real OpenID Connect provider.

The provider is the npm package oidc-provider (tests/people/oidc/), started on
127.0.0.1 by this test (`npm ci` there first when node_modules is missing). Skipped
without Chromium, Node.js or the package.
"""

import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from people import sso
from tests import factories

pytestmark = pytest.mark.browser

OIDC_DIR = Path(__file__).parent / "oidc"
CLIENT_ID = "helpdesk-test"
CLIENT_SECRET = "helpdesk-test-secret"  # a test provider's secret, valid only on 127.0.0.1


@pytest.fixture(autouse=True)
def _transactional(transactional_db) -> None:
    """The live server runs in another thread: the test's rows must be committed."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oidc_provider(live_server) -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("the single sign-on browser test needs Node.js")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("the single sign-on browser test needs npm to install oidc-provider")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, check=True, capture_output=True)
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": f"{live_server.url}/accounts/oidc/oidc/login/callback/",
    }
    process = subprocess.Popen(
        [node, "server.js"], cwd=OIDC_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("ready"), line
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def district_sso(settings, oidc_provider) -> str:
    """The OIDC button switched on, as the SSO_OIDC_* variables would, for district.example only."""
    settings.SOCIALACCOUNT_PROVIDERS = sso.providers_from_env(
        {
            "SSO_OIDC_NAME": "District Login",
            "SSO_OIDC_ISSUER": oidc_provider,
            "SSO_OIDC_CLIENT_ID": CLIENT_ID,
            "SSO_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "SSO_OIDC_DOMAINS": "district.example",
        }
    )
    policy = {**settings.CONTENT_SECURITY_POLICY}
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [*directives["form-action"], *sso.provider_origins(settings.SOCIALACCOUNT_PROVIDERS)]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return oidc_provider


def sign_in_at_provider(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with District Login").click()
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent screen


def test_teacher_signs_in_through_the_provider_and_lands_on_their_start_page(district_sso, new_phone_page):
    from playwright.sync_api import expect

    school = factories.SchoolFactory(name="Lincoln Elementary")
    teacher = factories.UserFactory(
        username="ana", email="Ana.Teacher@district.example", first_name="Ana", profile__school=school
    )
    page = new_phone_page()
    sign_in_at_provider(page, "ana.teacher@district.example")
    expect(page.get_by_role("heading", name="My requests")).to_be_visible()
    assert re.fullmatch(r"http://[^/]+/", page.url)
    # Matched to the existing teacher by verified email, not a second account.
    assert type(teacher).objects.filter(email__iexact="ana.teacher@district.example").count() == 1
    assert teacher.socialaccount_set.get().provider == "oidc"


def test_a_new_person_becomes_a_requester_and_is_asked_for_their_school_once(district_sso, new_phone_page):
    from playwright.sync_api import expect

    factories.SchoolFactory(name="Jefferson Middle")
    page = new_phone_page()
    sign_in_at_provider(page, "new.hire@district.example")
    expect(page.get_by_role("heading", name="Where do you work?")).to_be_visible()
    page.get_by_label("Your school").select_option(label="Jefferson Middle")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="My requests")).to_be_visible()
    person = factories.User.objects.get(email="new.hire@district.example")
    assert person.profile.school.name == "Jefferson Middle" and not person.groups.exists()


def test_an_email_outside_the_district_domains_is_refused(district_sso, new_phone_page):
    from playwright.sync_api import expect

    page = new_phone_page()
    sign_in_at_provider(page, "eve@outside.example")
    expect(page.get_by_role("heading", name="We could not sign you in")).to_be_visible()
    expect(page.locator("#sign-in-refused")).to_contain_text("eve@outside.example is not a school district account")
    assert not factories.User.objects.filter(email="eve@outside.example").exists()
    page.goto("/tickets/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
