"""Single sign-on URLs under `accounts/`: each provider's login and callback, nothing else.

allauth's own account pages (sign-up, password, email management) are left out on
purpose: accounts come from single sign-on or the roster, passwords from Django.
"""

from allauth.socialaccount import views as socialaccount_views
from allauth.socialaccount.providers.google.urls import urlpatterns as google_urls
from allauth.socialaccount.providers.openid_connect.urls import urlpatterns as oidc_urls
from django.urls import path

from people import sso_views, views

urlpatterns = [
    *google_urls,
    path("microsoft/login/", sso_views.microsoft_login, name="microsoft_login"),
    path("microsoft/login/callback/", sso_views.microsoft_callback, name="microsoft_callback"),
    *oidc_urls,
    path("3rdparty/login/cancelled/", socialaccount_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("3rdparty/login/error/", socialaccount_views.login_error, name="socialaccount_login_error"),
    path("3rdparty/signup/", socialaccount_views.signup, name="socialaccount_signup"),
    path("inactive/", views.account_inactive, name="account_inactive"),
    path("welcome/school/", views.choose_school, name="choose-school"),
]
