"""Sent email bodies are blanked after HELPDESK_OUTBOX_KEEP_DAYS; the record of the email stays."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import outbox, tasks
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def email(*, sent_days_ago: int | None) -> OutboundEmail:
    sent_at = None if sent_days_ago is None else timezone.now() - timedelta(days=sent_days_ago)
    return OutboundEmail.objects.create(
        kind="reply",
        to="teacher@example.com",
        subject="[#1] Projector",
        body_text="words",
        body_html="<p>words</p>",
        sent_at=sent_at,
    )


def test_old_sent_bodies_are_blanked_and_the_row_kept():
    old, recent, unsent = email(sent_days_ago=120), email(sent_days_ago=10), email(sent_days_ago=None)

    assert outbox.prune_sent_bodies(older_than=timedelta(days=90)) == 1

    old.refresh_from_db(), recent.refresh_from_db(), unsent.refresh_from_db()
    assert (old.body_text, old.body_html) == ("", "")
    assert (old.to, old.subject) == ("teacher@example.com", "[#1] Projector")
    assert recent.body_text == "words" and unsent.body_text == "words"


def test_the_nightly_task_reads_the_keep_days_setting(settings):
    settings.HELPDESK_OUTBOX_KEEP_DAYS = 5
    kept, pruned = email(sent_days_ago=3), email(sent_days_ago=6)

    assert tasks.prune_sent_bodies() == 1
    assert OutboundEmail.objects.get(pk=pruned.pk).body_text == ""
    assert OutboundEmail.objects.get(pk=kept.pk).body_text == "words"
    assert tasks.prune_sent_bodies() == 0  # already blank: nothing rewritten
