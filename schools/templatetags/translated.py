from typing import Any

from django import template

from schools.translated import in_reader_language

register = template.Library()


@register.filter
def tr(row: Any, field: str) -> str:
    """`{{ category|tr:"name" }}`: the field in the reader's language (schools.translated)."""
    return "" if row is None else in_reader_language(row, field)
