"""Every write to devices, loaners and maintenance, for pages, the API, commands and tasks alike.

Services take keyword-only arguments and raise a `schools.errors.DomainError` (a field at
fault: 400 in the API, a form message on a page) or its `PermissionDenied` (403).
"""

from bisect import bisect_left
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from devices.models import Asset, AssetAssignment, Loan, MaintenancePlan, MaintenanceTask
from schools.calendar import get_calendar
from schools.errors import DomainError, PermissionDenied
from schools.models import School, Visit
from schools.roles import is_director, is_staff_member

ASSET_FIELDS = (
    "tag",
    "serial",
    "kind",
    "model",
    "school",
    "room",
    "assigned_to",
    "owner",
    "status",
    "purchased_on",
    "warranty_end",
    "vendor",
)
# A change of any of these closes the holder's row in the history and opens a new one.
HOLDER_FIELDS = ("assigned_to", "school", "room")


def _require_staff(actor: User, message: str) -> None:
    if not is_staff_member(actor):
        raise PermissionDenied(message)


# --- devices -----------------------------------------------------------------------


def save_asset(*, actor: User | None, asset: Asset | None = None, changes: dict[str, Any]) -> Asset:
    """Add a device or change one. A new holder (person, school or room) is recorded in its history.

    `actor` None is the system (the importer); otherwise technicians and directors only.
    """
    if actor is not None:
        _require_staff(actor, _("Only the help desk team can change devices."))
    unknown = set(changes) - set(ASSET_FIELDS)
    if unknown:
        raise DomainError(errors={name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    creating = asset is None
    asset = asset or Asset()
    before = {name: getattr(asset, f"{name}_id" if name != "room" else name) for name in HOLDER_FIELDS}
    for name, value in changes.items():
        setattr(asset, name, value.strip() if isinstance(value, str) else value)
    if not asset.tag:
        raise DomainError(errors={"tag": [_("Give the device its asset tag.")]})
    if Asset.objects.exclude(pk=asset.pk).filter(tag__iexact=asset.tag).exists():
        raise DomainError(errors={"tag": [_("Another device already has this tag.")]})
    if asset.purchased_on and asset.warranty_end and asset.warranty_end < asset.purchased_on:
        raise DomainError(errors={"warranty_end": [_("The warranty cannot end before the purchase.")]})
    after = {name: getattr(asset, f"{name}_id" if name != "room" else name) for name in HOLDER_FIELDS}
    with transaction.atomic():
        try:
            with transaction.atomic():
                asset.save()
        except IntegrityError:  # a concurrent save took the tag between the check and the write
            raise DomainError(errors={"tag": [_("Another device already has this tag.")]}) from None
        if creating or before != after:
            record_holder(asset=asset, actor=actor)
    return asset


def record_holder(*, asset: Asset, actor: User | None, at: Any = None) -> AssetAssignment | None:
    """Close the device's open history row and open one for its present holder (if it has one)."""
    at = at or timezone.now()
    AssetAssignment.objects.filter(asset=asset, ended_at__isnull=True).update(ended_at=at)
    if asset.assigned_to_id is None and asset.school_id is None:
        return None
    return AssetAssignment.objects.create(
        asset=asset,
        person_id=asset.assigned_to_id,
        school_id=asset.school_id,
        room=asset.room,
        started_at=at,
        changed_by=actor,
    )


def find_asset(*, tag: str = "", asset_id: int | None = None) -> Asset | None:
    """The device a ticket names, by id or by tag (case-insensitive); None when unknown."""
    if asset_id is not None:
        return Asset.objects.filter(pk=asset_id).first()
    tag = (tag or "").strip()
    if not tag:
        return None
    return Asset.objects.filter(tag__iexact=tag).first()


# --- loaners -------------------------------------------------------------------------


def check_out_loaner(
    *,
    actor: User,
    loaner: Asset,
    borrower: User,
    due_back: date,
    for_asset: Asset | None = None,
    note: str = "",
    today: date | None = None,
) -> Loan:
    """Lend a loaner while the borrower's own device is in repair (the device goes to `in_repair`)."""
    _require_staff(actor, _("Only the help desk team can lend loaners."))
    today = today or timezone.localdate()
    if loaner.status != Asset.Status.LOANER:
        raise DomainError(errors={"loaner": [_("This device is not a loaner.")]})
    if due_back < today:
        raise DomainError(errors={"due_back": [_("The due date cannot be in the past.")]})
    if for_asset is not None and for_asset.pk == loaner.pk:
        raise DomainError(errors={"for_asset": [_("A loaner cannot stand in for itself.")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    loaner=loaner,
                    borrower=borrower,
                    for_asset=for_asset,
                    due_back=due_back,
                    note=(note or "").strip(),
                    checked_out_by=actor,
                )
        except IntegrityError:
            raise DomainError(errors={"loaner": [_("This loaner is already lent out.")]}) from None
        if for_asset is not None and for_asset.status == Asset.Status.IN_SERVICE:
            Asset.objects.filter(pk=for_asset.pk).update(status=Asset.Status.IN_REPAIR, updated_at=timezone.now())
            for_asset.status = Asset.Status.IN_REPAIR
    return loan


def check_in_loaner(*, actor: User, loan: Loan) -> Loan:
    """The loaner is back. Claimed by a conditional UPDATE so two check-ins record one."""
    _require_staff(actor, _("Only the help desk team can check loaners in."))
    now = timezone.now()
    claimed = Loan.objects.filter(pk=loan.pk, checked_in_at__isnull=True).update(checked_in_at=now, checked_in_by=actor)
    if claimed != 1:
        raise DomainError(errors={"loan": [_("This loaner is already checked in.")]})
    loan.refresh_from_db()
    return loan


# --- maintenance -----------------------------------------------------------------------

PLAN_FIELDS = ("title", "checklist", "school", "every_n_weeks", "starts_on", "active")
MAX_PLAN_WEEKS = 52


def save_plan(
    *, actor: User, plan: MaintenancePlan | None = None, changes: dict[str, Any], today: date | None = None
) -> MaintenancePlan:
    """The director adds or changes a maintenance plan; its tasks are scheduled at once."""
    if not is_director(actor):
        raise PermissionDenied(_("Only the IT director can change maintenance plans."))
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise DomainError(errors={name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    plan = plan or MaintenancePlan()
    for name, value in changes.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    if not plan.title:
        errors["title"] = [_("Give the plan a title.")]
    if not 1 <= int(plan.every_n_weeks or 0) <= MAX_PLAN_WEEKS:
        errors["every_n_weeks"] = [_("Repeat every 1 to %(n)d weeks.") % {"n": MAX_PLAN_WEEKS}]
    if plan.starts_on is None:
        errors["starts_on"] = [_("Say when the plan starts.")]
    if errors:
        raise DomainError(errors=errors)
    with transaction.atomic():
        plan.save()
        if not plan.active:
            # A paused plan keeps its history but leaves no planned work behind.
            plan.tasks.filter(status=MaintenanceTask.Status.PLANNED, due_on__gte=today or timezone.localdate()).delete()
        schedule_maintenance(plans=[plan], today=today)
    return plan


def due_dates(plan: MaintenancePlan, *, first: date, last: date) -> list[date]:
    """The plan's due dates in [first, last]: starts_on, then every N weeks."""
    step = timedelta(weeks=plan.every_n_weeks)
    if first <= plan.starts_on:
        day = plan.starts_on
    else:
        periods = -(-(first - plan.starts_on).days // step.days)  # ceiling division
        day = plan.starts_on + periods * step
    dates = []
    while day <= last:
        dates.append(day)
        day += step
    return dates


def schedule_maintenance(*, plans: list[MaintenancePlan] | None = None, today: date | None = None) -> int:
    """Create each active plan's tasks up to the visit horizon and put planned tasks on visits.

    A task goes on its school's first planned visit on or after it falls due; one whose
    visit has passed with the task still planned moves to the next planned visit from
    today. A plan without a school makes one task per school. Idempotent (the unique
    constraint on plan, school and due date), so the periodic task and a plan's save
    may both run it. Returns the number of tasks created. Queries do not grow with
    plans, schools or tasks.
    """
    today = today or timezone.localdate()
    last = today + timedelta(weeks=get_calendar().visit_horizon_weeks)
    if plans is None:
        plans = list(MaintenancePlan.objects.filter(active=True))
    plans = [plan for plan in plans if plan.active]
    all_school_ids: list[int] | None = None
    new_tasks = []
    for plan in plans:
        # Only the occurrence now due (and later ones): an old plan does not leave years of backlog.
        first = max(plan.starts_on, today - timedelta(weeks=plan.every_n_weeks) + timedelta(days=1))
        dates = due_dates(plan, first=first, last=last)
        if plan.school_id is not None:
            school_ids = [plan.school_id]
        else:
            if all_school_ids is None:
                all_school_ids = list(School.objects.values_list("pk", flat=True))
            school_ids = all_school_ids
        new_tasks += [MaintenanceTask(plan=plan, school_id=s, due_on=d) for s in school_ids for d in dates]
    created = 0
    if new_tasks:
        # ignore_conflicts hides which rows were new, so count before and after.
        existing = MaintenanceTask.objects.filter(plan__in=plans)
        before = existing.count()
        MaintenanceTask.objects.bulk_create(new_tasks, ignore_conflicts=True, batch_size=1000)
        created = existing.count() - before
    attach_tasks_to_visits(today=today, plan_ids=[plan.pk for plan in plans] if plans else None)
    return created


def attach_tasks_to_visits(*, today: date, plan_ids: list[int] | None = None) -> int:
    """Planned tasks without a visit, or whose visit passed undone, go on the next planned visit."""
    tasks = MaintenanceTask.objects.filter(status=MaintenanceTask.Status.PLANNED).filter(
        Q(visit__isnull=True) | Q(visit__date__lt=today) | ~Q(visit__status=Visit.Status.PLANNED)
    )
    if plan_ids is not None:
        tasks = tasks.filter(plan_id__in=plan_ids)
    waiting = list(tasks.only("pk", "school_id", "due_on", "visit_id"))
    if not waiting:
        return 0
    visits: dict[int, list[tuple[date, int]]] = defaultdict(list)
    rows = (
        Visit.objects.filter(
            school_id__in={task.school_id for task in waiting}, status=Visit.Status.PLANNED, date__gte=today
        )
        .order_by("school_id", "date", "pk")
        .values_list("school_id", "date", "pk")
    )
    for school_id, day, pk in rows:
        visits[school_id].append((day, pk))
    changed = []
    for task in waiting:
        school_visits = visits.get(task.school_id, [])
        index = bisect_left(school_visits, (max(task.due_on, today), 0))
        visit_id = school_visits[index][1] if index < len(school_visits) else None
        if visit_id != task.visit_id:
            task.visit_id = visit_id
            changed.append(task)
    MaintenanceTask.objects.bulk_update(changed, ["visit"], batch_size=500)
    return len(changed)


def finish_task(*, actor: User, task: MaintenanceTask, done: bool, note: str = "") -> MaintenanceTask:
    """Mark a planned task done, or skipped (a skip needs a note saying why)."""
    _require_staff(actor, _("Only the help desk team can record maintenance."))
    note = (note or "").strip()
    if not done and not note:
        raise DomainError(errors={"note": [_("Say why the task was skipped.")]})
    status = MaintenanceTask.Status.DONE if done else MaintenanceTask.Status.SKIPPED
    # Conditional UPDATE: two technicians pressing at once record it once.
    claimed = MaintenanceTask.objects.filter(pk=task.pk, status=MaintenanceTask.Status.PLANNED).update(
        status=status, note=note, done_by=actor, done_at=timezone.now()
    )
    if claimed != 1:
        raise DomainError(errors={"status": [_("This task is already recorded.")]})
    task.refresh_from_db()
    return task
