"""The POST endpoints of the ticket page: one URL per action, reply, and the staff triage form.

Each fetches the ticket through the visibility selector (out of reach: 404), checks
the form's shape, calls one service and reports in words. A refused change is a
message and a redirect; the service has already left the ticket untouched.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schools.roles import SignedInRequest, is_staff_member
from tickets import compose, replies, selectors, services
from tickets.errors import DomainError
from tickets.forms import (
    AssignForm,
    CloseForm,
    CommentForm,
    ComposerForm,
    ReopenForm,
    ResolveForm,
    TriageForm,
    WaitForm,
)
from tickets.kb import links as kb_links
from tickets.models import Ticket
from tickets.views.pages import render_detail


@dataclass(frozen=True)
class Action:
    form: type[forms.Form]
    form_name: str  # the context name the detail page renders this form under
    run: Callable[[Any, Ticket, dict[str, Any]], Ticket]
    done: Callable[[Any, Ticket, bool], str]


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


ACTIONS: dict[str, Action] = {
    "assign": Action(
        AssignForm,
        "assign_form",
        lambda actor, ticket, data: services.assign_ticket(actor=actor, ticket=ticket, assignee=data["assignee"]),
        lambda actor, ticket, staff: _("Assigned to %(name)s.") % {"name": _name(ticket.assignee)},
    ),
    "start": Action(
        forms.Form,
        "start_form",
        lambda actor, ticket, data: services.start_ticket(actor=actor, ticket=ticket),
        lambda actor, ticket, staff: _("Work has started."),
    ),
    "wait": Action(
        WaitForm,
        "wait_form",
        lambda actor, ticket, data: services.wait_ticket(
            actor=actor, ticket=ticket, reason=data["reason"], on=data["on"]
        ),
        lambda actor, ticket, staff: _("On hold. The requester has been told why."),
    ),
    "resolve": Action(
        ResolveForm,
        "resolve_form",
        lambda actor, ticket, data: services.resolve_ticket(
            actor=actor,
            ticket=ticket,
            resolution=data["resolution"],
            self_help=data["self_help"],
            self_help_article=data.get("self_help_article"),
        ),
        lambda actor, ticket, staff: _("Marked as fixed. The requester has been asked to confirm."),
    ),
    "close": Action(
        CloseForm,
        "close_form",
        lambda actor, ticket, data: services.close_ticket(actor=actor, ticket=ticket, reason=data["reason"]),
        lambda actor, ticket, staff: _("Closed.") if staff else _("Thanks for confirming. This request is closed."),
    ),
    "reopen": Action(
        ReopenForm,
        "reopen_form",
        lambda actor, ticket, data: services.reopen_ticket(actor=actor, ticket=ticket, reason=data["reason"]),
        lambda actor, ticket, staff: (
            _("Reopened.") if staff else _("Sorry it's still not right. We reopened it and told your technician.")
        ),
    ),
}


def _first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Please check the form.")


def _refused(
    request: SignedInRequest, ticket: Ticket, form_name: str, form: forms.Form, error: DomainError
) -> HttpResponse:
    """The service said no. When it names one of the form's fields, the error sits on that
    field of the re-shown form, as a form's own check would; otherwise it is a message."""
    messages.error(request, str(error))
    if error.field and error.field in form.fields:
        form.add_error(error.field, str(error))
        return render_detail(request, ticket, bound={form_name: form})
    return redirect("ticket-detail", pk=ticket.pk)


def _visible_ticket(request: HttpRequest, pk: int) -> Ticket:
    return get_object_or_404(selectors.ticket_detail(request.user), pk=pk)


