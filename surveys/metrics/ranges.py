"""Date ranges: the default (school year to date), their limits, district-local bounds."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from schools.calendar import school_year_bounds
from surveys.models import Goal

# --- ranges -----------------------------------------------------------------------------------


def default_range(today: date | None = None) -> tuple[date, date]:
    """The current school year to date."""
    today = today or timezone.localdate()
    return school_year_for(today, goal_for(today))[0], today


def school_year_for(day: date, goal: Goal | None) -> tuple[date, date]:
    """The school year holding `day`: the goal's dates when the director set that year's goals
    (they default to schools.calendar's school year), else the calendar's, one query later."""
    if goal is not None and goal.start_date <= day <= goal.end_date:
        return goal.start_date, goal.end_date
    return school_year_bounds(day)


# Years of data fit in one view; anything longer is a typo, not a question.
MAX_RANGE_DAYS = 366 * 5


def range_error(date_from: date, date_to: date) -> str | None:
    """What is wrong with a requested date range (the page's form and the API both ask), or None."""
    if date_from > date_to:
        return gettext("The start must be on or before the end.")
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        return gettext("Choose a range of five years or less.")
    return None


# The days a date filter accepts. Python's dates run from year 1 to 9999, but a district
# midnight near either end is out of range once turned into UTC or moved a day on; no
# figure of the desk lies outside these years.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def within_range(day: date) -> None:
    """The validator of every date filter (API, dashboard, CSV): a field error, never a 500."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            gettext("Enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}
        )


def local_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start, end) as aware datetimes: district-local midnights, read at call time."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), zone)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), zone)
    return start, end


def goal_for(day: date) -> Goal | None:
    """The goal of the school year containing `day`."""
    return Goal.objects.filter(start_date__lte=day, end_date__gte=day).order_by("-start_date").first()
