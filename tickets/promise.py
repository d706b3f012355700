"""The promise on a request, in words: when the requester hears back and when it should be fixed.

The due dates themselves come from the SLA (`tickets/sla/`, counted in business hours of
the district calendar); this module only says them the way a person would: "11:30 AM
today", "9:00 AM tomorrow", "Monday at 8:00 AM". Used by the ticket page and the
acknowledgement email, so both say the same.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, pgettext

from tickets.models import Ticket

# Within this many days the weekday alone is clear ("Monday"); beyond it the date is added.
_WEEKDAY_ONLY_DAYS = 6


def time_in_words(moment: datetime) -> str:
    """ "11:30 AM" in English, "11:30" in Spanish: the language's TIME_FORMAT (helpdesk/formats)."""
    return formats.time_format(timezone.localtime(moment))


def _day_in_words(day: date) -> str:
    # Translators: a weekday and date in PHP date() format: "l, F j" gives "Monday, March 3".
    return date_format(day, pgettext("weekday and date format", "l, F j"))


def moment_in_words(moment: datetime, *, now: datetime | None = None) -> str:
    """ "11:30 AM today", "9:00 AM tomorrow", "Monday at 9:00 AM" or "Monday, March 3 at 9:00 AM"."""
    local = timezone.localtime(moment)
    days = (local.date() - timezone.localdate(now or timezone.now())).days
    time = time_in_words(local)
    if days <= 0:
        return gettext("%(time)s today") % {"time": time}
    if days == 1:
        return gettext("%(time)s tomorrow") % {"time": time}
    if days <= _WEEKDAY_ONLY_DAYS:
        return gettext("%(weekday)s at %(time)s") % {"weekday": date_format(local, "l"), "time": time}
    return gettext("%(day)s at %(time)s") % {"day": _day_in_words(local.date()), "time": time}


def day_in_words(day: date, *, today: date | None = None) -> str:
    """ "today", "tomorrow", "on Monday" or "on Monday, March 3", for a visit day."""
    days = (day - (today or timezone.localdate())).days
    if days == 0:
        return gettext("today")
    if days == 1:
        return gettext("tomorrow")
    if 1 < days <= _WEEKDAY_ONLY_DAYS:
        return gettext("on %(day)s") % {"day": date_format(day, "l")}
    return gettext("on %(day)s") % {"day": _day_in_words(day)}


@dataclass(frozen=True)
class Promise:
    reply: str | None  # "We'll reply by 11:30 AM today."
    fix: str | None  # "It should be fixed by Monday at 3:00 PM."
    visit: str | None  # "A technician comes to your school on Tuesday."


def promise_for(ticket: Ticket, *, now: datetime | None = None) -> Promise | None:
    """What the requester is promised while the request is open; None once it is resolved or closed."""
    if ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        return None
    reply = fix = visit = None
    if ticket.first_response_at is None and ticket.response_due_at is not None:
        reply = gettext("We'll reply by %(when)s.") % {"when": moment_in_words(ticket.response_due_at, now=now)}
    if ticket.resolution_due_at is not None and ticket.status != Ticket.Status.WAITING:
        fix = gettext("It should be fixed by %(when)s.") % {"when": moment_in_words(ticket.resolution_due_at, now=now)}
    if ticket.service_mode == Ticket.ServiceMode.ON_SITE and ticket.visit is not None:
        today = timezone.localdate(now or timezone.now())
        if ticket.visit.date >= today:
            visit = gettext("A technician comes to your school %(day)s.") % {
                "day": day_in_words(ticket.visit.date, today=today)
            }
    if not (reply or fix or visit):
        return None
    return Promise(reply=reply, fix=fix, visit=visit)
