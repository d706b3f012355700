"""Every write that matters to a ticket, in one place.

Pages, the API, admin actions, commands and tasks all call these functions. Each
takes keyword-only arguments, checks the rules, changes the ticket inside a
transaction with its row locked, writes the event in the same transaction and
queues email on commit. A refused change raises a `DomainError` and changes
nothing.
"""

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from notifications import outbox
from schools.calendar import district_reference
from schools.models import Profile, School
from schools.roles import is_staff_member, may_be_assigned
from schools.translated import in_reader_language
from tickets import routing, sla
from tickets.assets import link_device
from tickets.catalog import route
from tickets.errors import ClosedToReplies, DomainError, InvalidTransition, PermissionDenied, StaleTicket
from tickets.kb.selectors import is_readable_by_requesters
from tickets.models import (
    PRIORITY_RANK,
    Article,
    Category,
    Comment,
    Ticket,
    TicketEvent,
    priority_for,
)
from tickets.signals import ticket_closed

Status = Ticket.Status

# The one transitions table: which statuses each action may start from, and where
# it leads. Keyed by action rather than by status because two actions (assign and
# reopen) lead to the same status from different places.
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "assign": (set(Ticket.OPEN_STATUSES), Status.ASSIGNED),
    "start": ({Status.NEW, Status.ASSIGNED, Status.WAITING}, Status.IN_PROGRESS),
    "wait": ({Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS}, Status.WAITING),
    "resolve": (set(Ticket.OPEN_STATUSES), Status.RESOLVED),
    "close": ({*Ticket.OPEN_STATUSES, Status.RESOLVED}, Status.CLOSED),
    "reopen": ({Status.RESOLVED, Status.CLOSED}, Status.ASSIGNED),
}
# What a requester (or their school's campus contact) may do, and from where.
REQUESTER_TRANSITIONS: dict[str, set[str]] = {
    "close": {Status.RESOLVED},
    "reopen": {Status.RESOLVED},
}

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


# --- helpers -----------------------------------------------------------------


def acts_for_requester(user: User, ticket: Ticket) -> bool:
    """The requester, or the campus contact of the ticket's school."""
    if not user.is_authenticated:
        return False
    if ticket.requester_id == user.pk:
        return True
    return ticket.school.campus_contact_id == user.pk


def allowed_actions(user: User, ticket: Ticket) -> list[str]:
    """The actions this user could take on the ticket now; pages show these buttons."""
    if is_staff_member(user):
        return [action for action, (sources, _) in TRANSITIONS.items() if ticket.status in sources]
    if acts_for_requester(user, ticket):
        return [action for action, sources in REQUESTER_TRANSITIONS.items() if ticket.status in sources]
    return []


def _lock(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("school", "requester", "assignee")
        .get(pk=ticket.pk)
    )


def _check(action: str, *, actor: User, ticket: Ticket) -> None:
    sources, _target = TRANSITIONS[action]
    if is_staff_member(actor):
        allowed = sources
    elif acts_for_requester(actor, ticket) and action in REQUESTER_TRANSITIONS:
        allowed = REQUESTER_TRANSITIONS[action]
    else:
        raise PermissionDenied(gettext("Only the help desk team can do that."))
    if ticket.status not in allowed:
        raise InvalidTransition(action, ticket.status)


def _event(ticket: Ticket, actor: User | None, kind: str, **data: Any) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, actor=actor, kind=kind, data=data)


def _move(ticket: Ticket, *, actor: User, action: str, kind: str, extra: dict[str, Any] | None = None) -> None:
    """Set the action's target status, bump the version, save and record the event."""
    _sources, target = TRANSITIONS[action]
    previous = ticket.status
    ticket.status = target
    if target != Status.WAITING:
        ticket.waiting_on = ""
    ticket.version += 1
    ticket.save()
    _event(ticket, actor, kind, **{"from": previous, "to": target, **(extra or {})})


def _email_requester(ticket: Ticket, kind: str, template: str, *, starts_thread: bool = False, **context: Any) -> None:
    requester = ticket.requester
    outbox.queue_email(
        kind=kind,
        to=requester.email,
        template=template,
        context={"recipient": requester, **context},
        ticket=ticket,
        language=getattr(getattr(requester, "profile", None), "language", None) or None,
        starts_thread=starts_thread,
    )


