"""The tickets app's models, one module per concern; every model is importable from `tickets.models`."""

from tickets.models.attachments import Attachment, attachment_upload_to
from tickets.models.catalog import Category, Queue, SlaTarget
from tickets.models.family import FamilyReport
from tickets.models.idempotency import IdempotencyKey
from tickets.models.kb import Article, ArticleVote, Deflection
from tickets.models.priority import PRIORITY_MATRIX, PRIORITY_RANK, Impact, Priority, Urgency, priority_for
from tickets.models.replies import SavedReply
from tickets.models.ticket import Comment, Ticket, TicketEvent
from tickets.models.vendors import Vendor, VendorCase
from tickets.models.views import SavedView

__all__ = [
    "PRIORITY_MATRIX",
    "PRIORITY_RANK",
    "Article",
    "ArticleVote",
    "Attachment",
    "Category",
    "Comment",
    "Deflection",
    "FamilyReport",
    "IdempotencyKey",
    "Impact",
    "Priority",
    "Queue",
    "SavedReply",
    "SavedView",
    "SlaTarget",
    "Ticket",
    "TicketEvent",
    "Urgency",
    "Vendor",
    "VendorCase",
    "attachment_upload_to",
    "priority_for",
]
