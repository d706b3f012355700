"""Cost-effectiveness figures (surveys/cost.py) against a small district computed by hand.

School A: four Dell M1 devices in service (a1-a4) and one retired M1; school B: two M2 (b1, b2).
Range: the last 30 days. Two active technicians (an inactive one and a director do not count).

Device tickets in the range: a1 2, a2 2, the retired one 1 (A: 5); b1 1 (B: 1); one without a device.
a1 also had one 60 days ago (3 in 90 days: a repeat); b1 two 100 days ago (outside the window).
Warranties: a4 ends in 30 days and b1 in exactly 90 (ending); a3 in 120 days, b2 yesterday (not).
Vendor cases sent in the range: 4 and 2 days out and back (mean 3.0), one still out; one sent 40 days ago.
Maintenance due in the range: A done, skipped, planned; B done; one at A due after the range.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from devices.models import Asset, MaintenancePlan, MaintenanceTask
from schools.roles import TECHNICIAN
from surveys import cost, metrics
from tests import factories
from tickets.models import Ticket, Vendor, VendorCase


@pytest.fixture
def district(db, category):
    today = timezone.localdate()
    now = timezone.now()
    a, b = factories.SchoolFactory(name="Adams"), factories.SchoolFactory(name="Brook")
    teacher = factories.UserFactory(profile__school=a)
    tech = factories.TechnicianFactory()
    factories.TechnicianFactory()
    factories.TechnicianFactory(is_active=False)
    assert Group.objects.get(name=TECHNICIAN).user_set.count() == 3
    m1 = {"school": a, "model": "M1"}
    a1, a2 = factories.AssetFactory(tag="A1", **m1), factories.AssetFactory(tag="A2", **m1)
    factories.AssetFactory(tag="A3", warranty_end=today + timedelta(days=120), **m1)
    factories.AssetFactory(tag="A4", warranty_end=today + timedelta(days=30), **m1)
    retired = factories.AssetFactory(tag="A5", status=Asset.Status.RETIRED, **m1)
    b1 = factories.AssetFactory(tag="B1", school=b, model="M2", warranty_end=today + timedelta(days=90))
    factories.AssetFactory(tag="B2", school=b, model="M2", warranty_end=today - timedelta(days=1))

    def ticket(asset: Asset | None, days_ago: int) -> Ticket:
        made = factories.TicketFactory(requester=teacher, category=category, asset_tag=asset.tag if asset else "")
        Ticket.objects.filter(pk=made.pk).update(created_at=now - timedelta(days=days_ago))
        return made

    ticket(a1, 5)
    ticket(a1, 10)
    ticket(a1, 60)
    ticket(a2, 3)
    ticket(a2, 20)
    ticket(retired, 7)
    ticket(b1, 1)
    ticket(b1, 100)
    ticket(b1, 101)
    ticket(None, 2)

    vendor = Vendor.objects.create(name="Dell")
    for days_out, days_back in ((10, 6), (20, 18), (3, None), (40, 30)):
        case = VendorCase.objects.create(
            ticket=ticket(a2, 1),
            vendor=vendor,
            case_number="RMA",
            created_by=tech,
            sent_at=now - timedelta(days=days_out),
            returned_at=None if days_back is None else now - timedelta(days=days_back),
        )
        assert case.pk
    # The vendor cases' tickets are device tickets too: a2 has 4 more in the range (one 40 days ago is not).

    plan_a = MaintenancePlan.objects.create(title="Filters", school=a, starts_on=today - timedelta(days=60))
    plan_b = MaintenancePlan.objects.create(title="Filters", school=b, starts_on=today - timedelta(days=60))
    for days_ago, status in ((20, "done"), (13, "skipped"), (6, "planned"), (-10, "done")):
        MaintenanceTask.objects.create(plan=plan_a, school=a, due_on=today - timedelta(days=days_ago), status=status)
    MaintenanceTask.objects.create(plan=plan_b, school=b, due_on=today - timedelta(days=2), status="done")
    filters = metrics.Filters(date_from=today - timedelta(days=29), date_to=today)
    return {"a": a, "b": b, "a1": a1, "filters": filters}


def test_district_figures_match_the_hand_count(district):
    found = cost.figures(district["filters"], remote_pct=40.0)
    # Devices: A 4 (not the retired one) + B 2. Device tickets in range: A 5 + 4 (vendor cases) = 9, B 1.
    assert (found.devices, found.technicians, found.devices_per_technician) == (6, 2, 3.0)
    assert (found.device_tickets, found.tickets_per_100_devices) == (10, 166.7)
    # a1: 3 tickets in 90 days. a2: 2 + 4 = 6 in 90 days (one vendor ticket "1 day ago"): also a repeat.
    assert found.repeat_repair_devices == 2
    assert [(d["tag"], d["tickets"]) for d in found.repeat_devices] == [("A2", 6), ("A1", 3)]
    assert found.warranties_ending == 2
    assert (found.vendor_turnaround_days, found.vendor_cases_returned, found.vendor_cases_out) == (3.0, 2, 1)
    assert (found.remote_pct, found.onsite_pct) == (40.0, 60.0)


def test_per_school_and_per_model_with_maintenance_done_vs_planned(district):
    found = cost.figures(district["filters"], remote_pct=None)
    adams, brook = found.by_school
    assert (adams.name, adams.devices, adams.device_tickets, adams.tickets_per_100_devices) == ("Adams", 4, 9, 225.0)
    assert (adams.repeat_repair_devices, adams.warranties_ending) == (2, 1)
    assert (adams.maintenance_planned, adams.maintenance_done, adams.maintenance_skipped) == (3, 1, 1)
    assert adams.maintenance_done_pct == 33.3
    assert (brook.devices, brook.device_tickets, brook.tickets_per_100_devices, brook.warranties_ending) == (
        2,
        1,
        50.0,
        1,
    )
    assert (brook.maintenance_planned, brook.maintenance_done_pct) == (1, 100.0)
    assert [(m.name, m.devices, m.device_tickets, m.tickets_per_100_devices) for m in found.by_model] == [
        ("M1", 4, 9, 225.0),
        ("M2", 2, 1, 50.0),
    ]


def test_the_school_filter_narrows_devices_tickets_and_maintenance(district):
    filters = metrics.Filters(
        date_from=district["filters"].date_from, date_to=district["filters"].date_to, school=district["b"].pk
    )
    found = cost.figures(filters, remote_pct=None)
    assert (found.devices, found.device_tickets, found.warranties_ending, found.repeat_repair_devices) == (2, 1, 1, 0)
    assert [row.name for row in found.by_school] == ["Brook"]


def test_no_devices_gives_empty_figures_not_errors(db):
    today = timezone.localdate()
    found = cost.figures(metrics.Filters(date_from=today, date_to=today), remote_pct=None)
    assert (found.devices, found.devices_per_technician, found.tickets_per_100_devices) == (0, None, None)
    assert found.vendor_turnaround_days is None and found.by_school == []


def _csv(client, director, district, by):
    client.force_login(director)
    f = district["filters"]
    query = {
        "period": "custom",
        "date_from": f.date_from.isoformat(),
        "date_to": f.date_to.isoformat(),
        "breakdown": by,
    }
    response = client.get(reverse("dashboard-export"), query)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_dashboard_csv_carries_the_cost_tables(client, director, district):
    district_rows = dict(_csv(client, director, district, "cost")[1:])
    assert district_rows["devices_per_technician"] == "3.0" and district_rows["tickets_per_100_devices"] == "166.7"
    assert district_rows["vendor_turnaround_days"] == "3.0" and district_rows["remote_pct"] == ""
    schools = _csv(client, director, district, "cost_school")
    assert schools[0][:3] == ["id", "school", "devices"] and "maintenance_done_pct" in schools[0]
    assert schools[1][1:5] == ["Adams", "4", "9", "225.0"] and schools[1][-1] == "33.3"
    models = _csv(client, director, district, "cost_model")
    assert models == [
        ["model", "devices", "device_tickets", "tickets_per_100_devices", "repeat_repair_devices"],
        ["M1", "4", "9", "225.0", "2"],
        ["M2", "2", "1", "50.0", "0"],
    ]


def test_the_dashboard_shows_the_cost_section(client, director, district):
    client.force_login(director)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert page.context["cost"].devices == 6
    html = page.content.decode()
    assert "Devices and cost-effectiveness" in html and "Maintenance planned" in html
