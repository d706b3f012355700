"""Cost-effectiveness figures: what the devices cost the team. Every one is defined here, once.

Beside `surveys.metrics` (the tickets' own figures, which this module reuses for the
remote share) and with the same range semantics: `date_from`..`date_to` inclusive, in
the district's time zone. The dashboard's school filter narrows the devices and their
tickets; its technician and category filters do not apply to device figures.

- **devices**: devices the district looks after now: every status but retired and lost
  (in service, in repair, loaners), whoever owns them.
- **devices per technician**: those devices over the active members of the technician
  group (directors not counted).
- **device tickets per 100 devices**: tickets filed in the range on a device (`Ticket.asset`),
  per 100 devices, grouped by the device's school and by its model. Tickets about
  accounts or the network, with no device, are not in it.
- **repeat-repair devices**: devices with REPEAT_TICKETS or more tickets filed in the
  REPEAT_WINDOW_DAYS days up to the range's end.
- **warranties ending**: devices whose warranty ends from today through the next
  WARRANTY_ENDING_DAYS days (the asset page's "ending" badge, `devices.models`).
- **vendor turnaround**: mean days from sending a case to the vendor to its return, over the
  cases sent in the range and returned (the vendors page's mean, over the range); and how
  many of those cases are still out.
- **remote share**: `metrics.derive`'s `remote_pct` (closed tickets worked remotely, of those
  with a service mode); on-site is the rest.
- **maintenance done vs planned**: maintenance tasks due in the range per school: planned
  (all of them), done, skipped; done % = done / planned.

A fixed number of queries whatever the data: devices, device tickets, repeat repairs,
technicians, vendor cases, maintenance (six); the CSV adds the rollup's counters.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from devices.models import WARRANTY_ENDING_DAYS, Asset, MaintenanceTask
from schools.roles import TECHNICIAN
from surveys import metrics
from tickets.models import Ticket, VendorCase

REPEAT_TICKETS = 3
REPEAT_WINDOW_DAYS = 90
LOOKED_AFTER = ~Q(status__in=[Asset.Status.RETIRED, Asset.Status.LOST])
REPEAT_LIST = 10


def per_100(tickets: int, devices: int) -> float | None:
    return round(100.0 * tickets / devices, 1) if devices else None


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Row:
    """One school or one model: its devices and what they cost."""

    id: Any
    name: str
    devices: int = 0
    device_tickets: int = 0
    repeat_repair_devices: int = 0
    warranties_ending: int = 0
    maintenance_planned: int = 0
    maintenance_done: int = 0
    maintenance_skipped: int = 0

    @property
    def tickets_per_100_devices(self) -> float | None:
        return per_100(self.device_tickets, self.devices)

    @property
    def maintenance_done_pct(self) -> float | None:
        return _pct(self.maintenance_done, self.maintenance_planned)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in self.__dataclass_fields__},
            "tickets_per_100_devices": self.tickets_per_100_devices,
            "maintenance_done_pct": self.maintenance_done_pct,
        }


@dataclass
class CostFigures:
    devices: int
    technicians: int
    device_tickets: int
    repeat_repair_devices: int
    warranties_ending: int
    vendor_cases_returned: int
    vendor_cases_out: int
    vendor_turnaround_days: float | None
    remote_pct: float | None
    by_school: list[Row] = field(default_factory=list)
    by_model: list[Row] = field(default_factory=list)
    # The devices with the most tickets in the window, most first: (asset id, tag, school, tickets).
    repeat_devices: list[dict[str, Any]] = field(default_factory=list)

    @property
    def devices_per_technician(self) -> float | None:
        return round(self.devices / self.technicians, 1) if self.technicians else None

    @property
    def tickets_per_100_devices(self) -> float | None:
        return per_100(self.device_tickets, self.devices)

    @property
    def onsite_pct(self) -> float | None:
        return None if self.remote_pct is None else round(100.0 - self.remote_pct, 1)

    def district_rows(self) -> list[tuple[str, Any]]:
        """The district's figures as (name, value), for the CSV."""
        names = ["devices", "technicians", "devices_per_technician", "device_tickets", "tickets_per_100_devices"]
        names += ["repeat_repair_devices", "warranties_ending", "vendor_cases_returned", "vendor_cases_out"]
        names += ["vendor_turnaround_days", "remote_pct", "onsite_pct"]
        return [(name, getattr(self, name)) for name in names]


def _devices(filters: metrics.Filters) -> QuerySet[Asset]:
    assets = Asset.objects.filter(LOOKED_AFTER)
    return assets if filters.school is None else assets.filter(school_id=filters.school)


def _device_tickets(filters: metrics.Filters) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(asset__isnull=False)
    return tickets if filters.school is None else tickets.filter(asset__school_id=filters.school)


