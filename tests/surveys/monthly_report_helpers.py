"""The monthly report tests' month (March 2026, district time), their fixtures, and sending the report."""

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from notifications.models import OutboundEmail
from surveys.dashboard import report
from surveys.models import Goal, SurveyInvitation, SurveyResponse
from tests import factories
from tickets.models import Ticket

CHICAGO = ZoneInfo("America/Chicago")
MARCH = date(2026, 3, 1)
KIND = report.KIND


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


def reports() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=KIND).order_by("to", "pk"))


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        school_year="2025-2026",
        quality_satisfaction_pct=94,
        timeliness_satisfaction_pct=97,
        first_response_hours=1,
    )


@pytest.fixture
def make(db, category, technician):
    """A ticket at a school with the timestamps given (minutes after `created`) and, if asked, a survey."""
    requesters: dict[int, object] = {}

    def _make(
        *,
        school=None,
        created: datetime,
        first_response: int | None = None,
        resolved: datetime | int | None = None,
        closed: datetime | None = None,
        due: bool = False,
        met: bool = True,
        mode: str | None = None,
        quality: int | None = None,
        timeliness: int | None = None,
        surveyed: bool = False,
    ) -> Ticket:
        school = school or factories.SchoolFactory(code="HOME", name="Home Elementary")
        if school.pk not in requesters:
            requesters[school.pk] = factories.UserFactory(profile__school=school)
        ticket = factories.TicketFactory(requester=requesters[school.pk], category=category)
        first_at = None if first_response is None else created + timedelta(minutes=first_response)
        resolved_at = created + timedelta(minutes=resolved) if isinstance(resolved, int) else resolved
        fields = {
            "status": Ticket.Status.CLOSED
            if closed
            else Ticket.Status.RESOLVED
            if resolved
            else Ticket.Status.ASSIGNED,
            "assignee": technician,
            "created_at": created,
            "first_response_at": first_at,
            "resolved_at": resolved_at,
            "closed_at": closed,
            "service_mode": mode,
            "response_due_at": None,
            "resolution_due_at": None,
        }
        if due:
            fields["response_due_at"] = first_at + timedelta(minutes=5 if met else -5)
            fields["resolution_due_at"] = resolved_at + timedelta(minutes=5)
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
        ticket.refresh_from_db()
        if surveyed or quality is not None:
            invitation = SurveyInvitation.objects.create(
                ticket=ticket, token=secrets.token_urlsafe(32), email="t@district.example", sent_at=closed
            )
            if quality is not None:
                SurveyResponse.objects.create(
                    invitation=invitation,
                    ticket=ticket,
                    quality=quality,
                    timeliness=timeliness,
                    answered_at=closed + timedelta(hours=1),
                )
        return ticket

    return _make


@pytest.fixture
def march(make, goal) -> None:
    """Four tickets closed in March with known times and answers, one in February, and the backlog."""
    # created, first response (min), resolved (min), closed, SLA due?, met?, mode, quality, timeliness
    make(
        created=at(date(2026, 3, 2)),
        first_response=30,
        resolved=120,
        closed=at(date(2026, 3, 3)),
        due=True,
        mode="remote",
        quality=5,
        timeliness=5,
    )
    make(
        created=at(date(2026, 3, 10)),
        first_response=60,
        resolved=240,
        closed=at(date(2026, 3, 11)),
        due=True,
        met=False,
        mode="on_site",
        quality=4,
        timeliness=3,
    )
    make(
        created=at(date(2026, 3, 16), 8),
        first_response=15,
        resolved=1440,
        closed=at(date(2026, 3, 18)),
        mode="remote",
        quality=4,
        timeliness=4,
    )
    # Closed at 23:30 on the last day, district time (05:30 UTC on April 1): a March ticket.
    make(
        created=at(date(2026, 3, 30)),
        first_response=50,
        resolved=at(date(2026, 3, 31), 20),
        closed=at(date(2026, 3, 31), 23, 30),
        due=True,
        mode="remote",
        surveyed=True,
    )
    # Closed at 00:30 on April 1: April's, and still open at the end of March (backlog).
    make(
        created=at(date(2026, 3, 31), 10),
        first_response=5,
        resolved=at(date(2026, 4, 1), 0, 10),
        closed=at(date(2026, 4, 1), 0, 30),
        quality=1,
        timeliness=1,
    )
    make(created=at(date(2026, 3, 20)))  # still open: backlog
    # February, for the comparison.
    make(
        created=at(date(2026, 2, 10)),
        first_response=10,
        resolved=60,
        closed=at(date(2026, 2, 11)),
        due=True,
        mode="remote",
        quality=5,
        timeliness=5,
    )


@pytest.fixture
def directors(db) -> list:
    return [
        factories.DirectorFactory(username="ada", first_name="Ada", email="ada@district.example"),
        factories.DirectorFactory(username="bea", first_name="Bea", email="bea@district.example"),
    ]


@pytest.fixture
def others(db, technician, teacher) -> None:
    """People who must never get the report."""
    factories.DirectorFactory(username="gone", email="gone@district.example", is_active=False)
    factories.DirectorFactory(username="noaddress", email="")


def send(month: date = MARCH, **kwargs) -> list[OutboundEmail]:
    return report.send_monthly_report(month=month, **kwargs)
