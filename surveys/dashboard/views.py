"""The director's pages: the dashboard, its goals and its CSV export. Directors only (403 otherwise, like follow-up)."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from schools.roles import SignedInRequest, is_director
from surveys import cost, metrics, selectors
from surveys.dashboard import selectors as dashboard_selectors
from surveys.dashboard.forms import DashboardFilterForm, GoalForm
from surveys.models import Goal
from tickets.csv import neutralise


def _require_director(request: HttpRequest) -> None:
    if not is_director(request.user):
        raise PermissionDenied(_("Only the IT director can see this page."))


@login_required
@require_GET
def dashboard(request: SignedInRequest) -> HttpResponse:
    _require_director(request)
    form = DashboardFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "surveys/dashboard/index.html", {"form": form}, status=400)
    if not request.GET:
        form = DashboardFilterForm({})
        form.is_valid()
    form.show_what_is_drawn()
    context: dict[str, Any] = dashboard_selectors.dashboard_context(
        form.to_filters(), interval=form.cleaned_data["interval"]
    )
    context["form"] = form
    context["period"] = form.cleaned_data["period"]
    context["follow_ups"] = selectors.open_follow_ups()[:10]
    return render(request, "surveys/dashboard/index.html", context)


CSV_COLUMNS = [
    "id",
    "name",
    "tickets_opened",
    "tickets_closed",
    "surveys_sent",
    "surveys_answered",
    "response_rate_pct",
    "quality_mean",
    "quality_satisfaction_pct",
    "timeliness_mean",
    "timeliness_satisfaction_pct",
    "sla_met_pct",
    "remote_pct",
    "learned_pct",
]


@login_required
@require_GET
def export_csv(request: SignedInRequest) -> HttpResponse:
    _require_director(request)
    by = request.GET.get("breakdown", "")
    form = DashboardFilterForm(request.GET)
    known = by in metrics.BREAKDOWNS or by in cost.CSV_BREAKDOWNS
    if not known or not form.is_valid():
        problems = form.errors.as_text() if form.is_bound and form.errors else ""
        if not known:
            problems += "\n" + _(
                "breakdown must be one of: school, technician, category, cost, cost_school, cost_model."
            )
        return HttpResponse(problems.strip(), status=400, content_type="text/plain; charset=utf-8")
    dashboard_selectors.ensure_rollup()
    filters = form.to_filters()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="dashboard-{by}-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    if by in cost.CSV_BREAKDOWNS:
        for cells in cost.csv_rows(filters, by):
            writer.writerow(neutralise("" if cell is None else cell) for cell in cells)
        return response
    writer.writerow([by if column == "name" else column for column in CSV_COLUMNS])
    for row in metrics.breakdown(filters, by):
        writer.writerow(neutralise("" if row[column] is None else row[column]) for column in CSV_COLUMNS)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def goals(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    _require_director(request)
    goal = get_object_or_404(Goal, pk=pk) if pk is not None else None
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST":
        if form.is_valid():
            saved = form.save()
            messages.success(request, _("Goals for %(year)s saved.") % {"year": saved.school_year})
            return redirect("dashboard-goals")
        status = 400
    else:
        status = 200
    return render(
        request,
        "surveys/dashboard/goals.html",
        {"form": form, "goal": goal, "goals": Goal.objects.order_by("-start_date")},
        status=status,
    )
