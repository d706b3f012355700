"""Helpers of the ticket pages' tests: clients, the text a person reads, the filing form."""

import re

from django.test import Client
from django.urls import reverse

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
PLAIN_STATUS = {
    "new": "Received",
    "assigned": "A technician has it",
    "in_progress": "Being worked on",
    "waiting": "Waiting for your answer",
    "resolved": "Fixed — please confirm",
    "closed": "Closed",
}
JARGON = ["queue", "SLA", "impact", "urgency", "in_progress"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def visible_text(response) -> str:
    """The page's text without tags, scripts' sources, attributes or comments, for jargon checks."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def new_form_token(client: Client) -> str:
    response = client.get(reverse("ticket-new"))
    assert response.status_code == 200
    return response.context["form"].initial["form_token"]


def filing_data(category, **overrides) -> dict:
    data = {
        "title": "Projector will not turn on",
        "description": "Lamp blinks orange.",
        "category": category.pk,
        "impact": "medium",
        "urgency": "high",
        "needed_by": "",
        "asset_tag": "",
    }
    data.update(overrides)
    return data
