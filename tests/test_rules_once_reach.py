"""Who may read and act, one rule on every door: the articles a requester can read, a school's campus contact."""

import pytest
from django.urls import reverse

from schools.roles import forget_roles
from tests import factories
from tests.rules_once_helpers import api_as, api_filing, page_as
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- "an article this requester can read": one definition in tickets.kb.selectors -----------


@pytest.mark.parametrize("kind", ["draft", "staff_only"])
def test_an_article_a_requester_cannot_read_is_hidden_and_never_sent_on_any_door(kind, ticket, teacher, technician):
    from tickets.kb.selectors import articles_for_requesters, is_readable_by_requesters
    from tickets.models import Article

    hidden = Article.objects.create(
        title="Reset the switch stack",
        body="Console cable first.",
        status=Article.Status.DRAFT if kind == "draft" else Article.Status.PUBLISHED,
        audience=Article.Audience.STAFF if kind == "staff_only" else Article.Audience.EVERYONE,
    )
    readable = Article.objects.create(title="Projector lamp", body="Open the lamp door.")
    assert list(articles_for_requesters()) == [readable]
    assert [is_readable_by_requesters(a) for a in (hidden, readable)] == [False, True]
    # the knowledge base, page and API
    assert page_as(teacher).get(reverse("kb:detail", args=[hidden.pk])).status_code == 404
    assert api_as(teacher).get(f"/api/articles/{hidden.pk}/").status_code == 404
    assert [a["id"] for a in api_as(teacher).get("/api/articles/").json()["results"]] == [readable.pk]
    # resolving with it, from the ticket page, Today and the API
    data = {"resolution": "Reseated the lamp.", "self_help_article": hidden.pk}
    page = page_as(technician).post(reverse("ticket-resolve", args=[ticket.pk]), data)
    assert page.status_code == 200 and "self_help_article" in page.context["resolve_form"].errors
    page_as(technician).post(reverse("today_resolve", args=[ticket.pk]), data)
    response = api_as(technician).post(f"/api/tickets/{ticket.pk}/resolve/", data, format="json")
    assert response.status_code == 400 and list(response.json()) == ["self_help_article"]
    ticket.refresh_from_db()
    assert ticket.status == "new" and ticket.self_help_article is None
    response = api_as(technician).post(
        f"/api/tickets/{ticket.pk}/resolve/", {**data, "self_help_article": readable.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["self_help_article"] == readable.pk


# --- a campus contact acts for their school: one rule (schools.roles.is_campus_contact) -------------


def test_the_campus_contact_rule_and_its_query_agree(school, teacher, other_teacher):
    from schools.roles import is_campus_contact, schools_contacted_by

    other_school = factories.SchoolFactory(campus_contact=teacher)
    school.campus_contact = other_teacher
    school.save()
    for user in (teacher, other_teacher):
        for each in (school, other_school):
            assert is_campus_contact(user, each) == schools_contacted_by(user).filter(pk=each.pk).exists()


def test_page_and_api_let_the_campus_contact_see_and_answer_their_schools_tickets_and_nobody_else(
    ticket, other_teacher
):
    """`other_teacher` teaches at the ticket's school but filed nothing: only as its campus
    contact may they read and answer the ticket, on the page and through the API alike."""
    page, api = page_as(other_teacher), api_as(other_teacher)
    detail, reply = reverse("ticket-detail", args=[ticket.pk]), reverse("ticket-comment", args=[ticket.pk])

    assert page.get(detail).status_code == 404
    assert api.get(f"/api/tickets/{ticket.pk}/").status_code == 404
    assert ticket.pk not in [row["id"] for row in api.get("/api/tickets/").json()["results"]]

    ticket.school.campus_contact = other_teacher
    ticket.school.save()
    # Each request reads its user's roles afresh (a signed-in session or a token loads the user);
    # the API test client hands over one object, so it is told to read them again.
    forget_roles(other_teacher)
    assert page.get(detail).status_code == 200
    assert api.get(f"/api/tickets/{ticket.pk}/").status_code == 200
    assert ticket.pk in [row["id"] for row in api.get("/api/tickets/").json()["results"]]
    page.post(reply, {"body": "The lamp light is orange."})
    api.post(f"/api/tickets/{ticket.pk}/comments/", {"body": "Still orange."}, format="json")
    assert list(ticket.comments.values_list("body", flat=True).order_by("pk")) == [
        "The lamp light is orange.",
        "Still orange.",
    ]


def test_a_campus_contact_files_for_their_school_and_nobody_else_for_a_school_not_theirs(teacher, category):
    elsewhere = factories.SchoolFactory()
    response = api_as(teacher).post("/api/tickets/", api_filing(category, school=elsewhere.pk), format="json")
    assert response.status_code == 400 and list(response.json()) == ["school"]
    elsewhere.campus_contact = teacher
    elsewhere.save()
    response = api_as(teacher).post("/api/tickets/", api_filing(category, school=elsewhere.pk), format="json")
    assert response.status_code == 201
    assert Ticket.objects.get().school == elsewhere
