from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from helpdesk.api import ObtainToken, SignOutEverywhere
from helpdesk.api_urls import router
from helpdesk.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/auth/token/", ObtainToken.as_view(), name="api-token"),
    path("api/auth/sign-out-everywhere/", SignOutEverywhere.as_view(), name="api-sign-out-everywhere"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(router.urls)),
    path("", include("schools.urls")),
    path("", include("devices.urls")),
    path("", include("surveys.urls")),
    path("", include("tickets.urls")),
]
