"""The tickets app's REST API: queues, categories, tickets, their actions, comments and history,
SLA targets, knowledge-base articles and attachments (one module each).

Viewsets stay thin: serializers check the shape of the input, `tickets.services`
decides and writes, and `helpdesk.api.exception_handler` turns a refused change
into 400, 403 or 409.
"""

from rest_framework.routers import DefaultRouter

from tickets.api.attachments import TicketAttachmentViewSet
from tickets.api.catalog import CategoryViewSet, QueueViewSet
from tickets.api.devices import AssetTicketViewSet
from tickets.api.kb import ArticleViewSet
from tickets.api.replies import SavedReplyViewSet
from tickets.api.sla import SlaTargetViewSet
from tickets.api.tickets import TicketViewSet


def register(router: DefaultRouter) -> None:
    """Viewsets of this app join the project's single API router here."""
    router.register("queues", QueueViewSet, basename="queue")
    router.register("categories", CategoryViewSet, basename="category")
    router.register("tickets", TicketViewSet, basename="ticket")
    router.register("sla-targets", SlaTargetViewSet, basename="sla-target")
    router.register("articles", ArticleViewSet, basename="article")
    router.register("replies", SavedReplyViewSet, basename="saved-reply")
    router.register(r"tickets/(?P<ticket_pk>[^/.]+)/attachments", TicketAttachmentViewSet, basename="ticket-attachment")
    router.register(r"assets/(?P<asset_pk>[^/.]+)/tickets", AssetTicketViewSet, basename="asset-ticket")
