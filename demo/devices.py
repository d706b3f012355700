"""The demo district's devices: one laptop per teacher, Chromebook carts, projectors, printers
and loaners at each school; recent hardware tickets linked to them; loaners out (some
overdue) for devices in repair; maintenance plans with past tasks done on visits and the
coming ones on the rotation's next visits.

Bulk writes like the rest of demo/, after the tickets: the number of tickets linked is
bounded by the number of devices, so `--tickets 1000000` costs no more here than 1,000.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from demo.district import District
from devices import services as device_services
from devices.models import Asset, AssetAssignment, Loan, MaintenancePlan, MaintenanceTask
from schools.models import Visit
from tickets.models import FamilyReport, Ticket

BATCH = 2000
CHROMEBOOKS_PER_TEACHER = 3  # carts in classrooms: about one device per student at small scale
LOANERS_PER_SCHOOL = 2
PRINTERS_PER_SCHOOL = 2
LINK_WINDOW = timedelta(days=180)  # tickets linked to devices: the recent ones
MODELS: dict[str, list[str]] = {
    Asset.Kind.CHROMEBOOK: ["Acer Chromebook 511", "Dell Chromebook 3110", "Lenovo 300e Chromebook Gen 4"],
    Asset.Kind.LAPTOP: ["Dell Latitude 3440", "HP ProBook 440 G10", "Lenovo ThinkPad E14"],
    Asset.Kind.PROJECTOR: ["Epson PowerLite 118", "Epson BrightLink 735Fi", "ViewSonic PS502W"],
    Asset.Kind.PRINTER: ["HP LaserJet Pro 4001n", "Brother HL-L6210DW", "Canon imageCLASS LBP246dw"],
}
PREFIX: dict[str, str] = {
    Asset.Kind.CHROMEBOOK: "CB",
    Asset.Kind.LAPTOP: "LT",
    Asset.Kind.PROJECTOR: "AV",
    Asset.Kind.PRINTER: "PR",
}
WARRANTY_YEARS: dict[str, int] = {
    Asset.Kind.CHROMEBOOK: 3,
    Asset.Kind.LAPTOP: 4,
    Asset.Kind.PROJECTOR: 3,
    Asset.Kind.PRINTER: 2,
}
VENDOR: dict[str, str] = {
    Asset.Kind.CHROMEBOOK: "CDW-G",
    Asset.Kind.LAPTOP: "Dell",
    Asset.Kind.PROJECTOR: "Epson",
    Asset.Kind.PRINTER: "HP",
}
# Ticket category -> the kinds of device its tickets are about.
CATEGORY_KINDS: dict[str, tuple[str, ...]] = {
    "device": (Asset.Kind.CHROMEBOOK,),  # or the requester's own laptop
    "printer": (Asset.Kind.PRINTER,),
    "av": (Asset.Kind.PROJECTOR,),
}
PLANS = [
    # title, checklist, every n weeks, only the first school
    (
        "Chromebook carts: charge, update, count",
        "Every cart plugged in and charging\nForce an update on devices more than a version behind\n"
        "Count devices against the cart list",
        4,
        False,
    ),
    (
        "Projector filters",
        "Clean or replace the air filter\nCheck the lamp hours\nTest HDMI and the document camera",
        8,
        False,
    ),
    ("Printer check", "Clear paper paths\nReplace toner below 20%\nPrint a test page", 2, True),
]


@dataclass
class DeviceResult:
    devices: int
    linked_tickets: int
    loans_out: int
    plans: int
    tasks: int


def flush_devices() -> None:
    """Before the demo's schools and people go: loans protect their borrowers, reports their devices."""
    FamilyReport.objects.all().delete()
    Loan.objects.all().delete()
    MaintenancePlan.objects.all().delete()
    AssetAssignment.objects.all().delete()
    Asset.objects.all().delete()


def seed_devices(*, rng: random.Random, district: District, now: datetime) -> DeviceResult:
    today = timezone.localdate(now)
    assets, holders = _make_assets(rng, district, today)
    Asset.objects.bulk_create(assets, batch_size=BATCH)
    AssetAssignment.objects.bulk_create(
        [
            AssetAssignment(
                asset=a,
                person_id=a.assigned_to_id,
                school_id=a.school_id,
                room=a.room,
                started_at=_at(a.purchased_on or today),
            )
            for a in assets
        ],
        batch_size=BATCH,
    )
    linked = _link_tickets(rng, assets, holders, now)
    loans = _lend_loaners(rng, district, assets, today, now)
    plans, tasks = _maintenance(rng, district, today, now)
    return DeviceResult(devices=len(assets), linked_tickets=linked, loans_out=loans, plans=plans, tasks=tasks)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=9))


