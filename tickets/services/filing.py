"""Filing a ticket and changing its triage fields."""

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from notifications import outbox, preferences
from schools.calendar import district_reference
from schools.models import Profile, School
from schools.roles import is_campus_contact, is_staff_member
from schools.translated import in_reader_language
from tickets import routing, sla
from tickets.assets import link_device
from tickets.catalog import route
from tickets.errors import DomainError, PermissionDenied, StaleTicket
from tickets.models import (
    PRIORITY_RANK,
    Category,
    Ticket,
    TicketEvent,
    priority_for,
)
from tickets.services.rules import _email_requester, _lock

EDITABLE_FIELDS = (
    "category",
    "impact",
    "urgency",
    "service_mode",
    "asset_tag",
    "asset",
    "needed_by",
    "school",
    "device_owner",
)


def create_ticket(
    *,
    actor: User,
    title: str,
    description: str,
    category: Category,
    impact: str,
    urgency: str,
    school: School | None = None,
    requester: User | None = None,
    service_mode: str | None = None,
    asset_tag: str = "",
    asset: Any = None,
    device_owner: str = "",
    needed_by: date | None = None,
) -> Ticket:
    """File a ticket. The requester is the actor unless staff file on someone's behalf."""
    staff = is_staff_member(actor)
    if requester is None or not staff:
        requester = actor
    elif not requester.is_active:
        raise DomainError(
            gettext("That person's account is switched off; file it for someone active."), field="requester"
        )
    _check_needed_by(needed_by)
    if not category.in_scope:
        raise DomainError(
            in_reader_language(category, "guidance")
            or gettext("%(category)s is not handled by the help desk.") % {"category": category},
            field="category",
        )
    if school is None:
        school = _home_school(requester)
        if school is None:
            raise DomainError(gettext("Choose the school this is for."), field="school")
    elif not staff and not _may_file_for(actor, school):
        raise DomainError(gettext("You can file requests only for your own school."), field="school")
    priority = priority_for(impact, urgency)
    device = link_device({"asset": asset} if asset is not None and staff else {"asset_tag": asset_tag})
    with transaction.atomic():
        # The calendar row; the calendar, targets and desk settings come with it (one query).
        reference = district_reference()
        ticket = Ticket(
            title=title.strip(),
            description=description.strip(),
            school=school,
            queue=route(school=school, category=category),
            category=category,
            impact=impact,
            urgency=urgency,
            priority=priority,
            priority_rank=PRIORITY_RANK[priority],
            requester=requester,
            service_mode=service_mode,
            asset_tag=device["asset_tag"],
            asset=device["asset"],
            device_owner=device_owner or "",
            needed_by=needed_by,
        )
        sla.apply_due_dates(ticket, reference=reference)
        # Everything is decided before the one INSERT; the history follows in one more.
        events = [
            TicketEvent(
                ticket=ticket,
                actor=actor,
                kind=TicketEvent.Kind.CREATED,
                data={"priority": priority, "queue": ticket.queue.name},
            )
        ]
        assigned_because = routing.auto_assign(ticket, events=events, reference=reference)
        routing.place_on_site(ticket, actor=actor, events=events)
        ticket.save()
        TicketEvent.objects.bulk_create(events)
        # Whether each wants the email: both people's choices in one query.
        preferences.load_muted([ticket.assignee if assigned_because else None, ticket.requester])
        with outbox.one_handover():  # the technician's and the requester's emails: one message
            if assigned_because:
                routing.email_auto_assignee(ticket, assigned_because)
            _email_requester(ticket, "acknowledgement", "tickets/email/acknowledgement", starts_thread=True)
    return ticket


def _check_needed_by(needed_by: date | None) -> None:
    """A needed-by date is today or later in the district's time zone (filing and triage alike)."""
    if needed_by is not None and needed_by < timezone.localdate():
        raise DomainError(gettext("Pick today or a later date."), field="needed_by")


def _home_school(user: User) -> School | None:
    """The user's school and its queue, with the profile in the same query. The profile
    stays on the user, so the acknowledgement finds their language without another."""
    profile = Profile.objects.select_related("school__queue").filter(user=user).first()
    if profile is None:
        return None
    user.profile = profile
    return profile.school


def _may_file_for(user: User, school: School) -> bool:
    profile = getattr(user, "profile", None)
    return (profile is not None and profile.school_id == school.pk) or is_campus_contact(user, school)


def update_ticket(
    *, actor: User, ticket: Ticket, changes: dict[str, Any], expected_version: int | None = None
) -> Ticket:
    """Staff change a ticket's triage fields; priority follows impact and urgency.

    With `expected_version`, a save from a stale page is refused instead of
    silently overwriting a colleague's change.
    """
    if not is_staff_member(actor):
        raise PermissionDenied(gettext("Only the help desk team can change a ticket's details."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            gettext("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if changes.get("needed_by") is not None and changes["needed_by"] != ticket.needed_by:
        _check_needed_by(changes["needed_by"])  # an old date left as it was does not block other edits
    changes = link_device(changes)
    with transaction.atomic():
        ticket = _lock(ticket)
        if expected_version is not None and expected_version != ticket.version:
            raise StaleTicket()
        diff: dict[str, list[Any]] = {}
        was_dispatched = routing.is_dispatched(ticket)
        for field, value in changes.items():
            old = getattr(ticket, field)
            if old != value:
                diff[field] = [_plain(old), _plain(value)]
                setattr(ticket, field, value)
        if not diff:
            return ticket
        if "category" in diff and isinstance(changes.get("category"), Category) and not changes["category"].in_scope:
            raise DomainError(gettext("That category is outside what the help desk supports."), field="category")
        priority = priority_for(ticket.impact, ticket.urgency)
        if priority != ticket.priority:
            diff["priority"] = [ticket.priority, priority]
            ticket.priority = priority
            ticket.priority_rank = PRIORITY_RANK[priority]
        if "school" in diff or "category" in diff:
            queue = route(school=ticket.school, category=ticket.category)
            if queue.pk != ticket.queue_id:
                diff["queue"] = [ticket.queue.name, queue.name]
                ticket.queue = queue
        if "priority" in diff:
            sla.apply_due_dates(ticket)
        events: list[TicketEvent] = []
        if {"service_mode", "priority", "school"} & set(diff):
            diff.update(routing.place_on_site(ticket, actor=actor, events=events, was_dispatched=was_dispatched))
        ticket.version += 1
        ticket.save()
        events.append(TicketEvent(ticket=ticket, actor=actor, kind=TicketEvent.Kind.UPDATED, data={"changes": diff}))
        TicketEvent.objects.bulk_create(events)
    return ticket


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
