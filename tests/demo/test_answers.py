import string
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from demo.answers import COMPLAINTS, FOLLOW_UP_NOTE, PRAISE
from demo.seed import seed_district
from surveys.models import Goal, SurveyInvitation, SurveyResponse
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

TOKEN_ALPHABET = set(string.ascii_letters + string.digits + "-_")


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


def test_invitations_take_their_tickets_ids_and_a_later_one_still_gets_a_fresh_id():
    seed_district(schools=2, tickets=300, seed=3)
    assert not SurveyInvitation.objects.exclude(pk=F("ticket_id")).exists()
    goals = dict(Goal.objects.values_list("school_year", "quality_satisfaction_pct"))
    assert float(goals["2025-2026"]) == 94.0 and float(goals["2026-2027"]) == 97.0
    highest = SurveyInvitation.objects.order_by("-pk").values_list("pk", flat=True).first()
    open_ticket = Ticket.objects.exclude(status=Ticket.Status.CLOSED).first()
    later = SurveyInvitation.objects.create(ticket=open_ticket, token="a-later-one", email="t@district.example")
    assert later.pk > highest
