"""API.md "Devices (assets)" and "Maintenance plans" through the client, for each role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from devices.models import Asset, AssetAssignment, MaintenanceTask
from schools.models import Visit
from tests import factories
from tests.conftest import api_as


@pytest.fixture
def asset(school):
    return factories.AssetFactory(tag="OKC-00042", serial="5CD1234XYZ", school=school)


def test_requester_gets_403_on_the_device_list_and_a_device(teacher, asset):
    client = api_as(teacher)
    assert client.get("/api/assets/").status_code == 403
    assert client.get(f"/api/assets/{asset.pk}/").status_code == 403
    assert client.get(f"/api/assets/{asset.pk}/tickets/").status_code == 403
    assert client.post("/api/assets/", {"tag": "X-1"}, format="json").status_code == 403


def test_staff_list_devices_with_the_contract_fields(technician, asset):
    body = api_as(technician).get("/api/assets/").json()
    assert body["count"] == 1
    row = body["results"][0]
    for field in ("id", "tag", "serial", "kind", "model", "school", "room", "assigned_to", "owner", "status"):
        assert field in row
    assert {"purchased_on", "warranty_end", "vendor"} <= set(row)
    assert row["tag"] == "OKC-00042" and row["status"] == "in_service" and row["owner"] == "district"


def test_search_finds_a_device_by_tag_or_serial_any_case(technician, asset):
    factories.AssetFactory(tag="OKC-99999", serial="OTHER")
    client = api_as(technician)
    assert [r["id"] for r in client.get("/api/assets/?search=okc-00042").json()["results"]] == [asset.pk]
    assert [r["id"] for r in client.get("/api/assets/?search=5cd1234").json()["results"]] == [asset.pk]


def test_filters_by_school_kind_status_and_person(technician, teacher, school, asset):
    projector = factories.AssetFactory(kind="projector", school=factories.SchoolFactory(), status="in_repair")
    asset.assigned_to = teacher
    asset.save()
    client = api_as(technician)

    def ids(query: str) -> list[int]:
        return [r["id"] for r in client.get(f"/api/assets/?{query}").json()["results"]]

    assert ids(f"school={school.pk}") == [asset.pk]
    assert ids("kind=projector") == [projector.pk]
    assert ids("status=in_repair") == [projector.pk]
    assert ids(f"assigned_to={teacher.pk}") == [asset.pk]


def test_technician_adds_a_device_and_its_holder_is_recorded(technician, teacher, school):
    response = api_as(technician).post(
        "/api/assets/",
        {
            "tag": "okc-777",
            "kind": "laptop",
            "school": school.pk,
            "assigned_to": teacher.pk,
            "warranty_end": "2030-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    asset = Asset.objects.get(pk=response.json()["id"])
    assert asset.assigned_to == teacher
    history = AssetAssignment.objects.get(asset=asset)
    assert history.person == teacher and history.ended_at is None and history.changed_by == technician


def test_a_tag_is_unique_whatever_its_case(technician, asset):
    response = api_as(technician).post("/api/assets/", {"tag": "okc-00042"}, format="json")
    assert response.status_code == 400
    assert "tag" in response.json()


def test_bad_input_is_400_with_field_errors(technician):
    response = api_as(technician).post(
        "/api/assets/", {"tag": "", "kind": "toaster", "warranty_end": "soon"}, format="json"
    )
    assert response.status_code == 400
    assert {"tag", "kind", "warranty_end"} <= set(response.json())


def test_reassigning_a_device_closes_the_previous_holder(technician, teacher, other_teacher, asset):
    client = api_as(technician)
    client.patch(f"/api/assets/{asset.pk}/", {"assigned_to": teacher.pk}, format="json")
    client.patch(f"/api/assets/{asset.pk}/", {"assigned_to": other_teacher.pk}, format="json")
    rows = list(AssetAssignment.objects.filter(asset=asset).order_by("started_at", "pk"))
    assert [r.person_id for r in rows] == [teacher.pk, other_teacher.pk]
    assert [r.ended_at is None for r in rows] == [False, True]


def test_devices_are_not_deleted_through_the_api(director, asset):
    assert api_as(director).delete(f"/api/assets/{asset.pk}/").status_code == 405


# --- tickets on a device ------------------------------------------------------------------


def test_filing_with_a_known_tag_links_the_device_any_case(api, teacher, category, asset):
    api.force_authenticate(teacher)
    body = {"title": "Keyboard", "description": "Keys stick", "category": category.pk, "impact": "low"}
    response = api.post("/api/tickets/", {**body, "urgency": "low", "asset_tag": " okc-00042 "}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["asset"] == asset.pk
    assert response.json()["asset_tag"] == "okc-00042"


def test_filing_with_an_unknown_tag_keeps_the_tag_as_text(api, teacher, category, asset):
    api.force_authenticate(teacher)
    body = {"title": "Keyboard", "description": "Keys stick", "category": category.pk, "impact": "low"}
    response = api.post("/api/tickets/", {**body, "urgency": "low", "asset_tag": "NOT-OURS-1"}, format="json")
    assert response.status_code == 201
    assert response.json()["asset"] is None and response.json()["asset_tag"] == "NOT-OURS-1"


def test_patching_an_asset_id_sets_the_tag_and_a_tag_sets_the_asset(technician, ticket, asset):
    client = api_as(technician)
    response = client.patch(f"/api/tickets/{ticket.pk}/", {"asset": asset.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["asset_tag"] == "OKC-00042"
    other = factories.AssetFactory(tag="OKC-55555")
    response = client.patch(f"/api/tickets/{ticket.pk}/", {"asset_tag": "okc-55555"}, format="json")
    assert response.json()["asset"] == other.pk
    response = client.patch(f"/api/tickets/{ticket.pk}/", {"asset_tag": "typo"}, format="json")
    assert response.json()["asset"] is None and response.json()["asset_tag"] == "typo"


def test_device_tickets_newest_first(technician, teacher, category, asset):
    first = factories.TicketFactory(requester=teacher, category=category, asset_tag=asset.tag)
    second = factories.TicketFactory(requester=teacher, category=category, asset_tag=asset.tag)
    factories.TicketFactory(requester=teacher, category=category)
    response = api_as(technician).get(f"/api/assets/{asset.pk}/tickets/")
    assert [r["id"] for r in response.json()["results"]] == [second.pk, first.pk]
    assert api_as(technician).get("/api/assets/999999/tickets/").status_code == 404
    assert api_as(technician).get("/api/assets/abc/tickets/").status_code == 404


# --- maintenance ------------------------------------------------------------------------


def test_only_directors_write_plans_and_staff_read_them(teacher, technician, director, school):
    body = {"title": "Clean projector filters", "checklist": "Filter\nLens", "school": school.pk}
    body |= {"every_n_weeks": 4, "starts_on": timezone.localdate().isoformat(), "active": True}
    assert api_as(teacher).get("/api/maintenance-plans/").status_code == 403
    assert api_as(technician).post("/api/maintenance-plans/", body, format="json").status_code == 403
    response = api_as(director).post("/api/maintenance-plans/", body, format="json")
    assert response.status_code == 201, response.json()
    listed = api_as(technician).get("/api/maintenance-plans/").json()["results"]
    assert listed[0]["title"] == "Clean projector filters"
    assert set(listed[0]) >= {"id", "title", "checklist", "school", "every_n_weeks", "starts_on", "active"}


def test_plan_puts_a_task_on_the_first_planned_visit_on_or_after_it_is_due(director, technician, school):
    today = timezone.localdate()
    Visit.objects.create(technician=technician, school=school, date=today + timedelta(days=1))
    later = Visit.objects.create(technician=technician, school=school, date=today + timedelta(days=9))
    body = {"title": "Dust the lab", "school": school.pk, "every_n_weeks": 8}
    body["starts_on"] = (today + timedelta(days=3)).isoformat()
    assert api_as(director).post("/api/maintenance-plans/", body, format="json").status_code == 201
    tasks = api_as(technician).get(f"/api/maintenance-tasks/?school={school.pk}").json()["results"]
    assert tasks[0]["visit"] == later.pk and tasks[0]["due_on"] == body["starts_on"]
    assert tasks[0]["status"] == "planned"
    assert set(tasks[0]) >= {"id", "plan", "school", "visit", "due_on", "status", "note", "done_by", "done_at"}
    by_visit = api_as(technician).get(f"/api/maintenance-tasks/?visit={later.pk}").json()["results"]
    assert [t["id"] for t in by_visit] == [tasks[0]["id"]]


def test_a_plan_for_every_school_makes_one_task_per_school(director, school):
    other = factories.SchoolFactory()
    body = {"title": "Check UPS batteries", "every_n_weeks": 52, "starts_on": timezone.localdate().isoformat()}
    assert api_as(director).post("/api/maintenance-plans/", body, format="json").status_code == 201
    assert sorted(MaintenanceTask.objects.values_list("school_id", flat=True)) == sorted([school.pk, other.pk])


def test_done_and_skip_with_a_note(director, technician, teacher, school):
    body = {"title": "Clean filters", "school": school.pk, "every_n_weeks": 52}
    api_as(director).post(
        "/api/maintenance-plans/", {**body, "starts_on": timezone.localdate().isoformat()}, format="json"
    )
    task = MaintenanceTask.objects.get()
    assert api_as(teacher).post(f"/api/maintenance-tasks/{task.pk}/done/", {}).status_code == 403
    response = api_as(technician).post(f"/api/maintenance-tasks/{task.pk}/done/", {"note": "All clean"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["note"] == "All clean"
    assert response.json()["done_by"] == technician.pk and response.json()["done_at"]
    again = api_as(technician).post(f"/api/maintenance-tasks/{task.pk}/skip/", {"note": "x"}, format="json")
    assert again.status_code == 400


def test_skipping_needs_a_note(director, technician, school):
    body = {"title": "Clean filters", "school": school.pk, "every_n_weeks": 52}
    api_as(director).post(
        "/api/maintenance-plans/", {**body, "starts_on": timezone.localdate().isoformat()}, format="json"
    )
    task = MaintenanceTask.objects.get()
    client = api_as(technician)
    assert client.post(f"/api/maintenance-tasks/{task.pk}/skip/", {}, format="json").status_code == 400
    response = client.post(f"/api/maintenance-tasks/{task.pk}/skip/", {"note": "Room locked"}, format="json")
    assert response.json()["status"] == "skipped"
