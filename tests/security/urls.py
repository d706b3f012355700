"""The project's URLconf plus this branch's routes until helpdesk/urls.py includes them.

Tests in this package run against it (see conftest). Once the lead wires
`tickets.attachment_urls`, `schools.account_urls` and the attachments API into the
project, each piece here notices and adds nothing, so nothing is listed twice.
"""

from django.urls import NoReverseMatch, include, path, reverse
from rest_framework.routers import DefaultRouter

from helpdesk.urls import urlpatterns as project_urlpatterns
from tickets.api.attachments import register as register_attachments


def _wired(name: str, **kwargs: object) -> bool:
    try:
        reverse(name, urlconf="helpdesk.urls", kwargs=kwargs or None)
    except NoReverseMatch:
        return False
    return True


extra = []
if not _wired("ticket-attachment-upload", pk=1):
    extra.append(path("", include("tickets.attachment_urls")))
if not _wired("password_reset"):
    extra.append(path("accounts/", include("schools.account_urls")))
if not _wired("ticket-attachment-list", ticket_pk=1):
    router = DefaultRouter()
    register_attachments(router)
    # Only the attachment routes: the router's own root view is the project's already.
    extra.append(path("api/", include([p for p in router.urls if p.name != "api-root"])))

urlpatterns = [*extra, *project_urlpatterns]