def _email_user(user: User | None, ticket: Ticket, kind: str, template: str, **context: Any) -> None:
    if user is None:
        return
    outbox.queue_email(
        kind=kind, to=user.email, template=template, context={"recipient": user, **context}, ticket=ticket
    )


# --- create and edit -----------------------------------------------------------


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
    return (profile is not None and profile.school_id == school.pk) or school.campus_contact_id == user.pk


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


# --- transitions ---------------------------------------------------------------


def assign_ticket(*, actor: User, ticket: Ticket, assignee: User) -> Ticket:
    """Give the ticket to a technician (or director). Emails the assignee unless they assigned themselves."""
    if not may_be_assigned(assignee):
        raise DomainError(gettext("Tickets can be assigned only to active technicians."), field="assignee")
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("assign", actor=actor, ticket=ticket)
        previous = ticket.assignee
        ticket.assignee = assignee
        if ticket.status == Status.WAITING:
            sla.resume_clock(ticket)
        _move(
            ticket,
            actor=actor,
            action="assign",
            kind=TicketEvent.Kind.ASSIGNED,
            extra={"assignee": assignee.get_username(), "previous": previous.get_username() if previous else None},
        )
        if assignee.pk != actor.pk:
            _email_user(assignee, ticket, "assigned", "tickets/email/assigned", actor=actor)
    return ticket


def start_ticket(*, actor: User, ticket: Ticket) -> Ticket:
    """Work begins (or resumes after waiting). An unassigned ticket goes to whoever starts it."""
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("start", actor=actor, ticket=ticket)
        if ticket.assignee_id is None:
            ticket.assignee = actor
        if ticket.status == Status.WAITING:
            sla.resume_clock(ticket)
        _move(ticket, actor=actor, action="start", kind=TicketEvent.Kind.STARTED)
    return ticket


def wait_ticket(*, actor: User, ticket: Ticket, reason: str, on: str = Ticket.WaitingOn.REQUESTER) -> Ticket:
    """Put the ticket on hold, waiting `on` the requester or a third party (a part, a vendor),
    and tell the requester why in words that say which."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("Say what the ticket is waiting for."), field="reason")
    if on not in Ticket.WaitingOn.values:
        raise DomainError(gettext("Choose whom the ticket is waiting on."), field="on")
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("wait", actor=actor, ticket=ticket)
        sla.pause_clock(ticket)
        ticket.waiting_on = on
        _move(ticket, actor=actor, action="wait", kind=TicketEvent.Kind.WAITING, extra={"reason": reason, "on": on})
        _email_requester(ticket, "waiting", "tickets/email/waiting", reason=reason)
    return ticket


def resolve_ticket(
    *, actor: User, ticket: Ticket, resolution: str, self_help: str = "", self_help_article: Article | None = None
) -> Ticket:
    """Record how it was solved and how the requester can handle it next time (a tip, and
    optionally a self-help article), and tell them."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise DomainError(gettext("Describe how the problem was solved."), field="resolution")
    if self_help_article is not None and not is_readable_by_requesters(self_help_article):
        raise DomainError(gettext("Link an article the requester can read."), field="self_help_article")
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("resolve", actor=actor, ticket=ticket)
        now = timezone.now()
        ticket.resolution = resolution
        ticket.self_help = (self_help or "").strip()
        ticket.self_help_article = self_help_article
        ticket.resolved_at = now
        if ticket.assignee_id is None:
            ticket.assignee = actor
        # The resolution reaches the requester: it is a response if nothing came before.
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        _move(ticket, actor=actor, action="resolve", kind=TicketEvent.Kind.RESOLVED, extra={"resolution": resolution})
        _email_requester(ticket, "resolved", "tickets/email/resolved")
    return ticket


