import random
from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.demo.answers import seed_survey_answers
from surveys.models import Goal, SurveyInvitation, SurveyResponse
from tests import factories
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_seed_survey_answers_sends_for_closed_tickets_answers_most_and_sets_goals(teacher, category):
    now = timezone.now()
    tickets = [factories.TicketFactory(requester=teacher, category=category) for _ in range(60)]
    closed_ids = [t.pk for t in tickets[:50]]
    Ticket.objects.filter(pk__in=closed_ids).update(
        status="closed", resolved_at=now - timedelta(days=3), closed_at=now - timedelta(days=2)
    )
    ids = [t.pk for t in tickets]

    seed_survey_answers(ticket_ids=ids, rng=random.Random(7), now=now)
    seed_survey_answers(ticket_ids=ids, rng=random.Random(7), now=now)  # idempotent

    invitations = SurveyInvitation.objects.all()
    assert sorted(invitations.values_list("ticket_id", flat=True)) == sorted(closed_ids)
    assert not invitations.filter(sent_at__isnull=True).exists()
    assert len(set(invitations.values_list("token", flat=True))) == 50
    answers = SurveyResponse.objects.all()
    assert 20 <= answers.count() <= 40  # about 60% of 50
    assert not answers.filter(answered_at__gt=now).exists()
    satisfied = answers.filter(quality__gte=4).count() / answers.count()
    assert satisfied >= 0.8
    goals = dict(Goal.objects.values_list("school_year", "quality_satisfaction_pct"))
    assert float(goals["2025-2026"]) == 94.0 and float(goals["2026-2027"]) == 97.0
    assert len(goals) >= 3
