"""The pages people read: start page, ticket lists, the new-ticket form, one ticket, support."""

import functools
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from schools.pagination import CappedPaginator, requested_page
from schools.roles import SignedInRequest, is_director, is_staff_member
from schools.selectors import support_policy
from schools.templatetags.people import display_name
from schools.translated import in_reader_language
from tickets import attachments, followers, idempotency, queue_views, replies, selectors, services
from tickets.bulk_form import BulkForm
from tickets.csv import stream_rows
from tickets.errors import DomainError
from tickets.filters import TicketFilter
from tickets.form_options import options_from, options_read_once
from tickets.forms import (
    AssignForm,
    CloseForm,
    CommentForm,
    ComposerForm,
    FollowerForm,
    MergeForm,
    ReopenForm,
    ResolveForm,
    TicketCreateForm,
    TriageForm,
    WaitForm,
    staff_users,
)
from tickets.models import Category, Ticket
from tickets.sla.words import published_targets

PAGE_SIZE = 25
HOME_LIMIT = 10
# The new-ticket form's key in IdempotencyKey, apart from any key an API client chooses.
FORM_KEY_PREFIX = "new-ticket-form:"
TRUE_VALUES = queue_views.TRUE_VALUES


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """The director starts on the dashboard, technicians on Today (the school visited
    today, then the rest); everyone else on their own requests, the next visit, and a
    big "New request" button."""
    if is_director(request.user):
        return redirect("dashboard")
    if is_staff_member(request.user):
        return redirect("today")
    # One row more than shown tells us whether to offer "See all".
    tickets = list(selectors.ticket_list(request.user).order_by("-created_at", "-pk")[: HOME_LIMIT + 1])
    return render(
        request,
        "tickets/home.html",
        {"tickets": tickets[:HOME_LIMIT], "has_more": len(tickets) > HOME_LIMIT},
    )


def _queue(
    request: SignedInRequest, team: Callable[[], list[User]] | None = None
) -> tuple[TicketFilter, QuerySet[Ticket], bool]:
    """The rows a list view shows, before paging: the page and its CSV export both start here.
    `team` is the page's list of technicians, read once for the filter and the bulk bar."""
    filterset, tickets, default_view = queue_views.queue_rows(request.user, request.GET)
    if is_staff_member(request.user):
        form = filterset.form
        # Each select's options in one plain query of the columns it shows, read only if drawn.
        options_read_once(form.fields["school"], "name")
        options_read_once(form.fields["queue"], "name")
        options_read_once(form.fields["category"], "name", "name_es")
        # The assignee select offers technicians only (thousands of teachers would make it
        # useless), by name as the table shows them, not usernames.
        assignee = form.fields["assignee"]
        assignee.queryset = staff_users()
        people = team or functools.cache(lambda: list(staff_users()))
        options_from(assignee, lambda: [("", assignee.empty_label), *((u.pk, display_name(u)) for u in people())])
        # Checkboxes read better than a multi-select list box, especially on a phone.
        for name in ("status", "priority"):
            form.fields[name].widget = forms.CheckboxSelectMultiple(choices=form.fields[name].choices)
    return filterset, tickets, default_view


@login_required
def ticket_list(request: SignedInRequest) -> HttpResponse:
    """A requester's own requests (a campus contact's school's); for staff the filterable queue
    view beside its saved views. An htmx request (filters changed, or the 30 s refresh) gets
    the results region alone."""
    staff = is_staff_member(request.user)
    team = functools.cache(lambda: list(staff_users()))  # the filter's and the bulk bar's technicians
    filterset, tickets, default_view = _queue(request, team)
    data = filterset.data
    if staff:
        tickets = selectors.queue_page_rows(tickets)
    if staff and queue_views.is_open_view(filterset):
        # Open work is a working backlog (a partial index), so its count is exact and the
        # same on every page; only archive views stop counting a thousand rows past the page.
        paginator: Paginator = queue_views.open_work_paginator(tickets, PAGE_SIZE, request.user)
    else:
        paginator = CappedPaginator(tickets, PAGE_SIZE, page_hint=requested_page(request.GET.get("page")))
    page = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "count_is_exact": getattr(paginator, "count_is_exact", True),
        "default_view": default_view,
        "tickets": page.object_list,
        "filter_form": filterset.form,
        "mine": staff and data.get("mine", "").lower() in TRUE_VALUES,
        "open_value": data.get("open", "").lower(),
        "ordering_value": data.get("ordering", ""),
        "unassigned": data.get("unassigned", "").lower() in TRUE_VALUES,
        "export_query": _without_page(request.GET),
    }
    if not staff:
        return render(request, "tickets/my_list.html", context)
    context["view_tabs"], context["current_view"] = queue_views.views_of(request.user, request.GET)
    context["bulk_form"] = BulkForm(team=team())
    context["page_only"] = {key: data.get(key, "") for key in queue_views.PAGE_ONLY}
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "queue-results":
        return render(request, "tickets/_queue_results.html", {**context, "oob": True})
    return render(request, "tickets/queue.html", context)