@login_required
@require_POST
def ticket_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    ticket = _visible_ticket(request, pk)
    spec = ACTIONS[action]
    form = spec.form(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return render_detail(request, ticket, bound={spec.form_name: form})
    try:
        ticket = spec.run(request.user, ticket, form.cleaned_data)
    except DomainError as error:
        return _refused(request, ticket, spec.form_name, form, error)
    else:
        messages.success(request, spec.done(request.user, ticket, is_staff_member(request.user)))
    return _back_to(ticket, "actions-heading" if is_staff_member(request.user) else "ticket-title")


@login_required
@require_POST
def ticket_comment(request: SignedInRequest, pk: int) -> HttpResponse:
    ticket = _visible_ticket(request, pk)
    if is_staff_member(request.user):
        return _compose(request, ticket)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return render_detail(request, ticket, bound={"comment_form": form})
    try:
        comment = services.add_comment(
            actor=request.user, ticket=ticket, body=form.cleaned_data["body"], internal=form.cleaned_data["internal"]
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("ticket-detail", pk=pk)
    messages.success(request, _("Reply sent."))
    return _back_to(ticket, f"comment-{comment.pk}")


def _compose(request: SignedInRequest, ticket: Ticket) -> HttpResponse:
    """The staff composer. "Insert" (the pickers without JavaScript) re-draws the page with the
    saved reply, or the help article's link, added after what was typed; "Send" posts and may
    also set the status."""
    form = ComposerForm(
        request.POST,
        actions=services.allowed_actions(request.user, ticket),
        replies=replies.replies_visible_to(request.user),
    )
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return render_detail(request, ticket, bound={"comment_form": form})
    data = form.cleaned_data
    if "insert_reply" in request.POST:
        reply = replies.replies_visible_to(request.user).filter(pk=data["saved_reply"] or 0).first()
        if reply is None:
            form.add_error("saved_reply", _("Choose a saved reply first."))
            return render_detail(request, ticket, bound={"comment_form": form})
        filled = replies.fill(reply.body, ticket=ticket, actor=request.user)
        return _insert(request, ticket, typed=data["body"], text=filled, picker="saved_reply")
    article = data["article"]
    link = kb_links.link_text(title=article.title, pk=article.pk) if article is not None else ""
    if "insert_article" in request.POST:
        if not link:
            form.add_error("article", _("Choose a help article first."))
            return render_detail(request, ticket, bound={"comment_form": form})
        return _insert(request, ticket, typed=data["body"], text=link, picker="article")
    # An article chosen but not inserted (no script, "Send" pressed at once) goes with the message.
    body = data["body"]
    if article is not None and kb_links.article_url(article.pk) not in body:
        body = _added(body, link)
    try:
        comment, ticket = compose.send_and_set_status(
            actor=request.user,
            ticket=ticket,
            body=body,
            internal=data["internal"],
            then=data["then"],
            reason=data["reason"],
            self_help=data["self_help"],
        )
    except DomainError as error:
        return _refused(request, ticket, "comment_form", form, error)
    messages.success(request, _composed_message(data))
    return _back_to(ticket, f"comment-{comment.pk}" if comment is not None else "actions-heading")


def _insert(request: SignedInRequest, ticket: Ticket, *, typed: str, text: str, picker: str) -> HttpResponse:
    """The page again with `text` added after what was `typed`, and the `picker` it came from cleared."""
    post = request.POST.copy()
    post["body"] = _added(typed, text)
    post[picker] = ""
    again = ComposerForm(
        post,
        actions=services.allowed_actions(request.user, ticket),
        replies=replies.replies_visible_to(request.user),
    )
    again.is_valid()
    return render_detail(request, ticket, bound={"comment_form": again, "composer_anchor": True})


def _added(typed: str, text: str) -> str:
    """What was typed, then `text` after a blank line."""
    return "\n\n".join(part for part in (typed.strip(), text) if part)


def _composed_message(data: dict[str, Any]) -> str:
    then = data["then"]
    if then == compose.THEN_RESOLVE:
        return _("Marked as fixed. The requester has been asked to confirm.")
    sent = _("Note saved. Only staff can see it.") if data["internal"] else _("Reply sent.")
    if then:
        return sent + " " + _("On hold. The requester has been told why.")
    return sent


def _back_to(ticket: Ticket, anchor: str) -> HttpResponse:
    """Back to the ticket page where the user was: the new comment, or the action area."""
    return redirect(f"{reverse('ticket-detail', args=[ticket.pk])}#{anchor}")


@login_required
@require_POST
def ticket_update(request: SignedInRequest, pk: int) -> HttpResponse:
    """Staff triage. The page's `version` makes a save from a stale page fail instead of overwriting."""
    ticket = _visible_ticket(request, pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return render_detail(request, ticket, bound={"triage_form": form})
    try:
        services.update_ticket(
            actor=request.user, ticket=ticket, changes=form.changes(), expected_version=form.cleaned_data["version"]
        )
    except DomainError as error:
        return _refused(request, ticket, "triage_form", form, error)
    else:
        messages.success(request, _("Details saved."))
    return _back_to(ticket, "triage-heading")
