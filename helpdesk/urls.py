from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from helpdesk.api_urls import router
from people.views import LoginView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/login/", LoginView.as_view(), name="account_login"),  # the name allauth links to
    path("accounts/", include("people.sso_urls")),
    path("accounts/", include("schools.account_urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/auth/token/", obtain_auth_token, name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(router.urls)),
    path("", include("schools.urls")),
    path("", include("surveys.urls")),
    path("", include("tickets.urls")),
    path("", include("tickets.today_urls")),
    path("", include("tickets.kb.urls")),
    path("", include("tickets.vendor_urls")),
    path("", include("tickets.attachment_urls")),
]
