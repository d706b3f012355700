"""A stand-in new-ticket page for the browser test of static/js/kb-suggest.js, built
the way the lead is asked to build the real one (form data-kb-suggest, #id_title, the
region partial, the script by src), served with a CSP that forbids inline script."""

from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from tests.kb.urls import urlpatterns as kb_urlpatterns

PAGE = Template(
    """{% extends "base.html" %}{% load static %}
{% block content %}
<form method="post" action="/kb-test/filed/" data-kb-suggest="{% url 'kb:suggest' %}">{% csrf_token %}
  <label for="id_title">Title</label>
  <input id="id_title" name="title" autocomplete="off">
  {% include "kb/_suggest_region.html" %}
  <button type="submit" id="send">Send request</button>
</form>
{% endblock content %}
{% block scripts %}<script src="{% static 'js/kb-suggest.js' %}"></script>{% endblock scripts %}"""
)

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'"


def new_ticket_page(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(PAGE.render(RequestContext(request)))
    response["Content-Security-Policy"] = CSP
    return response


def filed(request: HttpRequest) -> HttpResponse:
    return HttpResponse("FILED")


urlpatterns = [
    *kb_urlpatterns,
    path("kb-test/new-ticket/", new_ticket_page),
    path("kb-test/filed/", filed),
]