def figures(filters: metrics.Filters, *, remote_pct: float | None, today: date | None = None) -> CostFigures:
    """Every cost figure for the range, per school and per model too. `remote_pct` is
    `metrics.derive`'s (the dashboard's headline has it; `csv_rows` asks the rollup)."""
    today = today or timezone.localdate()
    start, end = metrics.local_bounds(filters.date_from, filters.date_to)
    schools: dict[Any, Row] = {}
    models: dict[str, Row] = {}

    def school(pk: Any, name: str | None) -> Row:
        return schools.setdefault(pk, Row(pk, name or ""))

    def model(name: str) -> Row:
        return models.setdefault(name, Row(name, name))

    ending = Q(warranty_end__gte=today, warranty_end__lte=today + timedelta(days=WARRANTY_ENDING_DAYS))
    for counted in (
        _devices(filters)
        .values("school_id", "school__name", "model")
        .annotate(n=Count("pk"), ending=Count("pk", filter=ending))
    ):
        for target in (school(counted["school_id"], counted["school__name"]), model(counted["model"])):
            target.devices += counted["n"]
            target.warranties_ending += counted["ending"]

    in_range = _device_tickets(filters).filter(created_at__gte=start, created_at__lt=end)
    for filed in in_range.values("asset__school_id", "asset__school__name", "asset__model").annotate(n=Count("pk")):
        school(filed["asset__school_id"], filed["asset__school__name"]).device_tickets += filed["n"]
        model(filed["asset__model"]).device_tickets += filed["n"]

    window = _device_tickets(filters).filter(
        created_at__gte=end - timedelta(days=REPEAT_WINDOW_DAYS), created_at__lt=end
    )
    repeats = list(
        window.values("asset_id", "asset__tag", "asset__school_id", "asset__school__name", "asset__model")
        .annotate(n=Count("pk"))
        .filter(n__gte=REPEAT_TICKETS)
        .order_by("-n", "asset__tag")
    )
    for repeat in repeats:
        school(repeat["asset__school_id"], repeat["asset__school__name"]).repeat_repair_devices += 1
        model(repeat["asset__model"]).repeat_repair_devices += 1

    tasks = MaintenanceTask.objects.filter(due_on__gte=filters.date_from, due_on__lte=filters.date_to)
    if filters.school is not None:
        tasks = tasks.filter(school_id=filters.school)
    for planned in tasks.values("school_id", "school__name").annotate(
        planned=Count("pk"),
        done=Count("pk", filter=Q(status=MaintenanceTask.Status.DONE)),
        skipped=Count("pk", filter=Q(status=MaintenanceTask.Status.SKIPPED)),
    ):
        target = school(planned["school_id"], planned["school__name"])
        target.maintenance_planned += planned["planned"]
        target.maintenance_done += planned["done"]
        target.maintenance_skipped += planned["skipped"]

    technicians = get_user_model().objects.filter(is_active=True, groups__name=TECHNICIAN).distinct().count()
    cases = VendorCase.objects.filter(sent_at__gte=start, sent_at__lt=end)
    if filters.school is not None:
        cases = cases.filter(ticket__school_id=filters.school)
    vendor = cases.aggregate(
        returned=Count("pk", filter=Q(returned_at__isnull=False)),
        out=Count("pk", filter=Q(returned_at__isnull=True)),
        mean=Avg(
            ExpressionWrapper(F("returned_at") - F("sent_at"), output_field=DurationField()),
            filter=Q(returned_at__isnull=False),
        ),
    )

    by_school = sorted(schools.values(), key=lambda r: (r.id is None, r.name))
    for row in by_school:
        if row.id is None:
            row.name = ""  # devices with no school: the template and the CSV say so
    by_model = sorted(models.values(), key=lambda r: (-(r.tickets_per_100_devices or 0), -r.devices, r.name))
    return CostFigures(
        devices=sum(r.devices for r in by_school),
        technicians=technicians,
        device_tickets=sum(r.device_tickets for r in by_school),
        repeat_repair_devices=len(repeats),
        warranties_ending=sum(r.warranties_ending for r in by_school),
        vendor_cases_returned=vendor["returned"],
        vendor_cases_out=vendor["out"],
        vendor_turnaround_days=None if vendor["mean"] is None else round(vendor["mean"].total_seconds() / 86400, 1),
        remote_pct=remote_pct,
        by_school=by_school,
        by_model=by_model,
        repeat_devices=[
            {"id": r["asset_id"], "tag": r["asset__tag"], "school": r["asset__school__name"] or "", "tickets": r["n"]}
            for r in repeats[:REPEAT_LIST]
        ],
    )


CSV_BREAKDOWNS = ("cost", "cost_school", "cost_model")
ROW_COLUMNS = [
    "devices",
    "device_tickets",
    "tickets_per_100_devices",
    "repeat_repair_devices",
    "warranties_ending",
    "maintenance_planned",
    "maintenance_done",
    "maintenance_skipped",
    "maintenance_done_pct",
]


def csv_rows(filters: metrics.Filters, by: str) -> list[list[Any]]:
    """The dashboard CSV's cost tables: `cost` (the district's figures, one a line),
    `cost_school` and `cost_model` (one school or model a line), each with its header first."""
    found = figures(filters, remote_pct=metrics.derive(metrics.rollup_counters(filters))["remote_pct"])
    if by == "cost":
        return [["figure", "value"], *[[name, value] for name, value in found.district_rows()]]
    label = "school" if by == "cost_school" else "model"
    rows = found.by_school if by == "cost_school" else found.by_model
    columns = ROW_COLUMNS if by == "cost_school" else ROW_COLUMNS[:4]
    table = [["id", label, *columns]] if by == "cost_school" else [[label, *columns]]
    for row in rows:
        values = row.as_dict()
        cells = [values[c] for c in columns]
        table.append([row.id, row.name, *cells] if by == "cost_school" else [row.name, *cells])
    return table


def maintenance_by_school(rows: list[Row]) -> list[Row]:
    """The schools with maintenance due in the range (the dashboard's done vs planned table)."""
    return [row for row in rows if row.maintenance_planned]
