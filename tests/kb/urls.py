"""The project's URLs plus the knowledge base's, until the lead wires tickets.kb into
helpdesk/urls.py and helpdesk/api_urls.py. Use with @pytest.mark.urls("tests.kb.urls").
Once wired, this adds nothing, so the tests then exercise the real wiring."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from helpdesk.api_urls import router as project_router
from helpdesk.urls import urlpatterns as project_urlpatterns
from tickets.kb.api import register

urlpatterns = list(project_urlpatterns)

if not any(prefix == "articles" for prefix, *_ in project_router.registry):
    kb_router = DefaultRouter()
    register(kb_router)
    urlpatterns.append(path("api/", include(kb_router.urls)))

if not any(getattr(pattern, "namespace", None) == "kb" for pattern in project_urlpatterns):
    urlpatterns.append(path("", include("tickets.kb.urls")))
