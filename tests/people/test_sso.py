"""Single sign-on: the providers the environment switches on, and the district's checks."""

import pytest

from people import sso

pytestmark = pytest.mark.django_db

TENANT = "0b4c5b3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d"
GOOGLE_ENV = {
    "SSO_GOOGLE_CLIENT_ID": "g-id",
    "SSO_GOOGLE_CLIENT_SECRET": "g-secret",
    "SSO_GOOGLE_DOMAINS": "district.org, staff.district.org",
}
MICROSOFT_ENV = {
    "SSO_MICROSOFT_CLIENT_ID": "m-id",
    "SSO_MICROSOFT_CLIENT_SECRET": "m-secret",
    "SSO_MICROSOFT_TENANT": TENANT,
}
OIDC_ENV = {
    "SSO_OIDC_NAME": "ClassLink",
    "SSO_OIDC_ISSUER": "https://launchpad.classlink.com/",
    "SSO_OIDC_CLIENT_ID": "o-id",
    "SSO_OIDC_CLIENT_SECRET": "o-secret",
}


# --- the checks --------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "allowed"),
    [
        ({"hd": "district.org", "email": "ana@district.org"}, True),
        ({"hd": "STAFF.district.org", "email": "ana@staff.district.org"}, True),
        ({"email": "ana@gmail.com"}, False),  # a personal account has no hosted domain
        ({"hd": "otherdistrict.org", "email": "ana@otherdistrict.org"}, False),
        # An outside Google account made for a district address is still outside.
        ({"email": "ana@district.org"}, False),
        ({"hd": "evil-district.org", "email": "ana@evil-district.org"}, False),
    ],
)
def test_google_accepts_only_the_district_hosted_domains(claims, allowed):
    assert sso.google_domain_allowed(claims, ["district.org", "staff.district.org"]) is allowed


def test_google_with_no_domains_configured_lets_nobody_in():
    assert not sso.google_domain_allowed({"hd": "district.org"}, [])


@pytest.mark.parametrize(
    ("claims", "allowed"),
    [
        ({"tid": TENANT}, True),
        ({"tid": TENANT.upper()}, True),
        ({"tid": "9188040d-6c67-4c5b-b112-36a304b66dad"}, False),  # personal Microsoft accounts
        ({"tid": "11111111-2222-3333-4444-555555555555"}, False),  # another organisation
        ({}, False),
    ],
)
def test_microsoft_accepts_only_the_district_tenant(claims, allowed):
    assert sso.microsoft_tenant_allowed(claims, TENANT) is allowed


def test_oidc_domains_narrow_only_when_set():
    assert sso.oidc_domain_allowed("a@anything.org", [])
    assert sso.oidc_domain_allowed("a@District.org", ["district.org"])
    assert not sso.oidc_domain_allowed("a@elsewhere.org", ["district.org"])


# --- configuration from the environment ---------------------------------------


def test_nothing_is_on_without_variables():
    assert sso.providers_from_env({}) == {}


def test_each_provider_is_switched_on_by_its_variables():
    providers = sso.providers_from_env({**GOOGLE_ENV, **MICROSOFT_ENV, **OIDC_ENV})
    google = providers["google"]
    assert google["APPS"][0]["settings"]["allowed_domains"] == ["district.org", "staff.district.org"]
    assert google["OAUTH_PKCE_ENABLED"] and "email" in google["SCOPE"]
    assert providers["microsoft"]["APPS"][0]["settings"]["tenant"] == TENANT
    assert providers["microsoft"]["OAUTH_PKCE_ENABLED"] and "openid" in providers["microsoft"]["SCOPE"]
    oidc = providers["openid_connect"]["APPS"][0]
    assert (oidc["name"], oidc["settings"]["server_url"]) == ("ClassLink", "https://launchpad.classlink.com")
    assert oidc["settings"]["oauth_pkce_enabled"]
    assert sso.provider_origins(providers) == [
        "https://accounts.google.com",
        "https://login.microsoftonline.com",
        "https://launchpad.classlink.com",
    ]


def test_one_google_domain_is_passed_as_the_hd_hint():
    providers = sso.providers_from_env({**GOOGLE_ENV, "SSO_GOOGLE_DOMAINS": "district.org"})
    assert providers["google"]["AUTH_PARAMS"] == {"hd": "district.org"}


# --- the sign-in page ---------------------------------------------------------


