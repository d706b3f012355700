"""A ticket's status and priority as text badges (never colour alone), and the staff queue's rows.

`{% status_badge ticket staff %}` and `{% priority_badge ticket %}` are the one home of those
badges: the ticket page, the requester's lists, the family page and the queue all draw them here.
`{% queue_rows tickets %}` draws the staff queue's table rows in Python: 25 rows through the
template engine (two partials, a date, an age and a translated label each) were a quarter of the
queue page's time. The markup is the table's in `tickets/_queue_results.html`; every value is escaped.
"""

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from schools import dates
from schools.templatetags.people import display_name
from schools.translated import in_reader_language
from tickets.models import Ticket
from tickets.templatetags.sla_tags import sla_badge

register = template.Library()


def _requester_status(ticket: Ticket) -> str:
    """The status in plain words for requesters (PRODUCT.md: the teacher never sees jargon)."""
    status = ticket.status
    if status == Ticket.Status.WAITING:
        if ticket.waiting_on == Ticket.WaitingOn.THIRD_PARTY:
            return _("On hold: waiting for a part or another company")
        return _("Waiting for your answer")
    words: dict[str, str] = {
        Ticket.Status.NEW: _("Received"),
        Ticket.Status.ASSIGNED: _("A technician has it"),
        Ticket.Status.IN_PROGRESS: _("Being worked on"),
        Ticket.Status.RESOLVED: _("Fixed — please confirm"),
        Ticket.Status.CLOSED: _("Closed"),
    }
    return words.get(status, "")


@register.simple_tag
def status_badge(ticket: Ticket, staff: bool) -> SafeString:
    """Staff see the working names; requesters plain words."""
    words = ticket.get_status_display() if staff else _requester_status(ticket)
    return format_html('<span class="badge status-badge status-{}">{}</span>', ticket.status, words)


@register.simple_tag
def priority_badge(ticket: Ticket) -> SafeString:
    """Staff only."""
    return format_html(
        '<span class="badge priority-badge priority-{}">{}</span>', ticket.priority, ticket.get_priority_display()
    )


@register.simple_tag
def queue_rows(tickets: Iterable[Ticket]) -> SafeString:
    """The staff queue's rows, each cell labelled with its column's name for the phone layout."""
    select, title, school, priority = _("Select"), _("Title"), _("School"), _("Priority")
    status, assignee, age, nobody = _("Status"), _("Assignee"), _("Age"), _("Nobody yet")
    rows = []
    for ticket in tickets:
        created = timezone.localtime(ticket.created_at)
        if ticket.assignee is None:
            who = format_html('<span class="text-body-secondary">{}</span>', nobody)
        else:
            who = conditional_escape(display_name(ticket.assignee))
        rows.append(
            format_html(
                '<tr data-row tabindex="-1" data-testid="queue-row">\n'
                '<td data-label="{select}"><input class="form-check-input" type="checkbox" name="ids" value="{pk}" '
                'form="bulk-form" id="select-{pk}">\n'
                '<label class="visually-hidden" for="select-{pk}">{select_one}</label></td>\n'
                '<td data-label="#">{pk}</td>\n'
                '<td data-label="{title}"><a href="{url}">{ticket_title}</a>\n'
                '<div class="small text-body-secondary">{category} · {requester}</div></td>\n'
                '<td data-label="{school}">{code}<span class="visually-hidden"> {school_name}</span></td>\n'
                '<td data-label="{priority}">{priority_badge} {sla}</td>\n'
                '<td data-label="{status}">{status_badge}</td>\n'
                '<td data-label="{assignee}">{who}</td>\n'
                '<td data-label="{age}"><time datetime="{iso}" title="{exact}">{since}</time></td>\n'
                "</tr>",
                select=select,
                pk=ticket.pk,
                select_one=_("Select #%(id)s %(title)s") % {"id": ticket.pk, "title": ticket.title},
                title=title,
                url=reverse("ticket-detail", args=[ticket.pk]),
                ticket_title=ticket.title,
                category=in_reader_language(ticket.category, "name") if ticket.category else "",
                requester=display_name(ticket.requester),
                school=school,
                code=ticket.school.code,
                school_name=ticket.school.name,
                priority=priority,
                priority_badge=priority_badge(ticket),
                sla=sla_badge(ticket),
                status=status,
                status_badge=status_badge(ticket, True),
                assignee=assignee,
                who=who,
                age=age,
                iso=created.isoformat(),  # the `date:'c'` filter's answer
                exact=dates.localize(created),
                since=timesince(ticket.created_at),
            )
        )
    if not rows:
        return format_html('<tr><td colspan="8">{}</td></tr>', _("No tickets match these filters."))
    return mark_safe("\n".join(rows))  # each row built by format_html
