"""Included by helpdesk/urls.py: `path("", include("tickets.today_urls"))`."""

from django.urls import path

from tickets import today

urlpatterns = [
    path("today/", today.today, name="today"),
    path("today/tickets/<int:pk>/start/", today.start, name="today_start"),
    path("today/tickets/<int:pk>/resolve/", today.resolve, name="today_resolve"),
    path("today/visits/<int:pk>/check-in/", today.check_in, name="visit_check_in"),
    path("today/visits/<int:pk>/complete/", today.complete, name="visit_complete"),
]
