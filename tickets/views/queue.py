"""The queue page's forms: the bulk bar on the selected rows, and saving or removing a view.

Each posts, calls one service, says what happened in plain words and goes back to the
same view of the queue (the list itself is `pages.ticket_list`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from schools.roles import SignedInRequest, is_staff_member
from tickets import bulk, queue_views
from tickets.bulk_form import BulkForm
from tickets.errors import DomainError


def _staff_or_404(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise Http404


def _back_to_queue(query: str) -> HttpResponse:
    """The same view of the queue: only its filters are kept from what was posted."""
    kept = queue_views.clean_query(QueryDict(query))
    return redirect(reverse("ticket-list") + (f"?{kept}" if kept else ""))


def _done(action: str, count: int) -> str:
    words = {
        "assign": ngettext("%(n)d assigned", "%(n)d assigned", count),
        "start": ngettext("%(n)d started", "%(n)d started", count),
        "wait": ngettext("%(n)d set to waiting", "%(n)d set to waiting", count),
        "resolve": ngettext("%(n)d resolved", "%(n)d resolved", count),
        "close": ngettext("%(n)d closed", "%(n)d closed", count),
    }
    return words[action] % {"n": count}


def _refused(action: str, outcome: bulk.Outcome) -> str:
    words = {
        "assign": _("#%(id)d could not be assigned: %(reason)s"),
        "start": _("#%(id)d could not be started: %(reason)s"),
        "wait": _("#%(id)d could not be set to waiting: %(reason)s"),
        "resolve": _("#%(id)d could not be resolved: %(reason)s"),
        "close": _("#%(id)d could not be closed: %(reason)s"),
    }
    reason = outcome.detail.rstrip(".") if outcome.status != 404 else _("it was not found")
    return words[action] % {"id": outcome.id, "reason": reason}


def summary(action: str, outcomes: list[bulk.Outcome]) -> str:
    """ "3 assigned; #12 could not be resolved: …" """
    done = sum(1 for outcome in outcomes if outcome.status == 200)
    parts = [_done(action, done)] if done else []
    parts += [_refused(action, outcome) for outcome in outcomes if outcome.status != 200]
    return "; ".join(parts) + "."


@login_required
@require_POST
def bulk_action(request: SignedInRequest) -> HttpResponse:
    """The bulk bar: the same `tickets.bulk.act_on_many` as POST /api/tickets/bulk/."""
    _staff_or_404(request)
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back_to_queue(request.POST.get("next", ""))
    action = form.cleaned_data["action"]
    outcomes = bulk.act_on_many(
        actor=request.user, ids=form.cleaned_data["ids"], action=action, fields=form.service_fields()
    )
    done_all = all(outcome.status == 200 for outcome in outcomes)
    (messages.success if done_all else messages.warning)(request, summary(action, outcomes))
    return _back_to_queue(form.cleaned_data["next"])


@login_required
@require_POST
def save_view(request: SignedInRequest) -> HttpResponse:
    _staff_or_404(request)
    query = request.POST.get("query", "")
    try:
        view = queue_views.save_view(
            actor=request.user,
            name=request.POST.get("name", "")[:80],
            query=QueryDict(query),
            shared=request.POST.get("shared") == "true",
        )
    except DomainError as error:
        messages.error(request, str(error))
        return _back_to_queue(query)
    messages.success(request, _("Saved the view “%(name)s”.") % {"name": view.name})
    return _back_to_queue(view.query)


@login_required
@require_POST
def rename_view(request: SignedInRequest, pk: int) -> HttpResponse:
    _staff_or_404(request)
    view = get_object_or_404(queue_views.saved_views_for(request.user), pk=pk)
    before = view.name
    try:
        queue_views.rename_view(actor=request.user, view=view, name=request.POST.get("name", "")[:80])
    except DomainError as error:
        messages.error(request, str(error))
        return _back_to_queue(view.query)
    messages.success(request, _("Renamed the view “%(before)s” to “%(name)s”.") % {"before": before, "name": view.name})
    return _back_to_queue(view.query)


@login_required
@require_POST
def delete_view(request: SignedInRequest, pk: int) -> HttpResponse:
    _staff_or_404(request)
    view = get_object_or_404(queue_views.saved_views_for(request.user), pk=pk)
    try:
        queue_views.delete_view(actor=request.user, view=view)
    except DomainError as error:
        messages.error(request, str(error))
        return _back_to_queue(view.query)
    messages.success(request, _("Removed the view “%(name)s”.") % {"name": view.name})
    return redirect("ticket-list")