def test_login_page_has_no_buttons_without_providers(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get("/accounts/login/").content.decode()
    assert 'id="sso-buttons"' not in page and 'name="password"' in page


def test_login_page_shows_one_button_per_provider_and_the_password_form(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso.providers_from_env({**GOOGLE_ENV, **MICROSOFT_ENV, **OIDC_ENV})
    page = client.get("/accounts/login/").content.decode()
    for name in ("Google", "Microsoft", "ClassLink"):
        assert f"Sign in with {name}" in page
    assert 'action="/accounts/google/login/?process=login' in page
    assert 'action="/accounts/microsoft/login/?process=login' in page
    assert 'action="/accounts/oidc/oidc/login/?process=login' in page
    assert 'name="password"' in page


def test_sso_only_hides_the_password_form_but_local_keeps_it(client, settings, teacher):
    settings.SOCIALACCOUNT_PROVIDERS = sso.providers_from_env(GOOGLE_ENV)
    settings.SSO_ONLY = True
    assert 'name="password"' not in client.get("/accounts/login/").content.decode()
    page = client.get("/accounts/login/?local=1").content.decode()
    assert 'name="password"' in page and 'action="/accounts/login/?local=1"' in page
    response = client.post(
        "/accounts/login/?local=1", {"username": teacher.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


def test_the_button_redirects_to_google_with_state_and_pkce(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso.providers_from_env({**GOOGLE_ENV, "SSO_GOOGLE_DOMAINS": "district.org"})
    response = client.post("/accounts/google/login/?process=login")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    for part in ("state=", "code_challenge=", "code_challenge_method=S256", "hd=district.org", "client_id=g-id"):
        assert part in location


def test_the_microsoft_button_goes_to_the_district_tenant(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso.providers_from_env(MICROSOFT_ENV)
    response = client.post("/accounts/microsoft/login/?process=login")
    assert response["Location"].startswith(f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize?")
    assert "code_challenge=" in response["Location"] and "state=" in response["Location"]


def test_a_get_on_the_provider_url_starts_nothing(client, settings):
    """Sign-in starts only from the page's POST form (with its CSRF token), never from a link."""
    settings.SOCIALACCOUNT_PROVIDERS = sso.providers_from_env(GOOGLE_ENV)
    response = client.get("/accounts/google/login/")
    assert response.status_code == 200 and "accounts.google.com" not in response.get("Location", "")


def test_allauth_self_service_signup_is_not_exposed(client):
    assert client.get("/accounts/signup/").status_code == 404
    assert client.get("/accounts/email/").status_code == 404


def test_the_refusal_is_in_plain_spanish_for_a_spanish_browser(client):
    page = client.get("/accounts/inactive/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "No pudimos iniciar su sesión" in page
    assert "Su cuenta está desactivada" in page


def test_the_domain_refusal_names_the_address_in_both_languages(rf):
    from django.utils import translation

    from people.adapters import SocialAccountAdapter

    with translation.override("en"):
        message = SocialAccountAdapter._domain_message(["eve@outside.example"])
    assert message.startswith("eve@outside.example is not a school district account")
    with translation.override("es"):
        message = SocialAccountAdapter._domain_message(["eve@outside.example"])
    assert message.startswith("eve@outside.example no es una cuenta del distrito escolar")


@pytest.mark.parametrize(
    "path",
    ["/accounts/google/login/", "/accounts/google/login/callback/", "/accounts/google/login/token/",
     "/accounts/microsoft/login/", "/accounts/microsoft/login/callback/",
     "/accounts/oidc/oidc/login/", "/accounts/oidc/oidc/login/callback/"],
)  # fmt: skip
def test_a_provider_that_is_not_switched_on_answers_404(client, settings, path):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


def test_an_unknown_oidc_provider_id_answers_404(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = sso.providers_from_env(OIDC_ENV)
    assert client.post("/accounts/oidc/other/login/").status_code == 404


def test_a_provider_that_does_not_answer_gets_a_message_not_an_error(client, settings):
    # Port 9 (discard) on 127.0.0.1: nothing listens, the connection is refused at once.
    settings.SOCIALACCOUNT_PROVIDERS = sso.providers_from_env({**OIDC_ENV, "SSO_OIDC_ISSUER": "http://127.0.0.1:9"})
    response = client.post("/accounts/oidc/oidc/login/")
    assert response.status_code == 502
    assert "The sign-in service is not answering" in response.content.decode()