def _make_assets(rng: random.Random, district: District, today: date) -> tuple[list[Asset], dict[int, Asset]]:
    """The devices, and each teacher's laptop by teacher id."""
    numbers: dict[str, int] = dict.fromkeys(PREFIX, 0)
    assets: list[Asset] = []
    laptops: dict[int, Asset] = {}

    def device(kind: str, school_id: int, room: str = "", holder: int | None = None, status: str = "") -> Asset:
        numbers[kind] += 1
        # Bought over the last five years; some warranties have ended, some end within 90 days.
        purchased = today - timedelta(days=rng.randrange(30, 5 * 365))
        asset = Asset(
            tag=f"{PREFIX[kind]}-{numbers[kind]:05d}",
            serial=f"{PREFIX[kind][0]}{rng.randrange(16**7):07X}",
            kind=kind,
            model=rng.choice(MODELS[kind]),
            school_id=school_id,
            room=room,
            assigned_to_id=holder,
            status=status or Asset.Status.IN_SERVICE,
            purchased_on=purchased,
            warranty_end=purchased + timedelta(days=365 * WARRANTY_YEARS[kind]),
            vendor=VENDOR[kind],
        )
        assets.append(asset)
        return asset

    for school in district.schools:
        teachers = district.teachers_by_school.get(school.pk, [])
        for n, teacher in enumerate(teachers):
            room = str(100 + n)
            laptops[teacher.pk] = device(Asset.Kind.LAPTOP, school.pk, room, teacher.pk)
            for _ in range(CHROMEBOOKS_PER_TEACHER):
                device(Asset.Kind.CHROMEBOOK, school.pk, room)
            if n % 2 == 0:
                device(Asset.Kind.PROJECTOR, school.pk, room)
        for n in range(PRINTERS_PER_SCHOOL):
            device(Asset.Kind.PRINTER, school.pk, "Office" if n == 0 else "Library")
        for _ in range(LOANERS_PER_SCHOOL):
            device(Asset.Kind.CHROMEBOOK, school.pk, "Office", status=Asset.Status.LOANER)
    return assets, laptops


