"""A ticket's history, one line of words per event: `{% history_line event staff %}`; and its
conversation, one card per message: `{% conversation_item comment %}`.

Drawn in Python, not a partial: a long ticket has dozens of events, and an include per event
walking an eleven-branch `{% if %}` chain, with two date filters, was an eighth of the ticket
page's time. The sentences are the catalog's (the same msgids the partial had), every value
from the event is escaped, and the time is a `<time>` element with its ISO form. The
conversation's cards likewise: twenty messages through the template (a filter for the name,
two date filters, a translated badge each) were a thirteenth of the page.
"""

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from schools import dates
from schools.templatetags.people import display_name
from tickets.kb.links import with_article_links
from tickets.models import Comment, TicketEvent

register = template.Library()

Kind = TicketEvent.Kind


def _say(words: str, **values: Any) -> SafeString:
    """A catalog sentence with its `%(name)s` values escaped, as `{% blocktranslate %}` does."""
    return mark_safe(words % {name: conditional_escape(value) for name, value in values.items()})  # values escaped


def _changes(data: dict[str, Any]) -> SafeString:
    parts = [
        format_html(" {}: {} → {}", field, change[0] or "—", change[1] or "—")
        for field, change in (data.get("changes") or {}).items()
    ]
    return mark_safe(";".join(parts))  # each part built by format_html


def sentence(event: TicketEvent, staff: bool) -> SafeString:
    """What happened, in words; staff also read the desk's details (priority, queue, assignee, changes)."""
    data = event.data or {}
    who = display_name(event.actor) or _("The help desk")
    kind = event.kind
    if kind == Kind.CREATED:
        said = _say(_("%(who)s sent the request"), who=who)
        if staff:
            detail = _say(
                _("priority %(priority)s, queue %(queue)s"),
                priority=data.get("priority", ""),
                queue=data.get("queue", ""),
            )
            said = format_html('{} <span class="text-body-secondary">({})</span>', said, detail)
        return said
    if kind == Kind.ASSIGNED:
        if staff:
            return _say(_("%(who)s assigned it to %(assignee)s"), who=who, assignee=data.get("assignee", ""))
        return _say(_("A technician has it"))
    if kind == Kind.STARTED:
        if data.get("resumed_by_reply"):
            return _say(_("%(who)s answered; work resumed"), who=who)
        return _say(_("%(who)s started working on it"), who=who)
    if kind == Kind.WAITING:
        if data.get("on") == "third_party":
            words = _("%(who)s put it on hold, waiting for a part or another company: %(reason)s")
        else:
            words = _("%(who)s put it on hold: %(reason)s")
        return _say(words, who=who, reason=data.get("reason", ""))
    if kind == Kind.RESOLVED:
        return _say(_("%(who)s marked it fixed"), who=who)
    if kind == Kind.CLOSED:
        if data.get("automatic"):
            return _say(_("Closed automatically after the fix was not questioned"))
        if data.get("confirmed_by_requester"):
            return _say(_("%(who)s confirmed it is fixed"), who=who)
        return _say(_("%(who)s closed it"), who=who)
    if kind == Kind.REOPENED:
        return _say(_("%(who)s reopened it: %(reason)s"), who=who, reason=data.get("reason", ""))
    if kind == Kind.COMMENTED:
        if data.get("internal"):
            return _say(_("%(who)s added an internal note"), who=who)
        return _say(_("%(who)s replied"), who=who)
    if kind == Kind.UPDATED:
        if staff:
            return format_html("{}{}", _say(_("%(who)s changed"), who=who), _changes(data))
        return _say(_("The help desk updated the details"))
    if kind == Kind.EMAIL_FAILED:
        return _say(_("An email could not be sent"))
    return conditional_escape(event.get_kind_display())


@register.simple_tag
def history_line(event: TicketEvent, staff: bool) -> SafeString:
    """`<time>` then the sentence, as one `<li>` of the ticket page's history shows it."""
    when = timezone.localtime(event.created_at)
    return format_html(
        '<time datetime="{}" class="text-body-secondary">{}</time> — {}',
        when.isoformat(),  # the `date:'c'` filter's answer
        dates.date_format(when, "SHORT_DATETIME_FORMAT"),
        sentence(event, staff),
    )


@register.simple_tag
def conversation_item(comment: Comment) -> SafeString:
    """One message of the conversation as its `<li>` card: who, when, whether it is internal, the text."""
    when = timezone.localtime(comment.created_at)
    internal = ""
    if comment.internal:
        internal = format_html('\n· <span class="badge text-bg-warning">{}</span>', _("Internal note — staff only"))
    return format_html(
        '<li class="card mb-2{}" id="comment-{}" tabindex="-1">\n<div class="card-body">\n'
        '<p class="small text-body-secondary mb-1">\n<strong>{}</strong>\n'
        '· <time datetime="{}">{}</time>{}\n</p>\n'
        '<div class="comment-body">{}</div>\n</div>\n</li>',
        " internal" if comment.internal else "",
        comment.pk,
        display_name(comment.author),
        when.isoformat(),  # the `date:'c'` filter's answer
        dates.date_format(when, "DATETIME_FORMAT"),
        internal,
        with_article_links(comment.body),
    )
