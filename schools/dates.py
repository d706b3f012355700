"""Dates as pages show them, each (moment, format, language) formatted once per worker.

Django formats a date from scratch every time: a DateFormat object, a method per format
character, the month's name and "p.m." looked up in the catalogue. The queue draws three
dates a row (75 a page) and that was a quarter of drawing its rows; the ticket page draws
one a comment and one a history line. The same tickets' dates come back on every refresh
and every page, so the formatted text is kept (a bounded cache, keyed by the local wall
time, its zone and the reader's language, so no reader ever gets another's text).
"""

from datetime import datetime, tzinfo
from functools import lru_cache

from django.utils import formats, timezone, translation


def date_format(value: datetime, format_name: str) -> str:
    """`django.utils.formats.date_format(timezone.localtime(value), format_name)`, remembered."""
    local = timezone.localtime(value)
    return _formatted(local.replace(tzinfo=None), local.fold, local.tzinfo, format_name, translation.get_language())


def localize(value: datetime) -> str:
    """`formats.localize` of a datetime (its DATETIME_FORMAT), remembered."""
    return date_format(value, "DATETIME_FORMAT")


@lru_cache(maxsize=8192)
def _formatted(wall: datetime, fold: int, zone: tzinfo | None, format_name: str, language: str | None) -> str:
    # The active language is `language` (the caller's key); the moment is rebuilt exactly.
    moment = wall.replace(tzinfo=zone, fold=fold)
    if format_name == "TIME_FORMAT":
        return formats.time_format(moment)
    return formats.date_format(moment, format_name)