def _link_tickets(rng: random.Random, assets: list[Asset], laptops: dict[int, Asset], now: datetime) -> int:
    """Recent hardware tickets point at a device of their school (a teacher's own laptop when
    they filed about a computer); at most about one ticket per device, whatever the ticket count."""
    by_school_kind: dict[tuple[int | None, str], list[Asset]] = {}
    for asset in assets:
        if asset.status == Asset.Status.IN_SERVICE:
            by_school_kind.setdefault((asset.school_id, asset.kind), []).append(asset)
    candidates = list(
        Ticket.objects.filter(
            created_at__gte=now - LINK_WINDOW, created_at__lte=now, category__slug__in=list(CATEGORY_KINDS)
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", "school_id", "requester_id", "category__slug")[: len(assets)]
    )
    updates = []
    for n, (pk, school_id, requester_id, slug) in enumerate(candidates):
        device: Asset | None = laptops.get(requester_id) if slug == "device" else None
        if device is None:
            pool = [a for kind in CATEGORY_KINDS[slug] for a in by_school_kind.get((school_id, kind), [])]
            if not pool:
                continue
            # Every fifth goes to the same device of its school and kind: the dashboard's repeat repairs.
            device = pool[0] if n % 5 == 0 else rng.choice(pool)
        updates.append((pk, device.pk, device.tag))
    _set_ticket_devices(updates)
    return len(updates)


def _set_ticket_devices(updates: list[tuple[int, int, str]]) -> None:
    """(ticket id, device id, tag) for each ticket. On PostgreSQL one UPDATE … FROM (VALUES …) per
    batch: for the 2,448 tickets of the default district bulk_update's CASE per row took 8.6 s, this
    2.3 s (load average 12; most of it is the ticket indexes each updated row touches)."""
    if connection.vendor != "postgresql":
        tickets = [Ticket(pk=pk, asset_id=asset_id, asset_tag=tag) for pk, asset_id, tag in updates]
        Ticket.objects.bulk_update(tickets, ["asset", "asset_tag"], batch_size=BATCH)
        return
    table = connection.ops.quote_name(Ticket._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(updates), BATCH):
            batch = updates[start : start + BATCH]
            rows = ", ".join(["(%s::bigint, %s::bigint, %s::text)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS t SET asset_id = v.asset_id, asset_tag = v.tag "  # noqa: S608 - our table
                f"FROM (VALUES {rows}) AS v(id, asset_id, tag) WHERE t.id = v.id",
                [value for row in batch for value in row],
            )


def _lend_loaners(rng: random.Random, district: District, assets: list[Asset], today: date, now: datetime) -> int:
    """At every other school a teacher's laptop is in repair and they have a loaner, one of them overdue;
    the other loaners were lent before and came back."""
    loaners: dict[int | None, list[Asset]] = {}
    for asset in assets:
        if asset.status == Asset.Status.LOANER:
            loaners.setdefault(asset.school_id, []).append(asset)
    laptops = {a.assigned_to_id: a for a in assets if a.kind == Asset.Kind.LAPTOP}
    loans, in_repair = [], []
    for n, school in enumerate(district.schools):
        teachers = district.teachers_by_school.get(school.pk, [])
        shelf = loaners.get(school.pk, [])
        technician_id = district.home_technician.get(school.pk) or district.technicians[0].pk
        if not teachers or not shelf:
            continue
        borrower = rng.choice(teachers)
        returned_at = now - timedelta(days=rng.randrange(20, 200))
        loans.append(
            Loan(
                loaner=shelf[-1],
                borrower_id=borrower.pk,
                due_back=timezone.localdate(returned_at),
                checked_out_at=returned_at - timedelta(days=10),
                checked_out_by_id=technician_id,
                checked_in_at=returned_at,
                checked_in_by_id=technician_id,
            )
        )
        if n % 2:
            continue
        laptop = laptops.get(borrower.pk)
        lent_days_ago = rng.randrange(2, 25)
        loans.append(
            Loan(
                loaner=shelf[0],
                borrower_id=borrower.pk,
                for_asset=laptop,
                due_back=today + timedelta(days=14 - lent_days_ago),  # overdue when lent over two weeks ago
                note="While the laptop is at the vendor",
                checked_out_at=now - timedelta(days=lent_days_ago),
                checked_out_by_id=technician_id,
            )
        )
        if laptop is not None:
            in_repair.append(laptop.pk)
    Loan.objects.bulk_create(loans, batch_size=BATCH)
    Asset.objects.filter(pk__in=in_repair).update(status=Asset.Status.IN_REPAIR)
    return sum(1 for loan in loans if loan.checked_in_at is None)


def _maintenance(rng: random.Random, district: District, today: date, now: datetime) -> tuple[int, int]:
    """The plans; their past tasks done (or skipped) on the visits of the last weeks; the coming
    ones put on the next visits by the same service the periodic task runs."""
    first_school = district.schools[0].pk
    plans = MaintenancePlan.objects.bulk_create(
        [
            MaintenancePlan(
                title=title,
                checklist=checklist,
                every_n_weeks=weeks,
                school_id=first_school if only_first else None,
                starts_on=today - timedelta(weeks=12),
                created_at=now - timedelta(weeks=12),
            )
            for title, checklist, weeks, only_first in PLANS
        ]
    )
    past_visits: dict[int, list[tuple[int, date, int]]] = {}
    for visit_id, school_id, day, technician_id in (
        Visit.objects.filter(date__gte=today - timedelta(weeks=12), date__lt=today)
        .order_by("date", "pk")
        .values_list("pk", "school_id", "date", "technician_id")
    ):
        past_visits.setdefault(school_id, []).append((visit_id, day, technician_id))
    tasks = []
    for plan in plans:
        step = timedelta(weeks=plan.every_n_weeks)
        # The occurrences before the one now due (schedule_maintenance makes that one and the coming ones).
        due_dates = []
        due = plan.starts_on
        while due <= today - step:
            due_dates.append(due)
            due += step
        schools = [plan.school_id] if plan.school_id else [s.pk for s in district.schools]
        for school_id in schools:
            fallback_technician = district.home_technician.get(school_id) or district.technicians[0].pk
            for due in due_dates:
                # Done on the school's first visit on or after its due date, when the demo has one.
                visit = next((v for v in past_visits.get(school_id, []) if due <= v[1] < due + step), None)
                on_visit: int | None = visit[0] if visit else None
                day, technician_id = (visit[1], visit[2]) if visit else (due, fallback_technician)
                done = rng.random() < 0.85
                tasks.append(
                    MaintenanceTask(
                        plan=plan,
                        school_id=school_id,
                        visit_id=on_visit,
                        due_on=due,
                        status=MaintenanceTask.Status.DONE if done else MaintenanceTask.Status.SKIPPED,
                        note="" if done else "No time: a projector outage took the visit.",
                        done_by_id=technician_id,
                        done_at=_at(day) + timedelta(hours=3),
                    )
                )
    MaintenanceTask.objects.bulk_create(tasks, batch_size=BATCH, ignore_conflicts=True)
    coming = device_services.schedule_maintenance(plans=plans, today=today)
    return len(plans), len(tasks) + coming
