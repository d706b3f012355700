"""Working on a ticket together: followers, merging a duplicate, and who else has it open.

The POST views are thin like tickets.views.actions: fetch through the visibility
selector (out of reach: 404), check shape, call one service, say what happened, and go
back to where the user was on the page.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from schools.roles import SignedInRequest, is_staff_member
from tickets import followers, merge, presence, selectors
from tickets.errors import DomainError
from tickets.forms import FollowerForm, MergeForm
from tickets.models import Ticket, TicketEvent
from tickets.views.actions import _first_error, _refused, _visible_ticket
from tickets.views.pages import render_detail


def _staff_ticket(request: SignedInRequest, pk: int) -> Ticket:
    """Staff-only pages hide themselves from requesters (404), as the other staff pages do."""
    if not is_staff_member(request.user):
        raise Http404
    return _visible_ticket(request, pk)


def _back(ticket: Ticket, anchor: str) -> HttpResponse:
    return redirect(f"{reverse('ticket-detail', args=[ticket.pk])}#{anchor}")


@login_required
@require_POST
def follower_add(request: SignedInRequest, pk: int) -> HttpResponse:
    ticket = _staff_ticket(request, pk)
    form = FollowerForm(request.POST, ticket=ticket)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return render_detail(request, ticket, bound={"follower_form": form})
    person = form.cleaned_data["follower"]
    try:
        followers.add_follower(actor=request.user, ticket=ticket, follower=person)
    except DomainError as error:
        return _refused(request, ticket, "follower_form", form, error)
    messages.success(request, _("%(name)s now gets this ticket's updates.") % {"name": _name(person)})
    return _back(ticket, "followers-heading")


@login_required
@require_POST
def follower_remove(request: SignedInRequest, pk: int, user_pk: int) -> HttpResponse:
    ticket = _staff_ticket(request, pk)
    person = get_object_or_404(get_user_model(), pk=user_pk)
    try:
        followers.remove_follower(actor=request.user, ticket=ticket, follower=person)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s no longer gets this ticket's updates.") % {"name": _name(person)})
    return _back(ticket, "followers-heading")


@login_required
@require_POST
def ticket_merge(request: SignedInRequest, pk: int) -> HttpResponse:
    ticket = _staff_ticket(request, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return render_detail(request, ticket, bound={"merge_form": form})
    try:
        target = merge.merge_ticket(actor=request.user, source=ticket, target_id=form.cleaned_data["target"])
    except DomainError as error:
        messages.error(request, str(error))
        form.add_error("target", str(error))
        return render_detail(request, ticket, bound={"merge_form": form})
    messages.success(
        request,
        _("Merged into #%(id)s. The requester of #%(source)s was told and now follows #%(id)s.")
        % {"id": target.pk, "source": ticket.pk},
    )
    return _back(target, "conversation-heading")


@login_required
@require_GET
def ticket_presence(request: SignedInRequest, pk: int) -> HttpResponse:
    """The live banner the ticket page polls: who else is here, and whether anything
    happened since the page was drawn (`since`: the last event id it showed)."""
    ticket = _visible_ticket(request, pk)
    others = (
        presence.report(ticket_id=ticket.pk, user=request.user, state=request.GET.get("state", ""))
        if is_staff_member(request.user)
        else []  # requesters are not told who on the desk is reading
    )
    since = request.GET.get("since", "")
    new_activity = since.isdigit() and (
        selectors.events_visible_to(request.user, ticket)
        .filter(pk__gt=int(since))
        .exclude(kind=TicketEvent.Kind.EMAIL_FAILED)
        .exclude(actor=request.user)  # one's own change in another tab is not news
        .exists()
    )
    return render(
        request,
        "tickets/_presence.html",
        {"ticket": ticket, "others": others, "new_activity": new_activity},
    )


def _name(user: object) -> str:
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
