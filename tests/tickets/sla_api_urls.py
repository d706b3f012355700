"""The project's URLs plus the SLA targets API, until helpdesk/api_urls.py registers it."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from helpdesk.urls import urlpatterns as project_urlpatterns
from tickets.sla_api import register

router = DefaultRouter()
register(router)

urlpatterns = [path("api/", include(router.urls)), *project_urlpatterns]
