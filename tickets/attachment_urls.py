"""Included at the root by helpdesk/urls.py: `path("", include("tickets.attachment_urls"))`."""

from django.urls import path

from tickets import attachment_views

urlpatterns = [
    path("tickets/<int:pk>/attachments/", attachment_views.attachment_upload, name="ticket-attachment-upload"),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_pk>/",
        attachment_views.attachment_download,
        name="ticket-attachment",
    ),
]
