"""Queues and categories through the API: who reads them, the director's changes, what cannot go."""

import pytest

from tests import factories
from tests.conftest import api_as
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- queues and categories ----------------------------------------------------------------


def test_everyone_signed_in_reads_queues_filtered_by_school(teacher, school):
    network = factories.QueueFactory(name="Network")
    other = factories.SchoolFactory()
    client = api_as(teacher)
    everything = client.get("/api/queues/").json()
    assert {q["id"] for q in everything["results"]} == {school.queue.pk, other.queue.pk, network.pk}
    only = client.get("/api/queues/", {"school": school.pk}).json()["results"]
    assert only == [{"id": school.queue.pk, "name": school.name, "school": school.pk, "description": ""}]
    district = client.get("/api/queues/", {"district_wide": "true"}).json()["results"]
    assert [q["id"] for q in district] == [network.pk]
    assert district[0]["school"] is None


@pytest.mark.parametrize("role", ["teacher", "technician"])
def test_only_the_director_changes_queues_and_categories(role, request, category):
    client = api_as(request.getfixturevalue(role))
    assert client.post("/api/queues/", {"name": "Network"}, format="json").status_code == 403
    assert client.post("/api/categories/", {"name": "Phones"}, format="json").status_code == 403
    assert client.patch(f"/api/categories/{category.pk}/", {"name": "X"}, format="json").status_code == 403
    assert client.delete(f"/api/categories/{category.pk}/").status_code == 403
    category.refresh_from_db()
    assert category.name != "X"


def test_director_creates_renames_and_removes_a_district_queue(director):
    client = api_as(director)
    response = client.post("/api/queues/", {"name": "Accounts & Software"}, format="json")
    assert response.status_code == 201
    queue = response.json()
    assert queue["school"] is None
    renamed = client.patch(f"/api/queues/{queue['id']}/", {"name": "Accounts"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Accounts"
    assert client.delete(f"/api/queues/{queue['id']}/").status_code == 204


def test_queues_that_matter_cannot_be_removed(director, ticket):
    client = api_as(director)
    assert client.delete(f"/api/queues/{ticket.school.queue.pk}/").status_code == 400
    network = factories.QueueFactory(name="Network")
    ticket.queue = network
    ticket.save()
    assert client.delete(f"/api/queues/{network.pk}/").status_code == 400
    assert client.post("/api/queues/", {"name": "Again", "school": ticket.school_id}, format="json").status_code == 400


def test_director_creates_a_category_with_only_a_name(director):
    client = api_as(director)
    response = client.post("/api/categories/", {"name": "Smart Boards"}, format="json")
    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "name": "Smart Boards",
        "slug": "smart-boards",
        "in_scope": True,
        "queue": None,
        "responsible_party": "",
        "guidance": "",
        "vendor": None,
    }
    again = client.post("/api/categories/", {"name": "Smart boards!"}, format="json")
    assert again.status_code == 201 and again.json()["slug"] == "smart-boards-2"


def test_category_routes_only_to_a_district_wide_queue(director, school):
    client = api_as(director)
    refused = client.post("/api/categories/", {"name": "Wi-Fi", "queue": school.queue.pk}, format="json")
    assert refused.status_code == 400 and "queue" in refused.json()
    network = factories.QueueFactory(name="Network")
    accepted = client.post(
        "/api/categories/",
        {"name": "Wi-Fi", "queue": network.pk, "responsible_party": "Network team"},
        format="json",
    )
    assert accepted.status_code == 201
    assert (accepted.json()["queue"], accepted.json()["responsible_party"]) == (network.pk, "Network team")
    moved = client.patch(f"/api/categories/{accepted.json()['id']}/", {"queue": school.queue.pk}, format="json")
    assert moved.status_code == 400 and "queue" in moved.json()


def test_category_slug_is_unique_and_rederived_when_emptied(director, category):
    client = api_as(director)
    clash = client.post("/api/categories/", {"name": "Other", "slug": category.slug}, format="json")
    assert clash.status_code == 400 and "slug" in clash.json()
    made = client.post("/api/categories/", {"name": "Document cameras", "slug": "doc-cams"}, format="json").json()
    assert made["slug"] == "doc-cams"
    patched = client.patch(f"/api/categories/{made['id']}/", {"name": "Visualizers", "slug": ""}, format="json")
    assert patched.status_code == 200 and patched.json()["slug"] == "visualizers"


def test_category_with_tickets_cannot_be_deleted(director, ticket):
    response = api_as(director).delete(f"/api/categories/{ticket.category_id}/")
    assert response.status_code == 400
    assert Ticket.objects.filter(pk=ticket.pk, category_id=ticket.category_id).exists()


def test_everyone_signed_in_reads_categories(teacher, category):
    response = api_as(teacher).get("/api/categories/")
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["results"]] == [category.slug]
