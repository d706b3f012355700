"""Outbound threading: every email about a ticket lands in one thread in the requester's
mail client, says replying adds to the request, and tells robots not to answer."""

import pytest
from django.core import mail

from notifications import outbox, threading
from notifications.models import OutboundEmail
from tickets import services

pytestmark = pytest.mark.django_db


def _sent(email: OutboundEmail):
    outbox.deliver(email.pk)
    return mail.outbox[-1]


def test_every_email_about_a_ticket_names_the_tickets_first_message(ticket, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.add_comment(actor=technician, ticket=ticket, body="On my way.")
    acknowledgement = OutboundEmail.objects.get(ticket=ticket, kind="acknowledgement")
    reply = OutboundEmail.objects.get(ticket=ticket, kind="reply")

    first = _sent(acknowledgement)
    root = threading.ticket_root(ticket.pk)
    assert first.subject.endswith(f"[#{ticket.pk}] {ticket.title}")
    assert first.extra_headers["Message-ID"] == root == acknowledgement.message_id
    assert "In-Reply-To" not in first.extra_headers

    second = _sent(reply)
    assert second.subject == f"New reply: [#{ticket.pk}] {ticket.title}"
    assert second.extra_headers["Message-ID"] == reply.message_id != root
    assert second.extra_headers["In-Reply-To"] == root
    assert second.extra_headers["References"] == root
    for message in (first, second):
        assert message.extra_headers["Auto-Submitted"] == "auto-generated"
        assert message.extra_headers["Reply-To"] == "IT Help Desk <helpdesk@district.example>"
        assert "Reply to this email to add to your request" in message.body
        assert "Reply to this email to add to your request" in message.alternatives[0][0]
    # The headers are what the SMTP server gets, not only what Django holds.
    raw = second.message().as_string()
    assert f"In-Reply-To: {root}" in raw and "Auto-Submitted: auto-generated" in raw


def test_message_ids_are_unique_and_carry_a_ticket_token_only_we_can_make(ticket, settings):
    ids = {threading.new_message_id(ticket.pk) for _ in range(50)}
    assert len(ids) == 50
    one = next(iter(ids))
    assert threading.ticket_id_from_headers(f"<x@y> {one}") == ticket.pk
    forged = one.replace(f"ticket-{ticket.pk}.", f"ticket-{ticket.pk + 1}.")
    assert threading.ticket_id_from_headers(forged) is None
    settings.SECRET_KEY = "another installation"
    assert threading.ticket_id_from_headers(one) is None


def test_reply_to_can_be_the_mailbox_the_desk_reads(ticket, settings):
    settings.HELPDESK_REPLY_TO = "replies@district.example"
    email = OutboundEmail.objects.get(ticket=ticket, kind="acknowledgement")
    assert _sent(email).extra_headers["Reply-To"] == "replies@district.example"


def test_an_email_about_no_ticket_has_its_own_id_and_no_reply_note(db, settings, tmp_path):
    (tmp_path / "note_subject.txt").write_text("A note")
    (tmp_path / "note_body.txt").write_text("Hello")
    (tmp_path / "note_body.html").write_text("<p>Hello</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    email = outbox.queue_email(kind="note", to="director@district.example", template="note", context={})
    assert email.message_id and "ticket-" not in email.message_id and email.in_reply_to == ""
    assert "Reply to this email" not in email.body_text
