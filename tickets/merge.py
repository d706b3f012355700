"""Merging duplicates: one ticket closed into another.

The source's conversation and files are copied to the target (the source keeps its own,
so its history still reads as it happened), the source is closed as a duplicate with a
link to the target, its requester is told by email and follows the target from then on.
Both tickets record the merge in their history. No survey goes out for a duplicate.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from notifications import outbox
from schools.roles import is_staff_member
from tickets import followers, selectors
from tickets.errors import Conflict, DomainError, PermissionDenied
from tickets.models import Attachment, Comment, Ticket, TicketEvent

Status = Ticket.Status


def merge_ticket(*, actor: User, source: Ticket, target_id: int) -> Ticket:
    """Close `source` into the ticket `target_id` and return the target.

    Refused: by anyone but staff, into itself, into a ticket the actor cannot see, into a
    closed ticket, or from a ticket already closed.
    """
    if not is_staff_member(actor):
        raise PermissionDenied(gettext("Only the help desk team can merge tickets."))
    if target_id == source.pk:
        raise DomainError(gettext("A ticket cannot be merged into itself."), field="target")
    if not selectors.tickets_visible_to(actor).filter(pk=target_id).exists():
        raise DomainError(gettext("There is no ticket #%(id)s.") % {"id": target_id}, field="target")
    with transaction.atomic():
        # Both rows locked, lower id first, so two merges of the same pair cannot deadlock.
        locked = {
            ticket.pk: ticket
            for ticket in Ticket.objects.select_for_update(of=("self",))
            .select_related("requester", "school")
            .filter(pk__in=[source.pk, target_id])
            .order_by("pk")
        }
        source, target = locked[source.pk], locked[target_id]
        if target.status == Status.CLOSED:
            raise Conflict(gettext("Ticket #%(id)s is closed; merge into an open ticket.") % {"id": target.pk})
        if source.status == Status.CLOSED:
            raise Conflict(gettext("This ticket is already closed."))
        copied = _copy_conversation(source, target)
        now = timezone.now()
        Comment.objects.create(
            ticket=target,
            author=actor,
            internal=True,
            created_at=now,
            body=gettext("Merged from #%(id)s (%(title)s), sent by %(name)s:\n\n%(description)s")
            % {
                "id": source.pk,
                "title": source.title,
                "name": source.requester.get_full_name() or source.requester.get_username(),
                "description": source.description,
            },
        )
        previous = source.status
        source.status = Status.CLOSED
        source.waiting_on = ""
        source.merged_into = target
        source.closed_at = now
        source.resolved_at = source.resolved_at or now
        source.version += 1
        source.save()
        TicketEvent.objects.bulk_create(
            [
                TicketEvent(
                    ticket=source,
                    actor=actor,
                    kind=TicketEvent.Kind.MERGED,
                    data={"from": previous, "to": Status.CLOSED, "into": target.pk},
                ),
                TicketEvent(
                    ticket=target,
                    actor=actor,
                    kind=TicketEvent.Kind.MERGED_IN,
                    data={"source": source.pk, "comments": copied},
                ),
            ]
        )
        target.version += 1
        target.save(update_fields=["version", "updated_at"])
        followers.follow_on_merge(actor=actor, ticket=target, follower=source.requester)
        requester = source.requester
        outbox.queue_email(
            kind="merged",
            to=requester.email,
            template="tickets/email/merged",
            context={"recipient": requester, "target": target},
            ticket=source,
            language=getattr(getattr(requester, "profile", None), "language", None) or None,
        )
    return target


def _copy_conversation(source: Ticket, target: Ticket) -> int:
    """Copy the source's comments (and the files on them and on the ticket) to the target.
    The files are the same stored files: a copy of the row, not of the bytes."""
    comments = list(source.comments.order_by("created_at", "pk"))
    copies = Comment.objects.bulk_create(
        [
            Comment(ticket=target, author_id=c.author_id, body=c.body, internal=c.internal, created_at=c.created_at)
            for c in comments
        ]
    )
    copy_of = {original.pk: copy.pk for original, copy in zip(comments, copies, strict=True)}
    Attachment.objects.bulk_create(
        [
            Attachment(
                ticket=target,
                comment_id=copy_of.get(a.comment_id) if a.comment_id else None,
                uploaded_by_id=a.uploaded_by_id,
                file=a.file.name,
                original_name=a.original_name,
                content_type=a.content_type,
                size=a.size,
                created_at=a.created_at,
            )
            for a in source.attachments.all()
        ]
    )
    return len(copies)
