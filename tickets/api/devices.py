"""`GET /api/assets/<id>/tickets/` (staff): a device's tickets, newest first.

Here rather than in devices.api because it lists tickets, and devices never imports
tickets. A requester gets 403, as on `/api/assets/`; an unknown device 404.
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.generics import get_object_or_404

from devices.api import StaffOnly
from devices.selectors import assets_visible_to
from tickets.api.serializers import TicketSerializer
from tickets.models import Ticket
from tickets.selectors import ticket_list


@extend_schema_view(
    list=extend_schema(
        summary="A device's tickets, newest first",
        parameters=[OpenApiParameter("asset_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
)
class AssetTicketViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TicketSerializer
    permission_classes = [StaffOnly]
    filterset_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Ticket]:
        asset = get_object_or_404(assets_visible_to(self.request.user), pk=self.kwargs["asset_pk"])
        return ticket_list(self.request.user).filter(asset=asset).order_by("-created_at", "-pk")
