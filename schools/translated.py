"""Rows the director writes in two languages: the English field and its `*_es` twin.

One rule for every such row (categories, the support page's policies, closures): a
reader whose language is Spanish sees the Spanish text, or the English one while the
Spanish is empty. Pages call `in_reader_language` (templates: `{{ row|tr:"name" }}`).
"""

from typing import Any

from django.utils import translation

SPANISH = "es"


def in_reader_language(row: Any, field: str) -> str:
    """`row.<field>_es` when the active language is Spanish and it is filled in, else `row.<field>`."""
    if (translation.get_language() or "").startswith(SPANISH):
        spanish = getattr(row, f"{field}_es", "")
        if spanish:
            return spanish
    return getattr(row, field)