def _without_page(query: QueryDict) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


EXPORT_COLUMNS = [
    "id",
    "title",
    "school",
    "queue",
    "category",
    "priority",
    "status",
    "requester",
    "assignee",
    "created_at",
    "resolution_due_at",
    "resolved_at",
]


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _when(moment: Any) -> str:
    return timezone.localtime(moment).isoformat() if moment is not None else ""


@login_required
@require_GET
def ticket_export(request: SignedInRequest) -> StreamingHttpResponse:
    """The queue view as it is filtered and sorted, every row (not one page), as CSV for Excel:
    streamed in chunks, UTF-8 with a byte order mark, no cell able to start a formula. Staff only."""
    if not is_staff_member(request.user):
        raise Http404
    tickets = _queue(request)[1]

    def rows() -> Iterator[list[object]]:
        for ticket in tickets.iterator(chunk_size=2000):
            yield [
                ticket.pk,
                ticket.title,
                ticket.school.name,
                ticket.queue.name,
                in_reader_language(ticket.category, "name"),  # as the queue's rows show it
                ticket.get_priority_display(),
                ticket.get_status_display(),
                _person(ticket.requester),
                _person(ticket.assignee),
                _when(ticket.created_at),
                _when(ticket.resolution_due_at),
                _when(ticket.resolved_at),
            ]

    response = StreamingHttpResponse(
        stream_rows(EXPORT_COLUMNS, rows(), bom=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="tickets-{timezone.localdate().isoformat()}.csv"'
    return response


def _new_form_token(request: HttpRequest) -> str:
    """A key for one drawing of the new-ticket form, signed for this user so a made-up one is refused.

    Nothing is stored until the form files its ticket: then the key's row in
    `IdempotencyKey` (the API's table) says which ticket it filed.
    """
    return _form_signer(request).sign(uuid.uuid4().hex)


def _form_key(request: HttpRequest, token: str) -> str | None:
    """The idempotency key of a form token issued to this user, or None for any other token."""
    try:
        return FORM_KEY_PREFIX + _form_signer(request).unsign(token)
    except signing.BadSignature:
        return None


def _form_signer(request: HttpRequest) -> signing.Signer:
    return signing.Signer(salt=f"tickets.new-ticket-form:{request.user.pk}")


def _form_fingerprint(request: HttpRequest) -> dict[str, Any]:
    """What the form sent: the same form sent again has the same fingerprint."""
    fields = {name: request.POST.getlist(name) for name in request.POST if name != "csrfmiddlewaretoken"}
    files = [(upload.name, upload.size) for upload in request.FILES.getlist("files")]
    return {"fields": fields, "files": files}


def _add_domain_error(form: forms.Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


@login_required
def ticket_new(request: SignedInRequest) -> HttpResponse:
    staff = is_staff_member(request.user)
    if request.method != "POST":
        initial = {"form_token": _new_form_token(request), **_about_earlier_request(request)}
        form = TicketCreateForm(initial=initial, staff=staff)
        return _render_new(request, form)

    form = TicketCreateForm(request.POST, staff=staff)
    if not form.is_valid():
        return _render_new(request, form)
    key = _form_key(request, form.cleaned_data["form_token"])
    if key is None:
        form.add_error(None, _("This form is out of date. Check your requests before sending it again."))
        return _render_new(request, form, fresh_token=True)
    data = form.cleaned_data
    files = request.FILES.getlist("files")
    try:
        for upload in files:  # refuse a bad file before anything is saved
            attachments.check_upload(upload)
        # The API's Idempotency-Key mechanism: the key row is written in the ticket's own
        # transaction (with its files), so a double click, a resent form or a racing twin on
        # another worker files one ticket, whatever happens to the cache or the session.
        ticket, created = idempotency.create_once(
            user=request.user,
            key=key,
            data=_form_fingerprint(request),
            create=lambda: _file_ticket(request, data, files),
        )
    except idempotency.KeyReused:
        form.add_error(None, _("This form was already sent. Check your requests before sending it again."))
        return _render_new(request, form, fresh_token=True)
    except DomainError as error:
        # Nothing was recorded: the same form, corrected, may be sent again.
        _add_domain_error(form, error)
        return _render_new(request, form)
    if not created:
        messages.info(request, _("We already got this one — request #%(id)s.") % {"id": ticket.pk})
        return redirect("ticket-detail", pk=ticket.pk)
    messages.success(request, _("We got it — request #%(id)s.") % {"id": ticket.pk})
    return redirect("ticket-detail", pk=ticket.pk)


def _about_earlier_request(request: HttpRequest) -> dict[str, Any]:
    """ "Open a new request about this" from a closed request: the form starts from it (`?about=<id>`)."""
    about = request.GET.get("about", "")
    earlier = selectors.tickets_visible_to(request.user).filter(pk=int(about)).first() if about.isdigit() else None
    if earlier is None:
        return {}
    title = _("About request #%(id)s: %(title)s") % {"id": earlier.pk, "title": earlier.title}
    title_field = TicketCreateForm.base_fields["title"]
    max_length = (title_field.max_length if isinstance(title_field, forms.CharField) else None) or len(title)
    return {
        "title": title[:max_length],
        "description": _("Follow-up to request #%(id)s.") % {"id": earlier.pk} + "\n\n",
        "category": earlier.category_id,
    }


def _file_ticket(request: SignedInRequest, data: dict, files: list) -> Ticket:
    ticket = services.create_ticket(
        actor=request.user,
        title=data["title"],
        description=data["description"],
        category=data["category"],
        impact=data["impact"],
        urgency=data["urgency"],
        school=data.get("school"),
        requester=data.get("requester"),
        asset_tag=data["asset_tag"],
        device_owner=data.get("device_owner", ""),
        needed_by=data["needed_by"],
    )
    if files:
        attachments.add_attachments(actor=request.user, ticket=ticket, uploads=files)
    return ticket


def _render_new(request: HttpRequest, form: TicketCreateForm, *, fresh_token: bool = False) -> HttpResponse:
    if fresh_token:
        # The sent token cannot file this form; the re-shown form needs a new one.
        if not isinstance(form.data, QueryDict):
            raise TypeError("a re-shown form holds what was posted")
        posted = form.data.copy()
        posted["form_token"] = _new_form_token(request)
        form.data = posted
    return render(
        request,
        "tickets/new.html",
        {"form": form, "elsewhere": form.out_of_scope()},
    )


@login_required
def ticket_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    ticket = get_object_or_404(selectors.ticket_page(request.user), pk=pk)
    selectors.requester_school_known(ticket)
    return render_detail(request, ticket)


def render_detail(request: SignedInRequest, ticket: Ticket, *, bound: dict[str, Any] | None = None) -> HttpResponse:
    """The ticket page; action views pass their invalid `bound` form to show its errors in place."""
    user = request.user
    staff = is_staff_member(user)
    actions = services.allowed_actions(user, ticket)
    events = selectors.history_for(user, ticket)
    context: dict[str, Any] = {
        "ticket": ticket,
        "staff": staff,
        "actions": actions,
        "comments": list(selectors.comments_visible_to(user, ticket)),
        "events": events,
        "last_event_id": max((event.pk for event in events), default=0),
        "comment_form": CommentForm(),
        "reopen_form": ReopenForm(),
    }
    if staff:
        past_tickets, device_tickets = selectors.past_tickets_beside(ticket)
        people = followers.people_beside(ticket)  # the assign list, the followers and who may follow: one query
        resolve_form = ResolveForm()
        context.update(
            {
                "comment_form": ComposerForm(
                    actions=actions,
                    replies=replies.replies_visible_to(user),
                    articles=resolve_form.article_options(),
                ),
                "followers": [person for person in people if person.following],
                "follower_form": FollowerForm(
                    ticket=ticket, choices=[p for p in people if p.is_active and not p.following]
                ),
                "merge_form": MergeForm(),
                "assign_form": AssignForm(
                    initial={"assignee": user.pk}, team=[p for p in people if p.on_team and p.is_active]
                ),
                "wait_form": WaitForm(),
                "resolve_form": resolve_form,
                "close_form": CloseForm(),
                "triage_form": TriageForm.for_ticket(ticket),
                "profile": getattr(ticket.requester, "profile", None),
                "past_tickets": past_tickets,
                "device_tickets": device_tickets,
            }
        )
    context.update(bound or {})
    return render(request, "tickets/detail.html", context)


def support(request: HttpRequest) -> HttpResponse:
    """Public: hours, scope, who is responsible for what, and the priority targets."""
    return render(
        request,
        "support.html",
        {
            "categories": Category.objects.select_related("queue", "vendor"),
            "policy": support_policy(),
            "targets": published_targets(),
            "contact": {"phone": settings.HELPDESK_CONTACT_PHONE, "email": settings.HELPDESK_CONTACT_EMAIL},
        },
    )
