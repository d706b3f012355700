"""`{{ user|display_name }}`: how a person is named on pages and in emails.

A builtin library (settings.TEMPLATES), so every template has it. Safe with None,
unlike `user.get_full_name|default:user.get_username`, whose filter argument raises
when the user is missing (an unassigned ticket, an automatic close).
"""

from typing import Any

from django import template

register = template.Library()


@register.filter
def display_name(user: Any, fallback: str = "") -> str:
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()
