"""Pages of the schools app: rotations, coverage, the calendar editor and the visits feed.

Staff only; a requester gets 404 (pages out of reach answer 404, PRODUCT.md).
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schools import services
from schools.calendar import get_calendar, school_year_of
from schools.errors import DomainError, PermissionDenied, show_on_form
from schools.forms import AssessmentForm, CalendarForm, ClosureForm, OwnProfileForm, RotationForm
from schools.ical import visits_calendar
from schools.models import CalendarFeed, Closure, Rotation
from schools.roles import SignedInRequest, is_director, is_staff_member
from schools.selectors import coverage_grid, rotation_list, rotation_phrase, upcoming_closures, visit_list

COVERAGE_WEEKS = 8


def _staff_or_404(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise Http404


def _director_or_404(request: HttpRequest) -> None:
    if not is_director(request.user):
        raise Http404


@login_required
def rotations(request: SignedInRequest) -> HttpResponse:
    """Everyone on the team sees the rotations; the director adds them here."""
    _staff_or_404(request)
    form = RotationForm(request.POST or None) if is_director(request.user) else None
    if request.method == "POST":
        _director_or_404(request)
        assert form is not None  # a director's page has the form
        if form.is_valid():
            try:
                services.create_rotation(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                show_on_form(form, error)
            else:
                messages.success(request, _("Rotation saved and visits planned."))
                return redirect("rotations")
    rows = [(rotation, rotation_phrase(rotation)) for rotation in rotation_list()]
    return render(request, "schools/rotations.html", {"rows": rows, "form": form})


@login_required
def rotation_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    _director_or_404(request)
    rotation = get_object_or_404(Rotation, pk=pk)
    form = RotationForm(request.POST or None, instance=rotation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rotation(actor=request.user, rotation=rotation, changes=form.cleaned_data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Rotation changed; future visits were re-planned."))
            return redirect("rotations")
    return render(request, "schools/rotation_form.html", {"form": form, "rotation": rotation})


@login_required
@require_POST
def rotation_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    _director_or_404(request)
    rotation = get_object_or_404(Rotation, pk=pk)
    services.delete_rotation(actor=request.user, rotation=rotation)
    messages.success(request, _("Rotation ended; its future visits were removed."))
    return redirect("rotations")


@login_required
def coverage(request: SignedInRequest) -> HttpResponse:
    """Schools × the next eight weeks: who visits when, and which schools nobody visits."""
    _staff_or_404(request)
    weeks, rows = coverage_grid(start=timezone.localdate(), weeks=COVERAGE_WEEKS)
    uncovered = sum(1 for row in rows if row.uncovered)
    return render(request, "schools/coverage.html", {"weeks": weeks, "rows": rows, "uncovered": uncovered})


@login_required
def calendar_settings(request: SignedInRequest) -> HttpResponse:
    """The director's calendar: hours, summer, policy texts, closures, desk settings."""
    _director_or_404(request)
    row = get_calendar()
    form = CalendarForm(request.POST if request.POST.get("action") == "save" else None, instance=row)
    closure_form = ClosureForm(request.POST if request.POST.get("action") == "closure" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save" and form.is_valid():
                services.update_calendar(actor=request.user, changes=form.changes())
                messages.success(request, _("Calendar saved."))
                return redirect("calendar_settings")
            if action == "closure" and closure_form.is_valid():
                services.add_closure(actor=request.user, **closure_form.cleaned_data)
                messages.success(request, _("Closure added; visits on those days were removed."))
                return redirect("calendar_settings")
            if action == "federal":
                year = school_year_of(timezone.localdate())
                added = services.load_federal_holidays(actor=request.user, school_year=year)
                messages.success(
                    request,
                    _("%(n)d federal holidays added for %(first)d–%(last)d.")
                    % {"n": added, "first": year, "last": year + 1},
                )
                return redirect("calendar_settings")
        except DomainError as error:
            show_on_form(closure_form if action == "closure" else form, error)
    closures = Closure.objects.filter(end_date__gte=timezone.localdate() - timedelta(days=30)).order_by("start_date")
    return render(
        request,
        "schools/calendar.html",
        {"form": form, "closure_form": closure_form, "closures": closures, "upcoming": upcoming_closures()},
    )


@login_required
@require_POST
def closure_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    _director_or_404(request)
    try:
        services.remove_closure(actor=request.user, closure=get_object_or_404(Closure, pk=pk))
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Closure removed; visits were re-planned."))
    return redirect("calendar_settings")


@login_required
@require_POST
def feed_reset(request: SignedInRequest) -> HttpResponse:
    """A technician replaces their feed link (e.g. after sharing it by mistake)."""
    _staff_or_404(request)
    services.reset_feed_token(user=request.user)
    messages.success(request, _("Your calendar link was replaced; subscribe again with the new one."))
    return redirect(_next_or(request, reverse("rotations")))


def _next_or(request: HttpRequest, default: str) -> str:
    """The form's `next` if it is a path on this site, else `default`.

    Only an absolute path: `redirect()` would try any other word as a view name (a 500).
    """
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") and "\x00" not in target else default


def visits_feed(request: HttpRequest, token: str) -> HttpResponse:
    """`/calendar/<token>.ics`: the token is the key, so calendar apps need no sign-in."""
    if "\x00" in token:  # no feed's token; PostgreSQL refuses the byte in a query
        raise Http404
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    since = timezone.localdate() - timedelta(days=60)
    visits = visit_list().filter(technician=feed.user, date__gte=since)
    domain = urlsplit(settings.SITE_URL).hostname or "helpdesk"
    name = _("Visits of %(name)s") % {"name": feed.user.get_full_name() or feed.user.get_username()}
    body = visits_calendar(visits, name=name, domain=domain)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="visits.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- people ---------------------------------------------------------------------------


@login_required
def profile(request: SignedInRequest) -> HttpResponse:
    """A person's own details: room, phone, how to reach them, comfort and language."""
    current = services.update_own_profile(user=request.user, changes={}) if request.method == "GET" else None
    form = OwnProfileForm(request.POST or None, instance=current or request.user.profile)
    if request.method == "POST" and form.is_valid():
        services.update_own_profile(
            user=request.user, changes={name: form.cleaned_data[name] for name in services.SELF_SERVICE_FIELDS}
        )
        messages.success(request, _("Saved. Thank you!"))
        return redirect("profile")
    return render(request, "schools/profile.html", {"form": form})


@login_required
@require_POST
def assess(request: SignedInRequest, user_id: int) -> HttpResponse:
    """A technician's assessment of a requester, from the ticket page's side panel."""
    _staff_or_404(request)
    person = get_object_or_404(get_user_model(), pk=user_id)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        services.assess_requester(
            actor=request.user,
            person=person,
            comfort=form.cleaned_data["staff_comfort"],
            note=form.cleaned_data["staff_note"],
        )
        messages.success(request, _("Assessment saved."))
    else:
        messages.error(request, _("Choose one of the listed levels."))
    return redirect(_next_or(request, "/"))
