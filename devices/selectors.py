"""Reads. Every list, detail and export of devices starts from `assets_visible_to`:
devices are the team's business, so a requester sees none of them."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from devices.models import Asset, AssetAssignment, Loan, MaintenancePlan, MaintenanceTask
from schools.models import Visit
from schools.roles import AnyUser, is_staff_member


def assets_visible_to(user: AnyUser) -> QuerySet[Asset]:
    if not is_staff_member(user):
        return Asset.objects.none()
    return Asset.objects.all()


def asset_list(user: AnyUser) -> QuerySet[Asset]:
    return assets_visible_to(user).select_related("school", "assigned_to")


def search_assets(assets: QuerySet[Asset], value: str) -> QuerySet[Asset]:
    """Tag or serial (either one, any case, part of it), or the holder's name or email."""
    value = (value or "").strip()
    if not value:
        return assets
    return assets.filter(
        Q(tag__icontains=value)
        | Q(serial__icontains=value)
        | Q(assigned_to__email__icontains=value)
        | Q(assigned_to__username__icontains=value)
        | Q(assigned_to__last_name__icontains=value)
        | Q(assigned_to__first_name__icontains=value)
    )


def asset_detail(user: AnyUser) -> QuerySet[Asset]:
    return asset_list(user).prefetch_related(
        Prefetch("assignments", queryset=AssetAssignment.objects.select_related("person", "school", "changed_by")),
        Prefetch("loans", queryset=Loan.objects.select_related("borrower").order_by("-checked_out_at")),
    )


def open_loans() -> QuerySet[Loan]:
    return Loan.objects.filter(checked_in_at__isnull=True).select_related(
        "loaner", "borrower", "for_asset", "checked_out_by"
    )


def overdue_loans(*, today: date | None = None) -> QuerySet[Loan]:
    return open_loans().filter(due_back__lt=today or timezone.localdate())


def loans_of(person: AnyUser) -> list[Loan]:
    """The loaners a person has now (their ticket page says which)."""
    if not person.is_authenticated:
        return []
    return list(open_loans().filter(borrower=person))


def loaner_pool() -> QuerySet[Asset]:
    """Loaners on the shelf: status `loaner` and not lent out."""
    return (
        Asset.objects.filter(status=Asset.Status.LOANER)
        .exclude(pk__in=Loan.objects.filter(checked_in_at__isnull=True).values("loaner_id"))
        .select_related("school")
        .order_by("tag")
    )


def plan_list() -> QuerySet[MaintenancePlan]:
    return MaintenancePlan.objects.select_related("school")


def task_list() -> QuerySet[MaintenanceTask]:
    return MaintenanceTask.objects.select_related("plan", "school", "visit__technician", "done_by")


def tasks_by_visit(visits: list[Visit]) -> dict[int, list[MaintenanceTask]]:
    """Maintenance tasks on these visits, in one query (the Today page)."""
    grouped: dict[int, list[MaintenanceTask]] = defaultdict(list)
    for task in task_list().filter(visit__in=[visit.pk for visit in visits]).order_by("due_on", "plan__title"):
        if task.visit_id is not None:  # always, by the filter
            grouped[task.visit_id].append(task)
    return grouped


def visits_with_maintenance_due(*, start: date, weeks: int) -> set[int]:
    """Visit ids in the window that carry planned maintenance (the coverage grid marks them)."""
    end = start + timedelta(weeks=weeks)
    return set(
        MaintenanceTask.objects.filter(
            status=MaintenanceTask.Status.PLANNED, visit__date__gte=start, visit__date__lt=end
        ).values_list("visit_id", flat=True)
    )
