"""seed_demo's devices: laptops, Chromebook carts, projectors, printers, loaners, tickets on them, maintenance."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from demo.district import SIGN_IN
from devices.models import Asset, AssetAssignment, Loan, MaintenancePlan, MaintenanceTask
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

SCHOOLS, TICKETS = 4, 400


@pytest.fixture
def seeded() -> str:
    out = StringIO()
    call_command("seed_demo", schools=SCHOOLS, tickets=TICKETS, seed=5, stdout=out)
    return out.getvalue()


def test_about_one_device_per_student_and_teacher_of_every_kind(seeded):
    kinds = dict(Asset.objects.values_list("kind").annotate(n=Count("pk")))
    assert set(kinds) == {"laptop", "chromebook", "projector", "printer"}
    assert kinds["chromebook"] >= 3 * kinds["laptop"] and kinds["printer"] == 2 * SCHOOLS
    # Every teacher has their own laptop, and its holder history says so.
    laptops = Asset.objects.filter(kind="laptop")
    assert laptops.filter(assigned_to__isnull=False).count() == laptops.count() > 0
    assert laptops.values("assigned_to").distinct().count() == laptops.count()
    assert not laptops.exclude(assigned_to__profile__school=F("school")).exists()
    assert laptops.filter(assigned_to__username=SIGN_IN["teacher"][0]).count() == 1
    assert AssetAssignment.objects.count() == Asset.objects.count()
    assert not Asset.objects.filter(Q(school__isnull=True) | Q(warranty_end__isnull=True) | Q(serial="")).exists()
    # Some warranties have ended, some have not.
    today = timezone.localdate()
    assert Asset.objects.filter(warranty_end__lt=today).exists() and Asset.objects.filter(warranty_end__gte=today)
    assert "Devices: " in seeded and "loaners out" in seeded


def test_recent_hardware_tickets_are_on_devices_of_their_own_school(seeded):
    linked = Ticket.objects.filter(asset__isnull=False)
    assert linked.exists()
    assert not linked.exclude(school=F("asset__school")).exists()
    assert not linked.exclude(asset_tag=F("asset__tag")).exists()
    assert not linked.exclude(category__slug__in=["device", "printer", "av"]).exists()
    # A teacher's computer ticket is about their own laptop when they have one.
    own = linked.filter(category__slug="device", asset__kind="laptop")
    assert own.exists() and not own.exclude(requester=F("asset__assigned_to")).exists()
    # Bounded by the number of devices, whatever the number of tickets.
    assert linked.count() <= Asset.objects.count()


def test_loaners_are_out_for_devices_in_repair_and_one_is_overdue_or_due(seeded):
    out = Loan.objects.filter(checked_in_at__isnull=True)
    assert out.count() == (SCHOOLS + 1) // 2
    assert not out.exclude(loaner__status="loaner").exists()
    assert not out.exclude(for_asset__status="in_repair").exists()
    assert not out.exclude(borrower=F("for_asset__assigned_to")).exists()
    assert Loan.objects.filter(checked_in_at__isnull=False).count() == SCHOOLS


def test_maintenance_plans_have_past_tasks_on_visits_and_coming_ones_on_next_visits(seeded):
    assert MaintenancePlan.objects.count() == 3
    assert MaintenancePlan.objects.filter(school__isnull=True).count() == 2
    today = timezone.localdate()
    # Done or skipped in the last weeks (the occurrence due lately and not done yet rides on the next visit).
    past = MaintenanceTask.objects.filter(status__in=["done", "skipped"])
    assert past.filter(status="done").exists() and not past.filter(due_on__gte=today).exists()
    assert not past.exclude(done_by__groups__name="technician").exists()
    assert not MaintenanceTask.objects.filter(visit__isnull=False).exclude(visit__school=F("school")).exists()
    assert not MaintenanceTask.objects.filter(status="planned", visit__date__lt=today).exists()
    coming = MaintenanceTask.objects.filter(status="planned", visit__isnull=False)
    assert coming.exists() and not coming.filter(visit__date__lt=today).exists()


def test_flush_takes_the_devices_and_seeds_them_again(seeded):
    devices = Asset.objects.count()
    call_command("seed_demo", schools=SCHOOLS, tickets=TICKETS, seed=5, flush=True, stdout=StringIO())
    assert Asset.objects.count() == devices
    assert Loan.objects.filter(checked_in_at__isnull=True).count() == (SCHOOLS + 1) // 2
