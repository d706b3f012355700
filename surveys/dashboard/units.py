"""Durations the way a director reads them: "22 h 43 min", not "1363.2 min".

The metrics stay in minutes (API.md's `*_minutes` fields); only pages format them,
so the dashboard tile and the goals page always show the same unit.
"""

from decimal import Decimal

from django.utils.translation import gettext


def duration_in_words(minutes: float | Decimal | None) -> str | None:
    """Whole minutes under an hour ("45 min"), hours and minutes above ("22 h 43 min", "4 h")."""
    if minutes is None:
        return None
    total = round(float(minutes))
    hours, rest = divmod(total, 60)
    if not hours:
        return gettext("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return gettext("%(hours)d h") % {"hours": hours}
    return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


def hours_in_words(hours: float | Decimal | None) -> str | None:
    """A goal kept in hours (Goal.first_response_hours), in the same words as the tiles."""
    return None if hours is None else duration_in_words(float(hours) * 60)
