"""The project's URLs plus what the lead still has to wire in (Today pages, SLA targets API).

Used with `@pytest.mark.urls("tests.pending_urls")` until helpdesk/urls.py and
helpdesk/api_urls.py include them; then this module can go.
"""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from helpdesk.urls import urlpatterns as project_urlpatterns
from tickets.sla_api import register

router = DefaultRouter()
register(router)

urlpatterns = [path("api/", include(router.urls)), path("", include("tickets.today_urls")), *project_urlpatterns]
