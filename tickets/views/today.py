"""The technician's "Today" page: today's visits with their on-site tickets, dispatches, remote work.

Lives in tickets (not schools) because it lists tickets; schools never imports tickets.
Buttons POST here and call tickets.services / tickets.sla directly.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from devices.selectors import tasks_by_visit
from schools import services as school_services
from schools.models import Visit
from schools.roles import SignedInRequest, is_staff_member
from schools.selectors import active_rotations, todays_visits
from tickets import services, visits
from tickets.errors import DomainError
from tickets.forms import ResolveForm
from tickets.models import Priority, Ticket
from tickets.selectors import ticket_list, tickets_visible_to

REMOTE_LIMIT = 25


def _staff_or_404(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise Http404


@dataclass
class OnSiteGroup:
    """The open on-site tickets of the technician's schools that wait on one visit, or on none yet."""

    visit: Visit | None
    tickets: list[Ticket] = field(default_factory=list)


def _on_site_groups(tickets: list[Ticket]) -> list[OnSiteGroup]:
    """ "Not yet scheduled" first (nobody is coming for them), then each visit by date; each by priority."""
    unscheduled = OnSiteGroup(visit=None)
    by_visit: dict[Visit, OnSiteGroup] = {}  # a visit equals another instance of itself
    for ticket in tickets:
        if ticket.visit is None:
            unscheduled.tickets.append(ticket)
        else:
            by_visit.setdefault(ticket.visit, OnSiteGroup(visit=ticket.visit)).tickets.append(ticket)
    later = [by_visit[visit] for visit in sorted(by_visit, key=lambda visit: (visit.date, visit.school_id, visit.pk))]
    return ([unscheduled] if unscheduled.tickets else []) + later


@login_required
def today(request: SignedInRequest) -> HttpResponse:
    """Eight queries whatever the number of tickets: visits, their tickets and maintenance, the
    technician's schools' other on-site work, dispatches, remote work, the tip articles, feed."""
    _staff_or_404(request)
    user = request.user
    day = timezone.localdate()
    visits = todays_visits(user, today=day)
    by_visit: dict[int, list[Ticket]] = defaultdict(list)
    for ticket in (
        ticket_list(user)
        .filter(visit__in=visits, status__in=Ticket.OPEN_STATUSES)
        .order_by("-priority_rank", "created_at")
    ):
        if ticket.visit_id is not None:  # always: these are the visits' tickets
            by_visit[ticket.visit_id].append(ticket)
    # Every other open on-site ticket of the schools this technician rotates to: on a later
    # (or missed, or a colleague's) visit, or on none yet.
    my_schools = active_rotations(on=day).filter(technician=user).values("school_id")
    at_my_schools = list(
        ticket_list(user)
        .filter(school__in=my_schools, service_mode=Ticket.ServiceMode.ON_SITE, status__in=Ticket.OPEN_STATUSES)
        .exclude(visit__in=[visit.pk for visit in visits])
        .select_related("visit__technician")
        .order_by("-priority_rank", "created_at", "pk")
    )
    dispatch = list(
        ticket_list(user)
        .filter(
            service_mode=Ticket.ServiceMode.ON_SITE,
            priority=Priority.CRITICAL,
            status__in=Ticket.OPEN_STATUSES,
            visit__isnull=True,
        )
        .order_by("created_at")
    )
    remote = list(
        ticket_list(user)
        .filter(assignee=user, status__in=Ticket.OPEN_STATUSES)
        .exclude(service_mode=Ticket.ServiceMode.ON_SITE)
        .order_by("-priority_rank", "created_at")[:REMOTE_LIMIT]
    )
    resolve_form = ResolveForm()
    # The "next time" article choices, read once for every quick Resolve on the page.
    article_field = resolve_form.fields["self_help_article"]
    if not isinstance(article_field, forms.ModelChoiceField) or article_field.queryset is None:
        raise TypeError("the next-time article is a choice of articles")
    articles = list(article_field.queryset.only("pk", "title"))
    feed = school_services.feed_for(user)
    return render(
        request,
        "schools/today.html",
        {
            "today": day,
            "visits": [(visit, by_visit[visit.pk]) for visit in visits],
            "on_site_groups": _on_site_groups(at_my_schools),
            "maintenance": tasks_by_visit(visits),
            "dispatch": dispatch,
            "remote": remote,
            "resolve_form": resolve_form,
            "articles": articles,
            "feed_url": request.build_absolute_uri(f"/calendar/{feed.token}.ics"),
        },
    )


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    _staff_or_404(request)
    return get_object_or_404(tickets_visible_to(request.user), pk=pk)


@login_required
@require_POST
def start(request: SignedInRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    try:
        services.start_ticket(actor=request.user, ticket=ticket)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Started #%(id)d.") % {"id": ticket.pk})
    return redirect("today")


@login_required
@require_POST
def resolve(request: SignedInRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    # The ticket page's form: it refuses what the database would (a NUL byte) with a message.
    form = ResolveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("today")
    try:
        services.resolve_ticket(
            actor=request.user,
            ticket=ticket,
            resolution=form.cleaned_data["resolution"],
            self_help=form.cleaned_data["self_help"],
            self_help_article=form.cleaned_data["self_help_article"],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Resolved #%(id)d.") % {"id": ticket.pk})
    return redirect("today")


def _visit(request: HttpRequest, pk: int) -> Visit:
    _staff_or_404(request)
    return get_object_or_404(Visit, pk=pk)


@login_required
@require_POST
def check_in(request: SignedInRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    try:
        school_services.check_in_visit(actor=request.user, visit=visit)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Checked in at %(school)s.") % {"school": visit.school.name})
    return redirect("today")


@login_required
@require_POST
def complete(request: SignedInRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    try:
        visit, moved = visits.complete_visit(actor=request.user, visit=visit)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Visit to %(school)s completed; %(n)d unfinished tickets moved to the next visit.")
            % {"school": visit.school.name, "n": moved},
        )
    return redirect("today")
