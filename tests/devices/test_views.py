"""The device pages for each role: requesters never see them (404, like the other staff pages)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from devices import services
from devices.models import Asset, Loan, MaintenancePlan
from tests import factories
from tickets import vendors
from tickets.models import Vendor


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def asset(school, teacher, technician):
    return services.save_asset(
        actor=technician,
        changes={
            "tag": "OKC-00042",
            "serial": "5CD1234XYZ",
            "kind": "laptop",
            "model": "Latitude 3440",
            "school": school,
            "assigned_to": teacher,
            "warranty_end": timezone.localdate() + timedelta(days=30),
        },
    )


@pytest.mark.parametrize("path", ["/assets/", "/loaners/", "/maintenance/"])
def test_requesters_do_not_reach_the_device_pages(teacher, asset, path):
    assert _client(teacher).get(path).status_code == 404
    assert _client(teacher).get(f"/assets/{asset.pk}/").status_code == 404


def test_device_list_searches_by_tag_serial_or_person(technician, teacher, asset):
    factories.AssetFactory(tag="OKC-99999")
    client = _client(technician)
    for query in ("okc-00042", "1234xyz", teacher.last_name, teacher.email):
        page = client.get("/assets/", {"search": query})
        assert [a.pk for a in page.context["page"]] == [asset.pk], query
    assert len(client.get("/assets/").context["page"]) == 2


def test_device_list_filters_by_warranty_ending(technician, asset):
    factories.AssetFactory(warranty_end=timezone.localdate() + timedelta(days=400))
    page = _client(technician).get("/assets/", {"warranty": "ending"})
    assert [a.pk for a in page.context["page"]] == [asset.pk]


def test_unknown_filter_values_are_ignored_not_a_500(technician, asset):
    response = _client(technician).get("/assets/", {"kind": "toaster", "school": "x", "ordering": "password"})
    assert response.status_code == 200


def test_device_page_shows_tickets_vendor_cases_warranty_holder_and_history(
    technician, teacher, other_teacher, category, asset
):
    old = factories.TicketFactory(requester=teacher, category=category, asset_tag="okc-00042", title="Cracked hinge")
    vendor = Vendor.objects.create(name="Dell", turnaround_days=5)
    vendors.escalate_to_vendor(actor=technician, ticket=old, vendor=vendor, case_number="RMA-77")
    factories.TicketFactory(requester=teacher, category=category, asset_tag="OKC-00042", title="Battery drains")
    services.save_asset(actor=technician, asset=asset, changes={"assigned_to": other_teacher})

    page = _client(technician).get(f"/assets/{asset.pk}/")
    html = page.content.decode()
    assert [t.title for t in page.context["tickets"]] == ["Battery drains", "Cracked hinge"]
    assert "RMA-77" in html and "Dell" in html
    assert page.context["warranty_days_left"] == 30
    assert "30 days left" in html
    assert other_teacher.email in html
    assert [row.person for row in page.context["assignments"]] == [other_teacher, teacher]


def test_ticket_page_shows_the_device_its_warranty_and_its_past_tickets(technician, teacher, category, asset):
    earlier = factories.TicketFactory(requester=teacher, category=category, asset_tag="OKC-00042", title="Fan loud")
    ticket = factories.TicketFactory(requester=teacher, category=category, asset_tag="OKC-00042", title="No boot")
    html = _client(technician).get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'href="/assets/{asset.pk}/"' in html
    assert "30 days left" in html
    assert f"#{earlier.pk} Fan loud" in html


def test_requester_ticket_page_says_which_loaner_they_have(technician, teacher, category, asset, school):
    loaner = factories.AssetFactory(tag="LOAN-7", status=Asset.Status.LOANER, school=school)
    ticket = factories.TicketFactory(requester=teacher, category=category, asset_tag="OKC-00042")
    services.check_out_loaner(
        actor=technician,
        loaner=loaner,
        borrower=teacher,
        for_asset=asset,
        due_back=timezone.localdate() + timedelta(days=7),
    )
    html = _client(teacher).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "LOAN-7" in html
    assert f"/assets/{asset.pk}/" not in html  # the device page is the team's


def test_lend_and_check_in_a_loaner_from_the_page(technician, teacher, asset, school):
    loaner = factories.AssetFactory(tag="LOAN-1", status=Asset.Status.LOANER, school=school)
    client = _client(technician)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        "/loaners/", {"loaner": loaner.pk, "borrower": teacher.pk, "for_tag": "okc-00042", "due_back": due}
    )
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert loan.for_asset == asset and loan.borrower == teacher
    asset.refresh_from_db()
    assert asset.status == Asset.Status.IN_REPAIR
    assert client.post(f"/loaners/{loan.pk}/check-in/").status_code == 302
    loan.refresh_from_db()
    assert loan.checked_in_at is not None


def test_lending_form_errors_are_shown_not_a_500(technician, teacher):
    response = _client(technician).post("/loaners/", {"loaner": "", "borrower": teacher.pk, "due_back": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_overdue_loans_are_listed_apart(technician, teacher, school):
    loaner = factories.AssetFactory(tag="LOAN-2", status=Asset.Status.LOANER, school=school)
    loan = services.check_out_loaner(actor=technician, loaner=loaner, borrower=teacher, due_back=timezone.localdate())
    Loan.objects.filter(pk=loan.pk).update(due_back=timezone.localdate() - timedelta(days=2))
    page = _client(technician).get("/loaners/")
    assert [lo.pk for lo in page.context["overdue"]] == [loan.pk]
    assert page.context["out"] == []


def test_director_adds_a_plan_from_the_page_and_technicians_cannot(director, technician, school):
    data = {"title": "Clean filters", "checklist": "Filter", "school": school.pk, "every_n_weeks": 4}
    data |= {"starts_on": timezone.localdate().isoformat(), "active": "on"}
    assert _client(technician).post("/maintenance/", data).status_code == 404
    assert _client(director).post("/maintenance/", data).status_code == 302
    assert MaintenancePlan.objects.get().tasks.count() >= 1
    bad = _client(director).post("/maintenance/", {**data, "every_n_weeks": 0})
    assert bad.status_code == 200 and bad.context["form"].errors
