"""Ticket rules both doors share: resolving from Today, the SLA target bounds, the open statuses."""

import pytest
from django.urls import reverse

from tests.rules_once_helpers import api_as, page_as
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- resolving from Today goes through the resolve form ------------------------------------


def test_today_and_the_api_refuse_the_same_over_long_resolution(ticket, technician):
    too_long = "x" * 20001
    response = page_as(technician).post(reverse("today_resolve", args=[ticket.pk]), {"resolution": too_long})
    assert response.status_code == 302
    response = api_as(technician).post(f"/api/tickets/{ticket.pk}/resolve/", {"resolution": too_long}, format="json")
    assert response.status_code == 400 and "resolution" in response.json()
    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_today_resolves_with_a_self_help_article(ticket, technician):
    from tickets.models import Article

    article = Article.objects.create(title="Projector lamp", body="Open the lamp door.")
    data = {"resolution": "Reseated the lamp.", "self_help": "Check the lamp door.", "self_help_article": article.pk}
    response = page_as(technician).post(reverse("today_resolve", args=[ticket.pk]), data)
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.self_help == "Check the lamp door."
    assert ticket.self_help_article == article


# --- SLA target bounds: the service checks, the form and serializer only shape ----------------


@pytest.mark.parametrize("value", [0, 100001])
def test_both_doors_refuse_an_sla_target_out_of_bounds_with_the_services_words(director, value):
    from tickets.models import SlaTarget

    high = SlaTarget.objects.get(priority="high")
    before = (high.response_value, high.resolution_value)
    words = ["A target must be a whole number from 1 to 100000."]
    response = api_as(director).patch(f"/api/sla-targets/{high.pk}/", {"resolution_value": value}, format="json")
    assert response.status_code == 400 and response.json() == {"resolution_value": words}
    data = {"priority": "high", "high-response_value": "2", "high-response_unit": "hours",
            "high-resolution_value": str(value), "high-resolution_unit": "days"}  # fmt: skip
    page = page_as(director).post(reverse("sla_targets"), data)
    assert page.status_code == 200
    form = next(form for target, form in page.context["forms"] if target.priority == "high")
    assert form.errors == {"resolution_value": words}
    high.refresh_from_db()
    assert (high.response_value, high.resolution_value) == before


def test_the_sla_target_service_itself_refuses_out_of_bounds(director):
    from tickets.errors import DomainError
    from tickets.models import SlaTarget
    from tickets.sla import update_sla_target

    high = SlaTarget.objects.get(priority="high")
    for value in (0, 100001):
        with pytest.raises(DomainError) as refused:
            update_sla_target(actor=director, target=high, changes={"response_value": value})
        assert refused.value.field == "response_value"
    assert update_sla_target(actor=director, target=high, changes={"response_value": 100000}).response_value == 100000


# --- open statuses: one constant on the model ------------------------------------------------


def test_every_open_status_list_is_the_models():
    from tickets import services
    from tickets.sla.breaches import RUNNING

    open_statuses = set(Ticket.OPEN_STATUSES)
    assert open_statuses == {"new", "assigned", "in_progress", "waiting"}
    assert services.TRANSITIONS["assign"][0] == open_statuses
    assert services.TRANSITIONS["resolve"][0] == open_statuses
    assert services.TRANSITIONS["close"][0] == open_statuses | {"resolved"}
    # The model's partial indexes are declared before the class exists, so they spell the
    # statuses out: they must still be the open ones (and the SLA clock's running ones).
    conditions = {index.name: dict(index.condition.children) for index in Ticket._meta.indexes if index.condition}
    assert set(conditions["ticket_open_by_priority"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_due"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_mine_first"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_oldest_first"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_unassigned"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_resolution_due"]["status__in"]) == set(RUNNING)
    assert set(conditions["ticket_awaiting_response_due"]["status__in"]) == set(RUNNING)
