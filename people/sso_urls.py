"""Single sign-on URLs under `accounts/`: each provider's login and callback, nothing else.

allauth's own account pages (sign-up, password, email management) are left out on
purpose: accounts come from single sign-on or the roster, passwords from Django.
A provider the environment did not switch on answers 404 (allauth would fail with 500).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import requests
from allauth.socialaccount import views as socialaccount_views
from allauth.socialaccount.providers.google import views as google_views
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from people import sso_views, views

View = Callable[..., HttpResponse]


def configured(provider: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            apps = settings.SOCIALACCOUNT_PROVIDERS.get(provider, {}).get("APPS", [])
            if not apps or ("provider_id" in kwargs and kwargs["provider_id"] not in {a["provider_id"] for a in apps}):
                raise Http404
            try:
                return view(request, *args, **kwargs)
            except requests.RequestException:
                # The provider (or its discovery document) did not answer: say so, not 500.
                message = _("The sign-in service is not answering. Try again in a few minutes.")
                return render(request, "people/sign_in_refused.html", {"message": message}, status=502)

        return wrapper

    return decorate


google = configured("google")
microsoft = configured("microsoft")
oidc = configured("openid_connect")

urlpatterns = [
    path("google/login/", google(google_views.oauth2_login), name="google_login"),
    path("google/login/callback/", google(google_views.oauth2_callback), name="google_callback"),
    path("google/login/token/", google(google_views.login_by_token), name="google_login_by_token"),
    path("microsoft/login/", microsoft(sso_views.microsoft_login), name="microsoft_login"),
    path("microsoft/login/callback/", microsoft(sso_views.microsoft_callback), name="microsoft_callback"),
    path("oidc/<str:provider_id>/login/", oidc(oidc_views.login), name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", oidc(oidc_views.callback), name="openid_connect_callback"),
    path("3rdparty/login/cancelled/", socialaccount_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("3rdparty/login/error/", socialaccount_views.login_error, name="socialaccount_login_error"),
    path("3rdparty/signup/", socialaccount_views.signup, name="socialaccount_signup"),
    path("inactive/", views.account_inactive, name="account_inactive"),
    path("welcome/school/", views.choose_school, name="choose-school"),
]
