from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from helpdesk.api import ObtainToken, SignOutEverywhere
from helpdesk.api_urls import router
from helpdesk.health import health
from people.views import LoginView, sign_out_everywhere

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/login/", LoginView.as_view(), name="account_login"),  # the name allauth links to
    path("accounts/", include("people.sso_urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/sign-out-everywhere/", sign_out_everywhere, name="sign_out_everywhere"),
    path("api/auth/token/", ObtainToken.as_view(), name="api-token"),
    path("api/auth/sign-out-everywhere/", SignOutEverywhere.as_view(), name="api-sign-out-everywhere"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(router.urls)),
    path("", include("schools.urls")),
    path("", include("people.urls")),
    path("", include("notifications.urls")),
    path("", include("devices.urls")),
    path("", include("surveys.urls")),
    path("", include("tickets.urls")),
]
