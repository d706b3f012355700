"""Each rule that a page and the API both need lives once, and both doors obey it.

For every rule: the page refuses it with a form error, the API with a 400 naming the
field, and nothing is written.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.rules_once_helpers import api_as, api_filing, filing, new_form_token, page_as
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


@pytest.fixture
def gone(school):
    """A teacher who left: deactivated, never deleted."""
    return factories.UserFactory(profile__school=school, is_active=False)


@pytest.fixture
def retired_technician(db):
    return factories.TechnicianFactory(is_active=False)


# --- filing once: one mechanism (the IdempotencyKey table) for the page and the API -------------


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_double_submitted_form_files_once_even_with_the_cache_cleared_between(teacher, category):
    from django.core.cache import cache

    from tickets.models import IdempotencyKey

    client = page_as(teacher)
    data = filing(category, form_token=new_form_token(client))
    first = client.post(reverse("ticket-new"), data)
    cache.clear()  # a cache outage, or the second click landing on another worker
    second = client.post(reverse("ticket-new"), data, follow=True)
    ticket = Ticket.objects.get()
    assert first.url == reverse("ticket-detail", args=[ticket.pk])
    assert second.redirect_chain[-1][0] == reverse("ticket-detail", args=[ticket.pk])
    assert f"We already got this one — request #{ticket.pk}." in messages_of(second)
    assert IdempotencyKey.objects.get().ticket == ticket  # the API's table holds the form's key


def test_a_double_submit_files_once_with_a_new_session_too(teacher, category):
    """Nothing lives in the session: the second click may come on a fresh one (a second worker
    reading a session store that lost the first write, or a signed-in-again tab)."""
    client = page_as(teacher)
    data = filing(category, form_token=new_form_token(client))
    client.post(reverse("ticket-new"), data)
    again = page_as(teacher)
    response = again.post(reverse("ticket-new"), data)
    assert response.url == reverse("ticket-detail", args=[Ticket.objects.get().pk])


def test_both_doors_file_once_per_key_through_the_same_table(teacher, category):
    from tickets.models import IdempotencyKey

    api = api_as(teacher)
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-1"}
    first = api.post("/api/tickets/", api_filing(category), format="json", **headers)
    again = api.post("/api/tickets/", api_filing(category), format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    changed = api.post("/api/tickets/", api_filing(category, title="Other"), format="json", **headers)
    assert changed.status_code == 422 and list(changed.json()) == ["Idempotency-Key"]
    client = page_as(teacher)
    data = filing(category, form_token=new_form_token(client))
    client.post(reverse("ticket-new"), data)
    client.post(reverse("ticket-new"), data)
    assert Ticket.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2


def test_the_same_form_sent_again_with_other_words_is_refused_not_filed(teacher, category):
    client = page_as(teacher)
    token = new_form_token(client)
    client.post(reverse("ticket-new"), filing(category, form_token=token))
    response = client.post(reverse("ticket-new"), filing(category, form_token=token, title="Something else"))
    assert response.status_code == 200
    assert "This form was already sent." in response.content.decode()
    assert Ticket.objects.count() == 1
    fresh = response.context["form"].data["form_token"]
    assert fresh != token
    client.post(reverse("ticket-new"), filing(category, form_token=fresh, title="Something else"))
    assert Ticket.objects.count() == 2


def test_a_refused_form_keeps_its_key_and_files_once_corrected(teacher, category, yesterday):
    client = page_as(teacher)
    token = new_form_token(client)
    refused = client.post(reverse("ticket-new"), filing(category, form_token=token, needed_by=yesterday))
    assert "needed_by" in refused.context["form"].errors
    assert refused.context["form"].data["form_token"] == token
    assert client.post(reverse("ticket-new"), filing(category, form_token=token)).status_code == 302
    assert client.post(reverse("ticket-new"), filing(category, form_token=token)).status_code == 302
    assert Ticket.objects.count() == 1


def test_a_form_key_drawn_for_someone_else_does_not_file(teacher, other_teacher, category):
    token = new_form_token(page_as(other_teacher))
    response = page_as(teacher).post(reverse("ticket-new"), filing(category, form_token=token))
    assert response.status_code == 200
    assert "This form is out of date." in response.content.decode()
    assert not Ticket.objects.exists()


# --- needed_by is today or later -----------------------------------------------------------


def test_page_refuses_a_needed_by_date_in_the_past(teacher, category, yesterday):
    client = page_as(teacher)
    response = client.post(
        reverse("ticket-new"), filing(category, form_token=new_form_token(client), needed_by=yesterday)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["needed_by"] == ["Pick today or a later date."]
    assert not Ticket.objects.exists()


def test_api_refuses_a_needed_by_date_in_the_past(teacher, category, yesterday):
    response = api_as(teacher).post("/api/tickets/", api_filing(category, needed_by=yesterday), format="json")
    assert response.status_code == 400
    assert response.json() == {"needed_by": ["Pick today or a later date."]}
    assert not Ticket.objects.exists()


def test_api_accepts_needed_by_today(teacher, category):
    today = timezone.localdate().isoformat()
    response = api_as(teacher).post("/api/tickets/", api_filing(category, needed_by=today), format="json")
    assert response.status_code == 201 and response.json()["needed_by"] == today


def test_triage_refuses_moving_needed_by_into_the_past_on_both_doors(ticket, technician, yesterday):
    response = api_as(technician).patch(f"/api/tickets/{ticket.pk}/", {"needed_by": yesterday}, format="json")
    assert response.status_code == 400 and response.json() == {"needed_by": ["Pick today or a later date."]}
    form = {
        "category": ticket.category_id,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "service_mode": "",
        "asset_tag": "",
        "device_owner": "",
        "needed_by": yesterday,
        "school": ticket.school_id,
        "version": ticket.version,
    }
    response = page_as(technician).post(reverse("ticket-update", args=[ticket.pk]), form)
    assert response.status_code == 200
    assert response.context["triage_form"].errors["needed_by"] == ["Pick today or a later date."]
    ticket.refresh_from_db()
    assert ticket.needed_by is None and ticket.version == 1


def test_triage_keeps_an_old_needed_by_that_it_does_not_change(ticket, technician, yesterday):
    Ticket.objects.filter(pk=ticket.pk).update(needed_by=yesterday)
    response = api_as(technician).patch(
        f"/api/tickets/{ticket.pk}/", {"needed_by": yesterday, "urgency": "high"}, format="json"
    )
    assert response.status_code == 200 and response.json()["urgency"] == "high"


# --- the requester is an active person ---------------------------------------------------------


def test_page_refuses_filing_for_a_deactivated_person(technician, gone, category):
    client = page_as(technician)
    response = client.post(
        reverse("ticket-new"), filing(category, form_token=new_form_token(client), requester=gone.username)
    )
    assert response.status_code == 200
    assert "requester" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_api_refuses_filing_for_a_deactivated_person(technician, gone, category):
    response = api_as(technician).post("/api/tickets/", api_filing(category, requester=gone.pk), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["requester"]
    assert not Ticket.objects.exists()


# --- tickets go only to active technicians ------------------------------------------------------


def test_page_refuses_assigning_to_a_retired_technician(ticket, technician, retired_technician):
    response = page_as(technician).post(reverse("ticket-assign", args=[ticket.pk]), {"assignee": retired_technician.pk})
    assert response.status_code == 200
    assert "assignee" in response.context["assign_form"].errors
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.status == "new"


def test_api_refuses_assigning_to_a_retired_technician(ticket, technician, retired_technician):
    response = api_as(technician).post(
        f"/api/tickets/{ticket.pk}/assign/", {"assignee": retired_technician.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"assignee": ["Tickets can be assigned only to active technicians."]}
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.status == "new"


def test_the_assign_list_and_the_service_agree_on_who_is_staff(ticket, technician, director, retired_technician):
    superuser = factories.UserFactory(is_superuser=True)
    offered = set(
        page_as(technician)
        .get(reverse("ticket-detail", args=[ticket.pk]))
        .context["assign_form"]
        .fields["assignee"]
        .queryset
    )
    assert offered == {technician, director, superuser}
    for person in offered:
        response = api_as(technician).post(f"/api/tickets/{ticket.pk}/assign/", {"assignee": person.pk}, format="json")
        assert response.status_code == 200, person
