"""Demo data for surveys: each closed ticket's invitation and most answers, built with the
ticket's own rows (demo.tickets), and the school years' goals.

Rows go in through the demo writer (COPY on PostgreSQL, bulk_create elsewhere) as
plain tuples: no model instances, no signals, no email, and nothing read back: at ten
million tickets, reading the closed ones back to survey them took 441 s of a seed.
"""

import itertools
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from schools.calendar import school_year_span
from surveys.models import Goal

# Tickets per read: a pk range, so each query is one index range scan, never a list of ids.
CHUNK = 50_000
ANSWER_SHARE = 0.6
# Mostly 4-5: about 95% of quality answers are satisfied, timeliness a little lower.
QUALITY_WEIGHTS = (0.006, 0.014, 0.03, 0.25, 0.70)
TIMELINESS_WEIGHTS = (0.01, 0.03, 0.07, 0.29, 0.60)
# choices() with cum_weights draws exactly as with weights, without summing them again for every answer.
QUALITY_CUM = tuple(itertools.accumulate(QUALITY_WEIGHTS))
TIMELINESS_CUM = tuple(itertools.accumulate(TIMELINESS_WEIGHTS))
RATINGS = range(1, 6)
PRAISE = [
    "Thank you, quick and friendly!",
    "Explained it so I can fix it myself next time.",
    "Great help, the projector works again.",
    "Appreciate the follow-up visit.",
]
COMPLAINTS = [
    "It took a week and I lost two lessons.",
    "Still not fully working.",
    "Nobody told me the technician was coming.",
]
GOALS = [
    # (first year, quality %, timeliness %, first response hours)
    (2024, Decimal("90.0"), Decimal("85.0"), Decimal("8.0")),
    (2025, Decimal("94.0"), Decimal("88.0"), Decimal("6.0")),
    (2026, Decimal("97.0"), Decimal("90.0"), Decimal("4.0")),
]
FOLLOW_UP_NOTE = "Called the teacher and checked the fix together."

INVITATION_COLUMNS = (
    "id", "ticket_id", "token", "email", "closed_by_id", "created_at", "claimed_at", "sent_at", "attempts",
    "last_error", "failed_permanently", "reminder_claimed_at", "reminded_at",
)  # fmt: skip
ANSWER_COLUMNS = (
    "invitation_id", "ticket_id", "timeliness", "quality", "comment", "learned", "wants_contact", "answered_at",
    "updated_at", "needs_follow_up", "followed_up_at", "followed_up_by_id", "follow_up_note",
)  # fmt: skip


@dataclass
class SeededSurveys:
    invitations: int
    answers: int


def seed_goals() -> None:
    goals = [
        Goal(
            school_year=f"{first}-{first + 1}",
            start_date=school_year_span(first)[0],
            end_date=school_year_span(first)[1],
            quality_satisfaction_pct=quality,
            timeliness_satisfaction_pct=timeliness,
            first_response_hours=hours,
        )
        for first, quality, timeliness, hours in GOALS
    ]
    Goal.objects.bulk_create(goals, ignore_conflicts=True)


def survey_rows(
    tickets: list[tuple[int, datetime, str]], ids: list[int], rng: random.Random, now: datetime
) -> tuple[list[tuple], list[tuple]]:
    """Invitation and answer rows for (pk, closed_at, requester email) of closed tickets, ids already reserved."""
    invitations, answers = [], []
    for invitation_id, (ticket_id, closed_at, email) in zip(ids, tickets, strict=True):
        sent_at = min(closed_at + timedelta(minutes=rng.randint(1, 5)), now)
        # Real tokens even in the demo (the same call as the survey service): a seeded database may be exposed.
        token = secrets.token_urlsafe(32)
        invitations.append(
            (invitation_id, ticket_id, token, email, None, closed_at, sent_at, sent_at, 1, "", False, None, None)
        )
        if rng.random() >= ANSWER_SHARE:
            continue
        answered_at = min(sent_at + timedelta(minutes=rng.randint(5, 60 * 48)), now)
        quality = rng.choices(RATINGS, cum_weights=QUALITY_CUM)[0]
        timeliness = rng.choices(RATINGS, cum_weights=TIMELINESS_CUM)[0]
        unhappy = quality <= 2
        comment = ""
        if unhappy:
            comment = rng.choice(COMPLAINTS)
        elif rng.random() < 0.15:
            comment = rng.choice(PRAISE)
        wants_contact = unhappy and rng.random() < 0.5
        learned = rng.random() < 0.55
        followed_up = unhappy and answered_at < now - timedelta(days=7)
        answers.append(
            (
                invitation_id,
                ticket_id,
                timeliness,
                quality,
                comment,
                learned,
                wants_contact,
                answered_at,
                answered_at,
                unhappy,
                answered_at + timedelta(days=1) if followed_up else None,
                None,
                FOLLOW_UP_NOTE if followed_up else "",
            )
        )
    return invitations, answers
