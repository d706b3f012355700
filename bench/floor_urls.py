"""The project's URLs plus the framework floor (`bench.floor_settings` only)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from helpdesk.urls import urlpatterns as project_urlpatterns


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """A signed-in page with nothing but the base template: what any page costs at least."""
    return render(request, "base.html")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *project_urlpatterns]
