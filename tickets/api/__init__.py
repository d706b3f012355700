"""The tickets app's REST API: queues, categories, tickets, their actions, comments and history.

Viewsets stay thin: serializers check the shape of the input, `tickets.services`
decides and writes, and `helpdesk.api.exception_handler` turns a refused change
into 400, 403 or 409.
"""

from rest_framework.routers import DefaultRouter

from tickets.api.catalog import CategoryViewSet, QueueViewSet
from tickets.api.tickets import TicketViewSet


def register(router: DefaultRouter) -> None:
    """Viewsets of this app join the project's single API router here."""
    router.register("queues", QueueViewSet, basename="queue")
    router.register("categories", CategoryViewSet, basename="category")
    router.register("tickets", TicketViewSet, basename="ticket")
