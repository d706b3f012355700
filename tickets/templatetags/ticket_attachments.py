"""`{% visible_attachments ticket as attachments %}` for the ticket page's partials."""

from typing import Any

from django import template
from django.conf import settings

from tickets.attachments import ACCEPT_ATTRIBUTE, attachments_visible_to
from tickets.models import Attachment, Ticket
from tickets.selectors import has_none

register = template.Library()


@register.simple_tag(takes_context=True)
def visible_attachments(context: dict[str, Any], ticket: Ticket) -> list[Attachment]:
    if has_none(ticket, "has_files"):
        return []
    return list(attachments_visible_to(context["request"].user, ticket))


@register.simple_tag
def attachment_accept() -> str:
    return ACCEPT_ATTRIBUTE


@register.simple_tag
def attachment_max_mb() -> int:
    return settings.HELPDESK_ATTACHMENT_MAX_BYTES // (1024 * 1024)
