"""Files on tickets and comments: what is accepted, who may add one, who may read it.

A file is accepted only when its first bytes say it is a PNG, JPEG, GIF, WebP,
PDF or plain text AND its name ends in an extension of that same type. SVG and
HTML are never accepted (both run script when a browser opens them), nor is
text that looks like markup. The stored name is random (see
`tickets.models.attachment_upload_to`); the original name is kept only to offer
it back on download, cleaned of path parts and control characters.

Reads start from `tickets_visible_to`, so a file is as visible as its ticket;
files on internal notes are staff-only, like the notes themselves.
"""

import os
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from schools.roles import AnyUser, is_staff_member
from tickets import selectors
from tickets.errors import DomainError, PermissionDenied
from tickets.models import Attachment, Comment, Ticket, TicketEvent

# content type -> the extensions a file of that type may carry.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    "text/plain": (".txt", ".log"),
}
ACCEPT_ATTRIBUTE = ",".join(ext for exts in ALLOWED_TYPES.values() for ext in exts)
SNIFF_BYTES = 2048
# Text that opens like this is a page or an image with script in it, whatever its name says.
MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe", b"<!--")


def sniff(head: bytes) -> str | None:
    """The content type the bytes themselves declare, or None if not one we accept."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if _is_plain_text(head):
        return "text/plain"
    return None


def _is_plain_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    # A cut in the middle of a multi-byte character at the end of the sample is fine.
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            return False
        text = head[: error.start].decode("utf-8")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
        return False
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not any(lowered.startswith(start) for start in MARKUP_STARTS) and b"<script" not in head.lower()


def clean_name(name: str) -> str:
    """The uploader's file name, safe to show and to offer back: no path, no control characters."""
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return name[-150:] or "file"


class CheckedUpload(NamedTuple):
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The file's real content type and size, or a DomainError on the `file` field."""
    limit = settings.HELPDESK_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise DomainError(
            _("This file is too big. Files can be up to %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, field="file"
        )
    if upload.size == 0:
        raise DomainError(_("This file is empty."), field="file")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    content_type = sniff(head)
    extension = os.path.splitext(clean_name(upload.name or ""))[1].lower()
    if content_type is None or extension not in ALLOWED_TYPES[content_type]:
        raise DomainError(
            _("Send pictures (PNG, JPEG, GIF, WebP), PDF or plain text files only."),
            field="file",
        )
    return CheckedUpload(content_type, upload.size)


def attachments_visible_to(user: AnyUser, ticket: Ticket) -> QuerySet[Attachment]:
    """The ticket's files the user may see; the caller has already found the ticket visible."""
    attachments = ticket.attachments.select_related("uploaded_by", "comment")
    if not is_staff_member(user):
        attachments = attachments.exclude(comment__internal=True)
    return attachments


def visible_attachment(user: AnyUser, *, ticket_id: int, attachment_id: int) -> Attachment:
    """One attachment through its ticket's visibility; `Attachment.DoesNotExist` if out of reach."""
    ticket = selectors.tickets_visible_to(user).filter(pk=ticket_id).first()
    if ticket is None:
        raise Attachment.DoesNotExist
    return attachments_visible_to(user, ticket).get(pk=attachment_id)


def add_attachments(
    *, actor: User, ticket: Ticket, uploads: Iterable[UploadedFile], comment: Comment | None = None
) -> list[Attachment]:
    """Attach files to a ticket (or to one of its comments) after checking every one.

    All or nothing: one bad file refuses the lot, so a requester never wonders which
    of their screenshots arrived. Who may attach is who may see the ticket; a file on
    a comment must be added by that comment's author (an internal note's files stay
    as private as the note).
    """
    uploads = list(uploads)
    if not uploads:
        raise DomainError(_("Choose a file to send."), field="file")
    if len(uploads) > settings.HELPDESK_ATTACHMENTS_PER_UPLOAD:
        raise DomainError(
            _("Send at most %(n)s files at a time.") % {"n": settings.HELPDESK_ATTACHMENTS_PER_UPLOAD}, field="file"
        )
    if not selectors.tickets_visible_to(actor).filter(pk=ticket.pk).exists():
        raise PermissionDenied(_("You cannot add files to this request."))
    if comment is not None and (comment.ticket_id != ticket.pk or comment.author_id != actor.pk):
        raise DomainError(_("Files can only be added to your own message on this request."), field="comment")
    checked = [(upload, check_upload(upload)) for upload in uploads]
    with transaction.atomic():
        created = []
        for upload, found in checked:
            attachment = Attachment(
                ticket=ticket,
                comment=comment,
                uploaded_by=actor,
                original_name=clean_name(upload.name or ""),
                content_type=found.content_type,
                size=found.size,
            )
            # The storage writes the file now; a rollback below leaves an orphan file,
            # never a row without its file.
            attachment.file.save("upload", upload, save=False)
            attachment.save()
            created.append(attachment)
        internal = bool(comment and comment.internal)
        TicketEvent.objects.create(
            ticket=ticket,
            actor=actor,
            # Files on an internal note are part of that note: recorded like one, so the
            # requester's history (selectors.events_visible_to) leaves them out too.
            kind=TicketEvent.Kind.COMMENTED if internal else TicketEvent.Kind.UPDATED,
            data={"attachments": [a.original_name for a in created], "internal": internal},
        )
    return created
