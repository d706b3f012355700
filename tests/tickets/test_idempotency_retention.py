"""Old Idempotency-Key rows are forgotten; the tickets they filed stay (tickets/idempotency.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import TicketFactory
from tickets import tasks
from tickets.models import IdempotencyKey, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_keys_older_than_the_kept_days_are_deleted_and_their_tickets_kept(settings):
    settings.HELPDESK_IDEMPOTENCY_KEEP_DAYS = 30
    old_ticket, new_ticket = TicketFactory(), TicketFactory()
    old = IdempotencyKey.objects.create(user=old_ticket.requester, key="a", request_hash="0" * 64, ticket=old_ticket)
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = IdempotencyKey.objects.create(user=new_ticket.requester, key="b", request_hash="1" * 64, ticket=new_ticket)
    events = TicketEvent.objects.count()

    assert tasks.prune_idempotency_keys.delay().get() == 1

    assert list(IdempotencyKey.objects.all()) == [recent]
    assert Ticket.objects.filter(pk=old_ticket.pk).exists()
    assert TicketEvent.objects.count() == events


def test_the_pruning_is_scheduled(settings):
    assert "tickets.tasks.prune_idempotency_keys" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
