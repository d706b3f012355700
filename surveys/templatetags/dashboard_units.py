from decimal import Decimal

from django import template

from surveys.dashboard.units import hours_in_words as _hours_in_words

register = template.Library()


@register.filter
def hours_in_words(hours: Decimal | float | None) -> str | None:
    """`{{ goal.first_response_hours|hours_in_words }}`: "4 h", "1 h 30 min"."""
    return _hours_in_words(hours)
