"""The two doors of the rules-once tests: a signed-in page client, an API client, and a filing form's data."""

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient


def page_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_form_token(client: Client) -> str:
    return client.get(reverse("ticket-new")).context["form"].initial["form_token"]


def filing(category, **overrides) -> dict:
    return {
        "title": "Projector will not turn on",
        "description": "Lamp blinks orange.",
        "category": category.pk,
        "impact": "medium",
        "urgency": "high",
        "needed_by": "",
        "asset_tag": "",
        **overrides,
    }


def api_filing(category, **overrides) -> dict:
    return {key: value for key, value in filing(category, **overrides).items() if value != ""}
