import random
import string
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from demo.answers import COMPLAINTS, FOLLOW_UP_NOTE, PRAISE, seed_survey_answers
from demo.seed import seed_district
from demo.writers import OrmWriter, writer_for_connection
from surveys.models import Goal, SurveyInvitation, SurveyResponse
from tests import factories
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

TOKEN_ALPHABET = set(string.ascii_letters + string.digits + "-_")


@pytest.mark.parametrize("make_writer", [writer_for_connection, OrmWriter], ids=["copy", "bulk_create"])
def test_seed_survey_answers_sends_for_closed_tickets_answers_most_and_sets_goals(teacher, category, make_writer):
    now = timezone.now()
    tickets = [factories.TicketFactory(requester=teacher, category=category) for _ in range(60)]
    closed_ids = [t.pk for t in tickets[:50]]
    Ticket.objects.filter(pk__in=closed_ids).update(
        status="closed", resolved_at=now - timedelta(days=3), closed_at=now - timedelta(days=2)
    )

    first = seed_survey_answers(rng=random.Random(7), now=now, writer=make_writer())
    again = seed_survey_answers(rng=random.Random(7), now=now, writer=make_writer())

    assert first.invitations == 50 and again.invitations == again.answers == 0  # idempotent
    invitations = SurveyInvitation.objects.all()
    assert sorted(invitations.values_list("ticket_id", flat=True)) == sorted(closed_ids)
    assert not invitations.filter(sent_at__isnull=True).exists()
    assert len(set(invitations.values_list("token", flat=True))) == 50
    answers = SurveyResponse.objects.all()
    assert answers.count() == first.answers
    assert 20 <= answers.count() <= 40  # about 60% of 50
    assert not answers.filter(answered_at__gt=now).exists()
    satisfied = answers.filter(quality__gte=4).count() / answers.count()
    assert satisfied >= 0.8
    goals = dict(Goal.objects.values_list("school_year", "quality_satisfaction_pct"))
    assert float(goals["2025-2026"]) == 94.0 and float(goals["2026-2027"]) == 97.0
    assert len(goals) >= 3


def test_only_closed_tickets_without_an_invitation_get_one(teacher, category):
    now = timezone.now()
    closed = [factories.TicketFactory(requester=teacher, category=category) for _ in range(4)]
    factories.TicketFactory(requester=teacher, category=category)  # still open
    Ticket.objects.filter(pk__in=[t.pk for t in closed]).update(
        status="closed", resolved_at=now - timedelta(days=3), closed_at=now - timedelta(days=2)
    )
    SurveyInvitation.objects.create(ticket=closed[0], token="already-invited", email=teacher.email)

    seeded = seed_survey_answers(rng=random.Random(1), now=now)

    assert seeded.invitations == 3
    assert SurveyInvitation.objects.get(ticket=closed[0]).token == "already-invited"
    assert set(SurveyInvitation.objects.values_list("ticket_id", flat=True)) == {t.pk for t in closed}


def test_a_seeded_district_has_one_invitation_per_closed_ticket_and_answers_only_for_invitations():
    now = timezone.now().replace(microsecond=0)
    seed_district(schools=3, tickets=600, seed=8, now=now)

    closed = Ticket.objects.filter(status=Ticket.Status.CLOSED).exclude(requester__email="")
    invitations = SurveyInvitation.objects.select_related("ticket__requester")
    assert closed.count() > 400
    assert sorted(invitations.values_list("ticket_id", flat=True)) == sorted(closed.values_list("pk", flat=True))
    for invitation in invitations:
        ticket = invitation.ticket
        assert invitation.email == ticket.requester.email
        assert invitation.created_at == ticket.closed_at
        assert invitation.claimed_at == invitation.sent_at
        assert ticket.closed_at < invitation.sent_at <= min(ticket.closed_at + timedelta(minutes=5), now)
        assert invitation.attempts == 1 and not invitation.failed_permanently and invitation.reminded_at is None
    tokens = list(invitations.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens)
    assert all(len(token) >= 43 and set(token) <= TOKEN_ALPHABET for token in tokens)

    answers = SurveyResponse.objects.select_related("invitation")
    assert not answers.exclude(ticket_id=F("invitation__ticket_id")).exists()
    share = answers.count() / invitations.count()
    assert 0.5 <= share <= 0.7  # ANSWER_SHARE is 0.6
    for answer in answers:
        assert answer.invitation.sent_at < answer.answered_at <= now
        assert answer.updated_at == answer.answered_at
        unhappy = answer.quality <= 2
        assert answer.needs_follow_up == unhappy
        assert answer.comment in (COMPLAINTS if unhappy else ["", *PRAISE])
        assert not answer.wants_contact or unhappy
        followed_up = unhappy and answer.answered_at < now - timedelta(days=7)
        assert (answer.followed_up_at is not None) == followed_up
        assert answer.follow_up_note == (FOLLOW_UP_NOTE if followed_up else "")
        if followed_up:
            assert answer.followed_up_at == answer.answered_at + timedelta(days=1)
    satisfied = answers.filter(quality__gte=4).count() / answers.count()
    assert satisfied >= 0.85
