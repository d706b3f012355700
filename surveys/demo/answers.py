"""Demo data for surveys: called by seed_demo after it has closed tickets.

Bulk inserts only (no signals, no email): fast enough for a million tickets.
"""

import random
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef

from surveys.models import Goal, SurveyInvitation, SurveyResponse
from tickets.models import Ticket

CHUNK = 5000
ANSWER_SHARE = 0.6
# Mostly 4-5: about 95% of quality answers are satisfied, timeliness a little lower.
QUALITY_WEIGHTS = (0.006, 0.014, 0.03, 0.25, 0.70)
TIMELINESS_WEIGHTS = (0.01, 0.03, 0.07, 0.29, 0.60)
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


def seed_survey_answers(*, ticket_ids: list[int], rng: random.Random, now: datetime) -> None:
    """Invitations (sent) for the closed tickets among `ticket_ids`, answers for ~60%, and goals."""
    _seed_goals()
    for offset in range(0, len(ticket_ids), CHUNK):
        _seed_chunk(ticket_ids[offset : offset + CHUNK], rng, now)


def _seed_goals() -> None:
    goals = [
        Goal(
            school_year=f"{first}-{first + 1}",
            start_date=date(first, 8, 1),
            end_date=date(first + 1, 7, 31),
            quality_satisfaction_pct=quality,
            timeliness_satisfaction_pct=timeliness,
            first_response_hours=hours,
        )
        for first, quality, timeliness, hours in GOALS
    ]
    Goal.objects.bulk_create(goals, ignore_conflicts=True)


def _seed_chunk(ids: list[int], rng: random.Random, now: datetime) -> None:
    rows = (
        Ticket.objects.filter(pk__in=ids, status=Ticket.Status.CLOSED, closed_at__isnull=False)
        .exclude(requester__email="")
        .exclude(Exists(SurveyInvitation.objects.filter(ticket=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "closed_at", "requester__email")
    )
    invitations = []
    for ticket_id, closed_at, email in rows:
        sent_at = min(closed_at + timedelta(minutes=rng.randint(1, 5)), now)
        invitations.append(
            SurveyInvitation(
                ticket_id=ticket_id,
                # Real tokens even in the demo: a seeded database may be exposed.
                token=secrets.token_urlsafe(32),
                email=email,
                created_at=closed_at,
                claimed_at=sent_at,
                sent_at=sent_at,
                attempts=1,
            )
        )
    created = SurveyInvitation.objects.bulk_create(invitations, batch_size=1000)
    answers = []
    for invitation in created:
        if rng.random() >= ANSWER_SHARE:
            continue
        answered_at = min(invitation.sent_at + timedelta(minutes=rng.randint(5, 60 * 48)), now)
        quality = rng.choices(range(1, 6), weights=QUALITY_WEIGHTS)[0]
        timeliness = rng.choices(range(1, 6), weights=TIMELINESS_WEIGHTS)[0]
        unhappy = quality <= 2
        comment = ""
        if unhappy:
            comment = rng.choice(COMPLAINTS)
        elif rng.random() < 0.15:
            comment = rng.choice(PRAISE)
        wants_contact = unhappy and rng.random() < 0.5
        followed_up = unhappy and answered_at < now - timedelta(days=7)
        answers.append(
            SurveyResponse(
                invitation_id=invitation.pk,
                ticket_id=invitation.ticket_id,
                timeliness=timeliness,
                quality=quality,
                comment=comment,
                learned=rng.random() < 0.55,
                wants_contact=wants_contact,
                answered_at=answered_at,
                updated_at=answered_at,
                needs_follow_up=unhappy,
                followed_up_at=answered_at + timedelta(days=1) if followed_up else None,
                follow_up_note="Called the teacher and checked the fix together." if followed_up else "",
            )
        )
    SurveyResponse.objects.bulk_create(answers, batch_size=1000)