def close_ticket(*, actor: User | None, ticket: Ticket, reason: str = "") -> Ticket:
    """Close the ticket: staff, the requester confirming the fix, or the system (actor None).

    Sends `ticket_closed` inside the transaction so the survey invitation is
    recorded with the close, or rolled back with it.
    """
    with transaction.atomic():
        ticket = _lock(ticket)
        if actor is not None:
            _check("close", actor=actor, ticket=ticket)
        elif ticket.status != Status.RESOLVED:
            raise InvalidTransition("close", ticket.status)
        now = timezone.now()
        ticket.closed_at = now
        if ticket.resolved_at is None:
            ticket.resolved_at = now
        confirmed = actor is not None and acts_for_requester(actor, ticket) and not is_staff_member(actor)
        _move(
            ticket,
            actor=actor,
            action="close",
            kind=TicketEvent.Kind.CLOSED,
            extra={
                "confirmed_by_requester": confirmed,
                "automatic": actor is None,
                **({"reason": reason} if reason else {}),
            },
        )
        ticket_closed.send(sender=Ticket, ticket=ticket, actor=actor)
    return ticket


def reopen_ticket(*, actor: User, ticket: Ticket, reason: str) -> Ticket:
    """The fix did not hold: back to the technician who had it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("Tell us what is still wrong."), field="reason")
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("reopen", actor=actor, ticket=ticket)
        ticket.resolved_at = None
        ticket.closed_at = None
        _move(ticket, actor=actor, action="reopen", kind=TicketEvent.Kind.REOPENED, extra={"reason": reason})
        if ticket.assignee_id and ticket.assignee_id != actor.pk:
            _email_user(ticket.assignee, ticket, "reopened", "tickets/email/reopened", reason=reason, actor=actor)
    return ticket


def resume_on_requester_reply(*, actor: User, ticket: Ticket) -> Ticket:
    """The requester answered a ticket waiting on them: work resumes and the clock restarts.

    Today a wait does not say on whom it waits, so any wait resumes. Hook: once the
    ticket records whether it waits on the requester or a third party (a vendor, a
    part), only a wait on the requester should resume here.
    """
    with transaction.atomic():
        ticket = _lock(ticket)
        if not acts_for_requester(actor, ticket):
            raise PermissionDenied(gettext("Only the requester's answer resumes a request."))
        if ticket.status != Status.WAITING:
            raise InvalidTransition("start", ticket.status)
        sla.resume_clock(ticket)
        _move(ticket, actor=actor, action="start", kind=TicketEvent.Kind.STARTED, extra={"requester_replied": True})
    return ticket


# --- conversation ----------------------------------------------------------------


def add_comment(*, actor: User, ticket: Ticket, body: str, internal: bool = False) -> Comment:
    """Reply on a ticket. Staff may write internal notes; the first public staff reply is the first response."""
    body = (body or "").strip()
    if not body:
        raise DomainError(gettext("Write a message first."), field="body")
    staff = is_staff_member(actor)
    if internal and not staff:
        raise PermissionDenied(gettext("Only the help desk team can write internal notes."))
    if not staff and not acts_for_requester(actor, ticket):
        raise PermissionDenied(gettext("You cannot reply on this ticket."))
    with transaction.atomic():
        ticket = _lock(ticket)
        if not staff and ticket.status == Status.CLOSED:
            raise ClosedToReplies()
        now = timezone.now()
        comment = Comment.objects.create(ticket=ticket, author=actor, body=body, internal=internal, created_at=now)
        if not staff and ticket.status == Status.WAITING and ticket.waiting_on == Ticket.WaitingOn.REQUESTER:
            _resume_on_reply(ticket, actor=actor, comment=comment)
        if staff and not internal and ticket.first_response_at is None:
            ticket.first_response_at = now
            ticket.save(update_fields=["first_response_at", "updated_at"])
        _event(ticket, actor, TicketEvent.Kind.COMMENTED, comment=comment.pk, internal=internal)
        if not internal:
            if staff and ticket.requester_id != actor.pk:
                _email_requester(ticket, "reply", "tickets/email/reply", comment=comment)
            elif not staff and ticket.assignee_id and ticket.assignee_id != actor.pk:
                _email_user(
                    ticket.assignee, ticket, "requester_reply", "tickets/email/requester_reply", comment=comment
                )
    return comment


def _resume_on_reply(ticket: Ticket, *, actor: User, comment: Comment) -> None:
    """The requester answered what the ticket waited for: work resumes and the clock restarts.
    Not `start_ticket`: a requester may not start a ticket, but their answer ends the wait."""
    sla.resume_clock(ticket)
    _move(ticket, actor=actor, action="start", kind=TicketEvent.Kind.STARTED, extra={"resumed_by_reply": comment.pk})
